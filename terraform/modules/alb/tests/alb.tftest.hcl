# The provider still validates ARN arguments, so resources whose ARN feeds another resource get ARN-shaped mocks.
mock_provider "aws" {
  mock_data "aws_vpc" {
    defaults = { cidr_block = "10.20.0.0/16" }
  }

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }

  mock_data "aws_elb_service_account" {
    defaults = { arn = "arn:aws:iam::156460612806:root" }
  }

  mock_data "aws_route53_zone" {
    defaults = { name = "example.com", private_zone = false }
  }

  mock_resource "aws_lb" {
    defaults = {
      arn      = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/relay-test/0123456789abcdef"
      dns_name = "relay-test-123.eu-west-1.elb.amazonaws.com"
      zone_id  = "Z32O12XQLNTSW2"
    }
  }

  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/relay-test/0123456789abcdef" }
  }

  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::relay-test-alb-logs-mock" }
  }

  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-1111-1111-1111-111111111111"
      domain_validation_options = [{
        domain_name           = "relay.example.com"
        resource_record_name  = "_0123456789abcdef.relay.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_fedcba9876543210.acm-validations.aws."
      }]
    }
  }

  mock_resource "aws_route53_record" {
    defaults = { fqdn = "_0123456789abcdef.relay.example.com" }
  }
}

variables {
  name       = "relay-test"
  vpc_id     = "vpc-0123456789abcdef0"
  subnet_ids = ["subnet-0000000000000000a", "subnet-0000000000000000b"]
  tags       = { Project = "relay" }
}

run "public_http_alb_forwards_port_80_to_the_targets" {
  assert {
    condition     = aws_lb.this.internal == false && aws_lb.this.drop_invalid_header_fields && aws_lb.this.idle_timeout == 60
    error_message = "A public ALB drops invalid headers and keeps the 60 s idle timeout."
  }

  assert {
    condition     = aws_lb_listener.http.port == 80 && aws_lb_listener.http.default_action[0].type == "forward" && length(aws_lb_listener.https) == 0
    error_message = "Without a certificate, port 80 forwards to the target group and there is no HTTPS listener."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.cidr) == 1 && aws_vpc_security_group_ingress_rule.cidr[0].cidr_ipv4 == "0.0.0.0/0" && aws_vpc_security_group_ingress_rule.cidr[0].from_port == 80
    error_message = "A public HTTP ALB admits port 80 from anywhere and nothing else."
  }

  assert {
    condition     = output.url == "http://relay-test-123.eu-west-1.elb.amazonaws.com" && keys(output.listener_arns) == ["http"]
    error_message = "The URL is plain HTTP on the default port."
  }

  assert {
    condition = (
      length(aws_acm_certificate.this) == 0 && length(aws_route53_record.certificate_validation) == 0 &&
      length(aws_route53_record.alias) == 0 && length(data.aws_route53_zone.this) == 0 && output.domain == null
    )
    error_message = "Without a domain there is no certificate request and no DNS record."
  }

  assert {
    condition     = keys(output.listeners) == ["80"] && output.listeners["80"].action == "forward" && output.listeners["80"].redirect == null
    error_message = "The listeners output reports a single forwarding port 80."
  }

  assert {
    condition     = aws_lb.this.tags["Name"] == "relay-test" && aws_lb.this.tags["Project"] == "relay"
    error_message = "Resources carry Name merged with the tags input."
  }

  assert {
    condition     = output.internal == false && output.drop_invalid_header_fields == true && output.deletion_protection == false
    error_message = "The internal, drop_invalid_header_fields and deletion_protection outputs report the load balancer's settings."
  }

  # tostring(null): an untyped null literal never equals the output's null string.
  assert {
    condition     = output.ingress == [{ from_port = 80, to_port = 80, cidr_ipv4 = "0.0.0.0/0", referenced_security_group_id = tostring(null) }]
    error_message = "The ingress output lists the single port 80 rule from anywhere."
  }
}

run "egress_goes_to_the_target_port_inside_the_vpc_only" {
  assert {
    condition = (
      aws_vpc_security_group_egress_rule.targets.from_port == 8080 &&
      aws_vpc_security_group_egress_rule.targets.to_port == 8080 &&
      aws_vpc_security_group_egress_rule.targets.cidr_ipv4 == "10.20.0.0/16"
    )
    error_message = "The ALB may only send traffic to target_port within the VPC CIDR."
  }
}

run "target_group_checks_health_and_drains_quickly" {
  assert {
    condition     = aws_lb_target_group.this.port == 8080 && aws_lb_target_group.this.health_check[0].path == "/health" && aws_lb_target_group.this.health_check[0].matcher == "200"
    error_message = "Targets serve 8080 and are checked on /health."
  }

  assert {
    condition     = aws_lb_target_group.this.deregistration_delay == "30"
    error_message = "Deregistration must wait 30 s, not the AWS default of 300 s."
  }
}

