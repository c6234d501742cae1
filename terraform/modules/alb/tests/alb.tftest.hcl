# The provider still validates ARN arguments, so resources whose ARN feeds another resource get ARN-shaped mocks.
mock_provider "aws" {
  mock_data "aws_vpc" {
    defaults = { cidr_block = "10.20.0.0/16" }
  }

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }

  mock_resource "aws_lb" {
    defaults = {
      arn      = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/relay-test/0123456789abcdef"
      dns_name = "relay-test-123.eu-west-1.elb.amazonaws.com"
    }
  }

  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/relay-test/0123456789abcdef" }
  }

  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::relay-test-alb-logs-mock" }
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
    condition     = aws_lb_listener.https[0].port == 443 && aws_lb_listener.https[0].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    error_message = "HTTPS listens on 443 with the TLS 1.2/1.3 policy."
  }

  assert {
    condition     = aws_lb_listener.https[0].default_action[0].type == "forward" && aws_lb_listener.https[0].default_action[0].target_group_arn == aws_lb_target_group.this.arn
    error_message = "HTTPS forwards to the target group."
  }

  assert {
    condition = (
      aws_lb_listener.http.default_action[0].type == "redirect" &&
      aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS" &&
      aws_lb_listener.http.default_action[0].redirect[0].status_code == "HTTP_301"
    )
    error_message = "Port 80 must redirect to HTTPS."
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
    condition     = output.url == "https://relay-test-123.eu-west-1.elb.amazonaws.com" && toset(keys(output.listener_arns)) == toset(["http", "https"])
    error_message = "The URL is HTTPS once a certificate is set."
  }
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
