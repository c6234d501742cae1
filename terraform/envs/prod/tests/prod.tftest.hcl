# What envs/prod sets in main.tf, planned with its own values against a mocked AWS provider (the plan must
# succeed). The wiring every stage shares (APP2_URL, the ingress chain, no port 22, ...) is tested once in
# modules/stack/tests, for the shapes the stages use.

mock_provider "aws" {
  source = "../../modules/stack/tests/mocks"
}

# terraform.tfvars leaves the domain, the certificate and the alarm address unset, with which prod refuses to
# plan: the runs give them here.
variables {
  app1_image_tag = "1111111111111111111111111111111111111111"
  app2_image_tag = "2222222222222222222222222222222222222222"
  domain_name    = "api.relay.example.com"
  hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  alarm_email    = "ops@example.com"
}

run "this_directory_deploys_prod" {
  command = plan

  assert {
    condition = (
      output.stack.app_environments.app1.ENVIRONMENT == "prod" && output.stack.app_environments.app2.ENVIRONMENT == "prod" &&
      output.stack.asg_names == { app1 = "relay-prod-app1", app2 = "relay-prod-app2" } &&
      output.stack.log_group_names == { app1 = "/relay/prod/app1", app2 = "/relay/prod/app2" }
    )
    error_message = "envs/prod must deploy the prod stage"
  }

  assert {
    condition = output.stack.images == {
      app1 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app1:1111111111111111111111111111111111111111"
      app2 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app2:2222222222222222222222222222222222222222"
    }
    error_message = "each service must run the image tag given to this stage"
  }
}

run "prod_is_highly_available_and_protected" {
  command = plan

  assert {
    condition     = length(output.stack.availability_zones) == 3
    error_message = "prod spans three AZs"
  }

  assert {
    condition     = alltrue([for service in values(output.stack.capacity) : service == { instance_type = "t4g.small", min_size = 2, max_size = 6 }])
    error_message = "prod must keep two t4g.small per service and room to scale to six"
  }

  assert {
    condition     = output.stack.load_balancers.public.deletion_protection && output.stack.load_balancers.internal.deletion_protection
    error_message = "prod's load balancers must be protected from deletion"
  }

  assert {
    condition     = !output.stack.load_balancers.public.access_logs_force_destroy && !output.stack.load_balancers.internal.access_logs_force_destroy
    error_message = "prod's access logs must stay when the stage is destroyed, whatever deletion protection says"
  }

  assert {
    condition     = output.stack.app_environments.app1.LOG_LEVEL == "info" && output.stack.app_environments.app2.LOG_LEVEL == "info"
    error_message = "prod logs at info level"
  }
}

run "prod_runs_on_graviton" {
  command = plan

  assert {
    condition = alltrue([
      for service in ["app1", "app2"] :
      output.stack.hosts[service].architecture == "arm64" && output.stack.capacity[service].instance_type == "t4g.small"
    ])
    error_message = "prod runs both services on t4g.small (Graviton) with the arm64 relay host AMI"
  }

  assert {
    condition     = output.stack.hosts.app1.root_volume_size == 10 && output.stack.hosts.app2.root_volume_size == 10
    error_message = "prod keeps the 10 GiB root volumes, the relay host AMI's root snapshot"
  }

  assert {
    condition     = output.stack.hosts.app1.detailed_monitoring && output.stack.hosts.app2.detailed_monitoring
    error_message = "prod keeps EC2 detailed monitoring (one-minute metrics)"
  }

  assert {
    condition     = alltrue([for schedule in values(output.stack.scale_to_zero_schedules) : schedule == null])
    error_message = "prod's services are never scheduled to stop"
  }
}

run "prod_reaches_the_internet_through_a_nat_gateway_per_az" {
  command = plan

  override_resource {
    target          = module.stack.module.network.aws_nat_gateway.this
    override_during = plan
    values          = { id = "nat-0123456789abcdef0" }
  }

  assert {
    condition     = length(output.stack.nat_gateway_ids) == 3 && length(output.stack.nat_instance_asg_names) == 0
    error_message = "prod must have a NAT gateway in each AZ and no NAT instance"
  }

  assert {
    condition     = length(output.stack.private_routes) == 3 && alltrue([for route in output.stack.private_routes : route.destination == "0.0.0.0/0" && route.target == "nat-0123456789abcdef0"])
    error_message = "every private route of prod must send to a NAT gateway"
  }
}

run "prod_serves_https_only_on_its_domain" {
  command = plan

  assert {
    condition     = output.stack.https_required
    error_message = "prod must require HTTPS"
  }

  assert {
    condition = (
      output.stack.load_balancers.public.domain.certificate.domain_name == "api.relay.example.com" &&
      output.stack.load_balancers.public.domain.certificate.validation_method == "DNS" &&
      [for r in output.stack.load_balancers.public.domain.validation_records : r.zone_id] == ["Z0123456789ABCDEFGHIJ"] &&
      [for r in output.stack.load_balancers.public.domain.alias_records : "${r.zone_id} ${r.name} ${r.type}"] == ["Z0123456789ABCDEFGHIJ api.relay.example.com A"]
    )
    error_message = "prod's domain gets a DNS-validated certificate and an alias record to the public load balancer, in its zone"
  }

  assert {
    condition = (
      output.stack.load_balancers.public.listeners["80"].action == "redirect" &&
      output.stack.load_balancers.public.listeners["80"].redirect == { protocol = "HTTPS", port = "443", status_code = "HTTP_301" } &&
      output.stack.load_balancers.public.listeners["443"].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"
    )
    error_message = "prod's port 80 only redirects to HTTPS, served with the TLS 1.3 policy"
  }

  assert {
    condition     = output.stack.public_url == "https://api.relay.example.com"
    error_message = "prod's public URL is its domain over HTTPS"
  }
}

run "prod_serves_https_with_a_given_certificate" {
  command = plan

  variables {
    domain_name     = null
    hosted_zone_id  = null
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition = (
      output.stack.load_balancers.public.domain == null &&
      output.stack.load_balancers.public.listeners["80"].action == "redirect" &&
      output.stack.load_balancers.public.listeners["443"].certificate_arn == "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    )
    error_message = "with a certificate prod requests none and writes no DNS record, and serves HTTPS with it"
  }
}

# expect_failures cannot name a called module's variable, so prod's own require_https (as the run above planned
# it) is given to modules/stack with neither a domain nor a certificate: the plan must be refused.
run "prod_refuses_to_plan_without_https" {
  command = plan

  module {
    source = "../../modules/stack"
  }

  variables {
    environment   = "prod"
    require_https = run.prod_serves_https_only_on_its_domain.stack.https_required
    domain_name   = null
  }

  # The shared mocks address the stack as module.stack; here it is the module under test.
  override_data {
    target = data.aws_availability_zones.available
    values = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
  }

  override_data {
    target = data.aws_ecr_repository.app1
    values = { repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app1", arn = "arn:aws:ecr:eu-west-1:123456789012:repository/relay/app1" }
  }

  override_data {
    target = data.aws_ecr_repository.app2
    values = { repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app2", arn = "arn:aws:ecr:eu-west-1:123456789012:repository/relay/app2" }
  }

  expect_failures = [var.require_https]
}

run "refuses_malformed_region" {
  command = plan
  variables { aws_region = "Frankfurt" }
  expect_failures = [var.aws_region]
}

run "refuses_a_repository_without_owner" {
  command = plan
  variables { github_repository = "relay" }
  expect_failures = [var.github_repository]
}