run "access_logs_go_to_a_private_encrypted_tls_only_bucket" {
  assert {
    condition     = aws_lb.this.access_logs[0].enabled && aws_lb.this.access_logs[0].bucket == aws_s3_bucket.access_logs.id
    error_message = "Access logs must be enabled into the module's bucket."
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.access_logs.block_public_acls &&
      aws_s3_bucket_public_access_block.access_logs.block_public_policy &&
      aws_s3_bucket_public_access_block.access_logs.ignore_public_acls &&
      aws_s3_bucket_public_access_block.access_logs.restrict_public_buckets
    )
    error_message = "The log bucket must block all public access."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.access_logs.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "The log bucket must be encrypted with SSE-S3 (the only encryption ALB logs support)."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.access_logs.rule[0].expiration[0].days == 90
    error_message = "Access logs expire after access_logs_expiration_days."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_s3_bucket_policy.access_logs.policy).Statement :
      s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"
    ])
    error_message = "The log bucket policy must deny requests without TLS."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_s3_bucket_policy.access_logs.policy).Statement :
      s.Resource == "${aws_s3_bucket.access_logs.arn}/relay-test/AWSLogs/123456789012/*" if s.Effect == "Allow"
    ])
    error_message = "Log delivery may only write under the ALB's prefix for this account."
  }
}

run "certificate_adds_https_and_redirects_http" {
  variables {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition = (
      aws_lb_listener.https[0].port == 443 &&
      aws_lb_listener.https[0].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" &&
      aws_lb_listener.https[0].certificate_arn == var.certificate_arn
    )
    error_message = "HTTPS listens on 443 with the given certificate and the TLS 1.3 policy."
  }

  assert {
    condition     = aws_lb_listener.https[0].default_action[0].type == "forward" && aws_lb_listener.https[0].default_action[0].target_group_arn == aws_lb_target_group.this.arn
    error_message = "HTTPS forwards to the target group."
  }

  assert {
    condition = (
      aws_lb_listener.http.default_action[0].type == "redirect" &&
      aws_lb_listener.http.default_action[0].target_group_arn == null &&
      aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS" &&
      aws_lb_listener.http.default_action[0].redirect[0].port == "443" &&
      aws_lb_listener.http.default_action[0].redirect[0].status_code == "HTTP_301"
    )
    error_message = "Port 80 must only redirect to HTTPS on 443 with a 301, never forward."
  }

  assert {
    condition     = length(aws_acm_certificate.this) == 0 && length(aws_acm_certificate_validation.this) == 0 && length(aws_route53_record.certificate_validation) == 0 && length(aws_route53_record.alias) == 0
    error_message = "A given certificate requests no certificate and writes no DNS record."
  }

  assert {
    condition     = toset([for r in aws_vpc_security_group_ingress_rule.cidr : r.from_port]) == toset([80, 443])
    error_message = "A public HTTPS ALB admits 80 (redirect) and 443."
  }

  assert {
    condition     = toset([for r in output.ingress : "${r.from_port}-${r.to_port} ${r.cidr_ipv4}"]) == toset(["80-80 0.0.0.0/0", "443-443 0.0.0.0/0"])
    error_message = "The ingress output lists both listener ports."
  }

  assert {
    condition = (
      keys(output.listeners) == ["443", "80"] &&
      output.listeners["80"].action == "redirect" &&
      output.listeners["80"].redirect == { protocol = "HTTPS", port = "443", status_code = "HTTP_301" } &&
      output.listeners["443"].protocol == "HTTPS" && output.listeners["443"].action == "forward" &&
      output.listeners["443"].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" &&
      output.listeners["443"].certificate_arn == var.certificate_arn
    )
    error_message = "The listeners output reports the redirect on 80 and HTTPS with the certificate on 443."
  }

  assert {
    condition     = output.url == "https://relay-test-123.eu-west-1.elb.amazonaws.com" && toset(keys(output.listener_arns)) == toset(["http", "https"]) && output.domain == null
    error_message = "The URL is HTTPS on the load balancer's name once a certificate is set."
  }
}

