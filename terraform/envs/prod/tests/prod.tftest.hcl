# Plan-only tests of the prod stage with its terraform.tfvars, against a mocked AWS provider. Security group
# IDs and the internal load balancer's DNS name are overridden at plan time so the wiring can be compared.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }

  override_data {
    target = module.stack.data.aws_availability_zones.available
    values = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
  }

  override_data {
    target = module.stack.data.aws_ecr_repository.app1
    values = {
      repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app1"
      arn            = "arn:aws:ecr:eu-west-1:123456789012:repository/relay/app1"
    }
  }

  override_data {
    target = module.stack.data.aws_ecr_repository.app2
    values = {
      repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app2"
      arn            = "arn:aws:ecr:eu-west-1:123456789012:repository/relay/app2"
    }
  }
}

override_resource {
  target          = module.stack.module.public_alb.aws_security_group.this
  override_during = plan
  values          = { id = "sg-00000000000000001" }
}

override_resource {
  target          = module.stack.module.app1.aws_security_group.this
  override_during = plan
  values          = { id = "sg-00000000000000002" }
}

override_resource {
  target          = module.stack.module.internal_alb.aws_security_group.this
  override_during = plan
  values          = { id = "sg-00000000000000003" }
}

override_resource {
  target          = module.stack.module.app2.aws_security_group.this
  override_during = plan
  values          = { id = "sg-00000000000000004" }
}

override_resource {
  target          = module.stack.module.internal_alb.aws_lb.this
  override_during = plan
  values = {
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/relay-prod-internal/0123456789abcdef"
    arn_suffix = "app/relay-prod-internal/0123456789abcdef"
    dns_name   = "internal-relay-prod-internal-1234567890.eu-west-1.elb.amazonaws.com"
  }
}

# Sizes come from terraform.tfvars, which terraform test reads like plan does; only the images are added.
variables {
  app1_image_tag = "1111111111111111111111111111111111111111"
  app2_image_tag = "2222222222222222222222222222222222222222"
}

run "app1_calls_app2_through_the_internal_load_balancer" {
  command = plan

  assert {
    condition     = module.stack.app_environments.app1.APP2_URL == "http://internal-relay-prod-internal-1234567890.eu-west-1.elb.amazonaws.com"
    error_message = "app1's APP2_URL must be the internal load balancer's URL"
  }

  assert {
    condition     = module.stack.app_environments.app1.ENVIRONMENT == "prod" && module.stack.app_environments.app2.ENVIRONMENT == "prod"
    error_message = "both apps must know their stage"
  }

  assert {
    condition = output.images == {
      app1 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app1:1111111111111111111111111111111111111111"
      app2 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app2:2222222222222222222222222222222222222222"
    }
    error_message = "each service must run the given tag of its own repository"
  }
}

run "each_tier_is_reachable_only_from_the_tier_in_front" {
  command = plan

  assert {
    condition     = module.stack.service_ingress.app1 == [{ port = 8080, source_security_group_id = "sg-00000000000000001" }]
    error_message = "app1 must admit port 8080 from the public load balancer only"
  }

  assert {
    condition     = module.stack.service_ingress.app2 == [{ port = 8080, source_security_group_id = "sg-00000000000000003" }]
    error_message = "app2 must admit port 8080 from the internal load balancer only"
  }

  assert {
    condition     = module.stack.service_egress.app1 == [{ port = 443, destination = "0.0.0.0/0" }, { port = 80, destination = "sg-00000000000000003" }]
    error_message = "app1 may reach AWS APIs over HTTPS and the internal load balancer on port 80, nothing else"
  }

  assert {
    condition     = module.stack.service_egress.app2 == [{ port = 443, destination = "0.0.0.0/0" }]
    error_message = "app2 may reach AWS APIs over HTTPS only"
  }

  assert {
    condition = alltrue([
      for rule in flatten(concat(values(module.stack.service_ingress), values(module.stack.service_egress))) : rule.port != 22
    ])
    error_message = "no rule may open port 22"
  }
}

run "names_carry_the_stage" {
  command = plan

  assert {
    condition     = output.asg_names == { app1 = "relay-prod-app1", app2 = "relay-prod-app2" }
    error_message = "Auto Scaling groups must be relay-prod-<service>"
  }

  assert {
    condition     = output.log_group_names == { app1 = "/relay/prod/app1", app2 = "/relay/prod/app2" }
    error_message = "log groups must be /relay/prod/<service>"
  }
}

run "prod_is_highly_available_and_protected" {
  command = plan

  assert {
    condition     = length(module.stack.nat_gateway_ids) == 3
    error_message = "prod must have a NAT gateway in each of its three AZs"
  }

  assert {
    condition     = var.min_size >= 2 && var.max_size >= 6
    error_message = "prod must keep two instances per service and room to scale to six"
  }

  assert {
    condition     = var.enable_deletion_protection
    error_message = "prod's load balancers must be protected from deletion"
  }
}

run "refuses_latest_image" {
  command = plan
  variables { app1_image_tag = "latest" }
  expect_failures = [var.app1_image_tag]
}

run "refuses_short_sha" {
  command = plan
  variables { app2_image_tag = "2222222" }
  expect_failures = [var.app2_image_tag]
}

run "refuses_malformed_instance_type" {
  command = plan
  variables { instance_type = "small" }
  expect_failures = [var.instance_type]
}

run "refuses_min_above_max" {
  command = plan
  variables {
    min_size = 3
    max_size = 2
  }
  expect_failures = [var.max_size]
}

run "refuses_a_single_az" {
  command = plan
  variables { az_count = 1 }
  expect_failures = [var.az_count]
}

run "refuses_malformed_region" {
  command = plan
  variables { aws_region = "Frankfurt" }
  expect_failures = [var.aws_region]
}
