locals {
  # HTTPS with a given certificate, or with one the module requests for domain_name and validates in its zone.
  request_certificate = var.domain_name != null
  https_enabled       = var.certificate_arn != null || local.request_certificate
  https_port          = 443
  certificate_arn     = var.certificate_arn != null ? var.certificate_arn : one(aws_acm_certificate_validation.this[*].certificate_arn)

  # The load balancer answers on IPv4 only; a dualstack one would need an AAAA alias record next to the A record.
  ip_address_type    = "ipv4"
  alias_record_types = local.request_certificate ? (local.ip_address_type == "ipv4" ? ["A"] : ["A", "AAAA"]) : []

  listener_ports      = local.https_enabled ? [var.listener_port, local.https_port] : [var.listener_port]
  ingress_cidr_blocks = var.internal ? [] : coalesce(var.ingress_cidr_blocks, ["0.0.0.0/0"])

  # One ingress rule per (source, listener port); counts rather than for_each, because security group IDs
  # from other modules are unknown until apply.
  cidr_rules = [for pair in setproduct(local.ingress_cidr_blocks, local.listener_ports) : { cidr = pair[0], port = pair[1] }]
  sg_rules   = [for pair in setproduct(var.allowed_security_group_ids, local.listener_ports) : { sg = pair[0], port = pair[1] }]

  access_logs_prefix  = var.name
  access_logs_objects = "${aws_s3_bucket.access_logs.arn}/${local.access_logs_prefix}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"

  # The provider appends 26 characters to a name prefix, and target group names end at 32.
  target_group_name_prefix = coalesce(var.target_group_name_prefix, "${substr(var.name, 0, 5)}-")
}

data "aws_caller_identity" "current" {}

data "aws_vpc" "this" {
  id = var.vpc_id
}

data "aws_region" "current" {}

# Regions opened before August 2022 deliver access logs as a regional ELB account; newer ones as the
# logdelivery.elasticloadbalancing.amazonaws.com service principal, which the bucket policy admits everywhere.
# These are the regions of the AWS docs' ELB account table ("Attach a policy to your S3 bucket"), the same 26 as
# the aws_elb_service_account table of the AWS provider 5.100 (internal/service/elb/service_account_data_source.go),
# which fails with "unsupported AWS Region" for any other region: it is read only here.
locals {
  regions_with_elb_account = toset([
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1", "ap-northeast-1",
    "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ca-central-1",
    "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-north-1", "me-south-1", "sa-east-1",
    "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
  ])
}

data "aws_elb_service_account" "current" {
  count = contains(local.regions_with_elb_account, data.aws_region.current.name) ? 1 : 0
}

# A generated name and create_before_destroy, so that a change that replaces the group (its description) creates
# the new one, moves the load balancer and the rules to it, and only then deletes the old one.
resource "aws_security_group" "this" {
  name_prefix = "${var.name}-alb-"
  description = "${var.internal ? "Internal" : "Public"} ALB ${var.name}: listeners in, target port out"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-alb" })

  lifecycle {
    create_before_destroy = true
  }
}

# checkov CKV_AWS_260 (port 80 open to 0.0.0.0/0) is knowingly not met on a public ALB: port 80 either serves
# the plain-HTTP stage or only redirects to HTTPS.
resource "aws_vpc_security_group_ingress_rule" "cidr" {
  count = length(local.cidr_rules)

  security_group_id = aws_security_group.this.id
  description       = "Port ${local.cidr_rules[count.index].port} from ${local.cidr_rules[count.index].cidr}"
  ip_protocol       = "tcp"
  from_port         = local.cidr_rules[count.index].port
  to_port           = local.cidr_rules[count.index].port
  cidr_ipv4         = local.cidr_rules[count.index].cidr

  tags = merge(var.tags, { Name = "${var.name}-alb-in-${local.cidr_rules[count.index].port}" })
}

