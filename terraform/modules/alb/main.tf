locals {
  https_enabled = var.certificate_arn != null
  https_port    = 443

  listener_ports      = local.https_enabled ? [var.listener_port, local.https_port] : [var.listener_port]
  ingress_cidr_blocks = var.internal ? [] : coalesce(var.ingress_cidr_blocks, ["0.0.0.0/0"])

  # One ingress rule per (source, listener port); counts rather than for_each, because security group IDs
  # from other modules are unknown until apply.
  cidr_rules = [for pair in setproduct(local.ingress_cidr_blocks, local.listener_ports) : { cidr = pair[0], port = pair[1] }]
  sg_rules   = [for pair in setproduct(var.allowed_security_group_ids, local.listener_ports) : { sg = pair[0], port = pair[1] }]

  access_logs_prefix = var.name
}

data "aws_caller_identity" "current" {}

data "aws_vpc" "this" {
  id = var.vpc_id
}

# The account ELB uses to write access logs in regions opened before August 2022; newer regions use the
# logdelivery.elasticloadbalancing.amazonaws.com service principal instead. The bucket policy allows both.
data "aws_elb_service_account" "current" {}

resource "aws_security_group" "this" {
  name        = "${var.name}-alb"
  description = "${var.internal ? "Internal" : "Public"} ALB ${var.name}: listeners in, target port out"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-alb" })
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
    Statement = [
      {
        Sid       = "ElbAccountWritesAccessLogs"
        Effect    = "Allow"
        Principal = { AWS = data.aws_elb_service_account.current.arn }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.access_logs.arn}/${local.access_logs_prefix}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
      },
      {
        Sid       = "LogDeliveryWritesAccessLogs"
        Effect    = "Allow"
        Principal = { Service = "logdelivery.elasticloadbalancing.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.access_logs.arn}/${local.access_logs_prefix}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.access_logs.arn, "${aws_s3_bucket.access_logs.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })

  # S3 refuses a bucket policy while the public access block is still being applied.
  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}

# Knowingly not met: CKV2_AWS_28 / WAF (a web ACL is a per-stage cost; attach one for production traffic) and,
# without a certificate, CKV_AWS_2, CKV2_AWS_20 and AVD-AWS-0054 (HTTP listener, no redirect): set
# certificate_arn to serve HTTPS only. A public ALB is internet-facing by design (AVD-AWS-0053).
resource "aws_lb" "this" {
  name               = var.name
  load_balancer_type = "application"
  internal           = var.internal
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
resource "aws_lb_target_group" "this" {
  name                 = var.name
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
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = merge(var.tags, { Name = "${var.name}-https" })
}
