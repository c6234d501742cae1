# What envs/prod sets in main.tf and no other stage does, planned with its own values against a mocked AWS
# provider. The wiring every stage shares (APP2_URL, the ingress chain, no port 22, HTTPS, ...) is tested once in
# modules/stack/tests.

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

run "plans_the_prod_stage" {
  command = plan

  assert {
    condition = (
      output.stack.app_environments.app1.ENVIRONMENT == "prod" && output.stack.app_environments.app2.ENVIRONMENT == "prod" &&
      output.stack.asg_names == { app1 = "relay-prod-app1", app2 = "relay-prod-app2" }
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

  assert {
    condition     = output.stack.https_required && output.stack.public_url == "https://api.relay.example.com"
    error_message = "prod requires HTTPS and serves it on its domain"
  }
}

run "prod_is_highly_available_and_protected" {
  command = plan

  assert {
    condition = length(output.stack.availability_zones) == 3 && alltrue([
      for service in ["app1", "app2"] :
      output.stack.capacity[service] == { instance_type = "t4g.small", min_size = 2, max_size = 6 } && output.stack.hosts[service].architecture == "arm64"
    ])
    error_message = "prod spans three AZs and keeps two t4g.small (Graviton, the arm64 AMI) per service, with room for six"
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
    condition     = output.stack.hosts.app1.market_type == "on-demand" && output.stack.hosts.app2.market_type == "on-demand"
    error_message = "prod runs on-demand instances: none may be reclaimed"
  }

  assert {
    condition     = alltrue([for schedule in values(output.stack.scale_to_zero_schedules) : schedule == null])
    error_message = "prod's services are never scheduled to stop"
  }

  assert {
    condition     = alltrue([for lb in values(output.stack.load_balancers) : lb.deletion_protection && !lb.access_logs_force_destroy])
    error_message = "prod's load balancers must be protected from deletion, and their access logs stay when the stage is destroyed"
  }

  assert {
    condition     = output.stack.app_environments.app1.LOG_LEVEL == "info" && output.stack.app_environments.app2.LOG_LEVEL == "info"
    error_message = "prod logs at info level"
  }
}

# Each gateway gets an ID of its own, so that the routes show which one each AZ uses.
run "prod_reaches_the_internet_through_a_nat_gateway_per_az" {
  command = plan

  override_resource {
    target          = module.stack.module.network.aws_nat_gateway.this[0]
    override_during = plan
    values          = { id = "nat-0aaaaaaaaaaaaaaaa" }
  }

  override_resource {
    target          = module.stack.module.network.aws_nat_gateway.this[1]
    override_during = plan
    values          = { id = "nat-0bbbbbbbbbbbbbbbb" }
  }

  override_resource {
    target          = module.stack.module.network.aws_nat_gateway.this[2]
    override_during = plan
    values          = { id = "nat-0cccccccccccccccc" }
  }

  assert {
    condition     = length(output.stack.nat_gateway_ids) == 3 && length(output.stack.nat_instance_asg_names) == 0
    error_message = "prod must have a NAT gateway in each AZ and no NAT instance"
  }

  assert {
    condition     = [for route in output.stack.private_routes : route.target] == ["nat-0aaaaaaaaaaaaaaaa", "nat-0bbbbbbbbbbbbbbbb", "nat-0cccccccccccccccc"]
    error_message = "the private route of each AZ must send to that AZ's own NAT gateway"
  }
}

run "prod_serves_https_with_a_given_certificate_instead" {
  command = plan

  variables {
    domain_name     = null
    hosted_zone_id  = null
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = output.stack.load_balancers.public.listeners["443"].certificate_arn == var.certificate_arn
    error_message = "with certificate_arn in terraform.tfvars, prod serves HTTPS with that certificate"
  }
}

# expect_failures cannot name a called module's variable, so prod's own require_https (as the first run planned
# it) is given to modules/stack with neither a domain nor a certificate: the plan must be refused.
run "prod_refuses_to_plan_without_https" {
  command = plan

  module {
    source = "../../modules/stack"
  }

  variables {
    environment   = "prod"
    require_https = run.plans_the_prod_stage.stack.https_required
    domain_name   = null
  }

  expect_failures = [var.require_https]
}