resource "aws_vpc_security_group_ingress_rule" "security_group" {
  count = length(local.sg_rules)

  security_group_id            = aws_security_group.this.id
  description                  = "Port ${local.sg_rules[count.index].port} from an allowed security group"
  ip_protocol                  = "tcp"
  from_port                    = local.sg_rules[count.index].port
  to_port                      = local.sg_rules[count.index].port
  referenced_security_group_id = local.sg_rules[count.index].sg

  tags = merge(var.tags, { Name = "${var.name}-alb-in-${local.sg_rules[count.index].port}" })
}

# The ALB only ever talks to its targets (requests and health checks), all on target_port inside the VPC.
resource "aws_vpc_security_group_egress_rule" "targets" {
  security_group_id = aws_security_group.this.id
  description       = "Requests and health checks to the targets"
  ip_protocol       = "tcp"
  from_port         = var.target_port
  to_port           = var.target_port
  cidr_ipv4         = data.aws_vpc.this.cidr_block

  tags = merge(var.tags, { Name = "${var.name}-alb-out-targets" })
}

# Access log bucket. Knowingly not met: CKV_AWS_145 / AVD-AWS-0132 (KMS CMK: ALB access logs support SSE-S3
# only), CKV_AWS_21 (versioning: log objects are written once and expire), CKV_AWS_18 (access logging of the
# log bucket itself), CKV_AWS_144 (cross-region replication) and CKV2_AWS_62 (event notifications).
resource "aws_s3_bucket" "access_logs" {
  bucket_prefix = substr("${var.name}-alb-logs-", 0, 37)
  force_destroy = var.access_logs_force_destroy

  tags = merge(var.tags, { Name = "${var.name}-alb-logs" })
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_logs_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [for account in data.aws_elb_service_account.current : {
        Sid       = "ElbAccountWritesAccessLogs"
        Effect    = "Allow"
        Principal = { AWS = account.arn }
        Action    = "s3:PutObject"
        Resource  = local.access_logs_objects
      }],
      [
        {
          Sid       = "LogDeliveryWritesAccessLogs"
          Effect    = "Allow"
          Principal = { Service = "logdelivery.elasticloadbalancing.amazonaws.com" }
          Action    = "s3:PutObject"
          Resource  = local.access_logs_objects
        },
        {
          Sid       = "DenyInsecureTransport"
          Effect    = "Deny"
          Principal = "*"
          Action    = "s3:*"
          Resource  = [aws_s3_bucket.access_logs.arn, "${aws_s3_bucket.access_logs.arn}/*"]
          Condition = { Bool = { "aws:SecureTransport" = "false" } }
        },
      ],
    )
  })

  # S3 refuses a bucket policy while the public access block is still being applied.
  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}

# Knowingly not met: CKV2_AWS_28 / WAF (a web ACL is a per-stage cost; attach one for production traffic) and,
# without HTTPS, CKV_AWS_2, CKV2_AWS_20 and AVD-AWS-0054 (HTTP listener, no redirect): set certificate_arn or
# domain_name to serve HTTPS only. A public ALB is internet-facing by design (AVD-AWS-0053).
resource "aws_lb" "this" {
  name               = var.name
  load_balancer_type = "application"
  internal           = var.internal
  ip_address_type    = local.ip_address_type
  security_groups    = [aws_security_group.this.id]
  subnets            = var.subnet_ids

  idle_timeout               = var.idle_timeout
  drop_invalid_header_fields = true
  desync_mitigation_mode     = "defensive"
  enable_deletion_protection = var.enable_deletion_protection

  access_logs {
    bucket  = aws_s3_bucket.access_logs.id
    prefix  = local.access_logs_prefix
    enabled = true
  }

  tags = merge(var.tags, { Name = var.name })

  # The ALB checks on creation that it may write to the bucket.
  depends_on = [aws_s3_bucket_policy.access_logs]
}