run "domain_gets_a_dns_validated_certificate_and_an_alias_record" {
  variables {
    domain_name    = "relay.example.com"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  assert {
    condition     = aws_acm_certificate.this[0].domain_name == "relay.example.com" && aws_acm_certificate.this[0].validation_method == "DNS"
    error_message = "ACM is asked for a certificate of the domain, validated through DNS."
  }

  assert {
    condition = (
      aws_route53_record.certificate_validation[0].zone_id == "Z0123456789ABCDEFGHIJ" &&
      aws_route53_record.certificate_validation[0].name == "_0123456789abcdef.relay.example.com." &&
      aws_route53_record.certificate_validation[0].type == "CNAME" &&
      aws_route53_record.certificate_validation[0].records == toset(["_fedcba9876543210.acm-validations.aws."])
    )
    error_message = "The validation record ACM asks for is written into the given hosted zone."
  }

  assert {
    condition = (
      aws_acm_certificate_validation.this[0].certificate_arn == aws_acm_certificate.this[0].arn &&
      aws_acm_certificate_validation.this[0].validation_record_fqdns == toset([aws_route53_record.certificate_validation[0].fqdn])
    )
    error_message = "The validation waits for the certificate, through the record written for it."
  }

  assert {
    condition = (
      keys(aws_route53_record.alias) == ["A"] &&
      aws_route53_record.alias["A"].zone_id == "Z0123456789ABCDEFGHIJ" &&
      aws_route53_record.alias["A"].name == "relay.example.com" &&
      one(aws_route53_record.alias["A"].alias).name == aws_lb.this.dns_name &&
      one(aws_route53_record.alias["A"].alias).zone_id == aws_lb.this.zone_id
    )
    error_message = "The domain is an A alias of the (IPv4) load balancer in the given zone."
  }

  assert {
    condition = (
      aws_lb_listener.https[0].port == 443 &&
      aws_lb_listener.https[0].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" &&
      aws_lb_listener.https[0].certificate_arn == aws_acm_certificate_validation.this[0].certificate_arn
    )
    error_message = "HTTPS uses the validated certificate (so it waits for the validation) and the TLS 1.3 policy."
  }

  assert {
    condition     = aws_lb_listener.http.default_action[0].type == "redirect" && aws_lb_listener.http.default_action[0].redirect[0].status_code == "HTTP_301"
    error_message = "Port 80 only redirects to HTTPS."
  }

  assert {
    condition     = output.url == "https://relay.example.com"
    error_message = "The URL is the domain over HTTPS."
  }

  assert {
    condition = output.domain == {
      name               = "relay.example.com"
      certificate        = { domain_name = "relay.example.com", validation_method = "DNS", arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-1111-1111-1111-111111111111" }
      validation_records = [{ zone_id = "Z0123456789ABCDEFGHIJ", name = "_0123456789abcdef.relay.example.com.", type = "CNAME" }]
      alias_records      = [{ zone_id = "Z0123456789ABCDEFGHIJ", name = "relay.example.com", type = "A", target = "relay-test-123.eu-west-1.elb.amazonaws.com" }]
    }
    error_message = "The domain output reports the certificate, its validation record and the alias record."
  }
}

run "refuses_a_certificate_and_a_domain_together" {
  command = plan

  variables {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    domain_name     = "relay.example.com"
    hosted_zone_id  = "Z0123456789ABCDEFGHIJ"
  }

  expect_failures = [var.domain_name]
}

run "refuses_a_domain_without_its_hosted_zone" {
  command = plan

  variables {
    domain_name = "relay.example.com"
  }

  expect_failures = [var.hosted_zone_id]
}

run "refuses_a_domain_outside_the_hosted_zone" {
  command = plan

  variables {
    domain_name    = "relay.example.org"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  expect_failures = [data.aws_route53_zone.this]
}

run "refuses_a_wildcard_domain" {
  command = plan

  variables {
    domain_name    = "*.example.com"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  expect_failures = [var.domain_name]
}

run "refuses_a_zone_name_as_hosted_zone_id" {
  command = plan

  variables {
    domain_name    = "relay.example.com"
    hosted_zone_id = "example.com"
  }

  expect_failures = [var.hosted_zone_id]
}

run "refuses_a_policy_below_tls_1_2_or_without_tls_1_3" {
  command = plan

  variables {
    ssl_policy = "ELBSecurityPolicy-2016-08"
  }

  expect_failures = [var.ssl_policy]
}

# eu-west-1 (the mocked region) predates August 2022: its ELB account and the log delivery service may write.
run "access_logs_of_an_older_region_admit_its_elb_account" {
  command = plan

  assert {
    condition = toset([for s in jsondecode(aws_s3_bucket_policy.access_logs.policy).Statement : jsonencode(s.Principal) if s.Effect == "Allow"]) == toset([
      jsonencode({ AWS = "arn:aws:iam::156460612806:root" }),
      jsonencode({ Service = "logdelivery.elasticloadbalancing.amazonaws.com" }),
    ])
    error_message = "In a region with an ELB account, both that account and the log delivery service may write the logs."
  }
}

# The provider's aws_elb_service_account fails for regions it has no account for: it must not be read there.
run "access_logs_of_a_newer_region_admit_the_log_delivery_service_only" {
  command = plan

  override_data {
    target = data.aws_region.current
    values = { name = "eu-central-2" }
  }

  assert {
    condition     = length(data.aws_elb_service_account.current) == 0
    error_message = "The ELB account is not looked up in a region opened after August 2022."
  }

  assert {
    condition = [for s in jsondecode(aws_s3_bucket_policy.access_logs.policy).Statement : s.Principal if s.Effect == "Allow"] == [
      { Service = "logdelivery.elasticloadbalancing.amazonaws.com" },
    ]
    error_message = "In a newer region only the log delivery service may write the logs."
  }
}

# Generated names, so that a replacement (new port, new description) does not collide with the old object.
run "target_group_and_security_group_names_are_generated" {
  command = plan

  variables {
    target_group_name_prefix = "dapp1-"
  }

  assert {
    condition     = aws_lb_target_group.this.name_prefix == "dapp1-" && aws_lb_target_group.this.tags["Name"] == "relay-test"
    error_message = "The target group's name is generated from target_group_name_prefix; its Name tag is the load balancer's name."
  }

  assert {
    condition     = aws_security_group.this.name_prefix == "relay-test-alb-" && aws_security_group.this.tags["Name"] == "relay-test-alb"
    error_message = "The security group's name is generated from <name>-alb-."
  }
}

run "target_group_name_prefix_defaults_to_the_name" {
  command = plan

  assert {
    condition     = aws_lb_target_group.this.name_prefix == "relay-"
    error_message = "Without target_group_name_prefix the target group's name starts with the first five characters of name."
  }
}

run "refuses_a_target_group_name_prefix_longer_than_six" {
  command = plan

  variables {
    target_group_name_prefix = "relay-dev-"
  }

  expect_failures = [var.target_group_name_prefix]
}

run "internal_alb_admits_only_the_allowed_security_groups" {
  variables {
    internal                   = true
    allowed_security_group_ids = ["sg-0123456789abcdef0"]
  }

  assert {
    condition     = aws_lb.this.internal && length(aws_vpc_security_group_ingress_rule.cidr) == 0
    error_message = "An internal ALB has no CIDR ingress."
  }

  assert {
    condition = (
      length(aws_vpc_security_group_ingress_rule.security_group) == 1 &&
      aws_vpc_security_group_ingress_rule.security_group[0].referenced_security_group_id == "sg-0123456789abcdef0" &&
      aws_vpc_security_group_ingress_rule.security_group[0].from_port == 80
    )
    error_message = "An internal ALB admits its listener port from the allowed security group only."
  }

  assert {
    condition     = output.internal == true && output.ingress == [{ from_port = 80, to_port = 80, cidr_ipv4 = tostring(null), referenced_security_group_id = "sg-0123456789abcdef0" }]
    error_message = "The outputs report an internal load balancer reachable from the allowed security group only."
  }
}

run "custom_listener_port_shows_in_the_url" {
  variables {
    listener_port = 8000
  }

  assert {
    condition     = output.url == "http://relay-test-123.eu-west-1.elb.amazonaws.com:8000"
    error_message = "A non-default listener port appears in the URL."
  }
}

run "deletion_protection_can_be_turned_on" {
  variables {
    enable_deletion_protection = true
  }

  assert {
    condition     = aws_lb.this.enable_deletion_protection && output.deletion_protection == true
    error_message = "enable_deletion_protection protects the load balancer, and the output says so."
  }
}

run "rejects_an_internal_alb_without_allowed_security_groups" {
  command = plan

  variables {
    internal = true
  }

  expect_failures = [var.allowed_security_group_ids]
}

run "rejects_cidr_ingress_on_an_internal_alb" {
  command = plan

  variables {
    internal                   = true
    allowed_security_group_ids = ["sg-0123456789abcdef0"]
    ingress_cidr_blocks        = ["10.0.0.0/8"]
  }

  expect_failures = [var.ingress_cidr_blocks]
}

run "rejects_a_single_subnet" {
  command = plan

  variables {
    subnet_ids = ["subnet-0000000000000000a"]
  }

  expect_failures = [var.subnet_ids]
}

run "rejects_a_bad_certificate_arn" {
  command = plan

  variables {
    certificate_arn = "my-certificate"
  }

  expect_failures = [var.certificate_arn]
}

run "rejects_out_of_range_ports" {
  command = plan

  variables {
    target_port   = 70000
    listener_port = 443
  }

  expect_failures = [var.target_port, var.listener_port]
}

run "rejects_a_name_alb_cannot_take" {
  command = plan

  variables {
    name = "relay-test-with-a-name-longer-than-32"
  }

  expect_failures = [var.name]
}