# CKV_AWS_378 (HTTP to the targets) is knowingly not met: TLS ends at the ALB and the hop to the targets
# stays inside the VPC, between security groups that admit only each other.
#
# A generated name and create_before_destroy, so that a change that replaces the group (its port, protocol or
# VPC) creates the new group, points the listeners and the Auto Scaling group at it, and only then deletes the
# old one (a fixed name would collide, and a group in use by a listener cannot be deleted). Until the instances
# pass the new group's health checks, the load balancer answers 503.
resource "aws_lb_target_group" "this" {
  name_prefix          = local.target_group_name_prefix
  vpc_id               = var.vpc_id
  target_type          = "instance"
  protocol             = "HTTP"
  port                 = var.target_port
  deregistration_delay = var.deregistration_delay

  health_check {
    enabled             = true
    path                = var.health_check_path
    port                = "traffic-port"
    protocol            = "HTTP"
    matcher             = "200"
    interval            = var.health_check_interval
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = var.listener_port
  protocol          = "HTTP"

  default_action {
    type             = local.https_enabled ? "redirect" : "forward"
    target_group_arn = local.https_enabled ? null : aws_lb_target_group.this.arn

    dynamic "redirect" {
      for_each = local.https_enabled ? [1] : []
      content {
        protocol    = "HTTPS"
        port        = tostring(local.https_port)
        status_code = "HTTP_301"
      }
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-http" })
}

resource "aws_lb_listener" "https" {
  count = local.https_enabled ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = local.https_port
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = local.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = merge(var.tags, { Name = "${var.name}-https" })
}

################################################################################
# With domain_name: an ACM certificate validated through DNS in hosted_zone_id, and the domain as an alias of
# the load balancer. ACM and the load balancer share the provider's region, as an ALB certificate must.
################################################################################

# Plans fail early, with the zone's name, when domain_name does not belong to hosted_zone_id or the zone is
# private (ACM validates through public DNS).
data "aws_route53_zone" "this" {
  count = local.request_certificate ? 1 : 0

  zone_id = var.hosted_zone_id

  lifecycle {
    postcondition {
      condition = self.private_zone != true && (
        lower(var.domain_name) == lower(trimsuffix(self.name, ".")) ||
        endswith(lower(var.domain_name), ".${lower(trimsuffix(self.name, "."))}")
      )
      error_message = "domain_name ${var.domain_name} must be in the public hosted zone hosted_zone_id ${var.hosted_zone_id}, which is ${self.private_zone == true ? "private" : "public"} and named ${self.name}."
    }
  }
}

# create_before_destroy: a replaced certificate (a new domain_name) is issued and put on the listener before
# the old one, still in use until then, is deleted.
resource "aws_acm_certificate" "this" {
  count = local.request_certificate ? 1 : 0

  domain_name       = var.domain_name
  validation_method = "DNS"

  tags = merge(var.tags, { Name = var.domain_name })

  lifecycle {
    create_before_destroy = true
  }
}

# The CNAME ACM looks up to validate the domain, and to renew the certificate by itself every year for as long as
# the record stays. allow_overwrite: a record left by an earlier certificate for the same name is taken over.
resource "aws_route53_record" "certificate_validation" {
  count = local.request_certificate ? 1 : 0

  zone_id         = var.hosted_zone_id
  name            = one(aws_acm_certificate.this[0].domain_validation_options).resource_record_name
  type            = one(aws_acm_certificate.this[0].domain_validation_options).resource_record_type
  records         = [one(aws_acm_certificate.this[0].domain_validation_options).resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

# Waits (up to the provider's 75 minutes) until ACM has issued the certificate; the HTTPS listener uses the ARN
# from here, so it is created only with an issued certificate.
resource "aws_acm_certificate_validation" "this" {
  count = local.request_certificate ? 1 : 0

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = aws_route53_record.certificate_validation[*].fqdn
}

resource "aws_route53_record" "alias" {
  for_each = toset(local.alias_record_types)

  zone_id = var.hosted_zone_id
  name    = var.domain_name
  type    = each.key

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }
}
