# Plan-only tests every stage shares, run by terraform test in envs/dev, envs/staging and envs/prod (each has a
# link to this file) with that stage's terraform.tfvars, against a mocked AWS provider. Security group IDs and
# the internal load balancer's DNS name are overridden at plan time so the wiring can be compared; the security
# properties are read from module.stack's outputs, which report the built resources. What only one stage
# guarantees is in that stage's own tests/<stage>.tftest.hcl.

mock_provider "aws" {
  source = "../_shared/tests/aws"
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
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/relay-internal/0123456789abcdef"
    arn_suffix = "app/relay-internal/0123456789abcdef"
    dns_name   = "internal-relay-internal-1234567890.eu-west-1.elb.amazonaws.com"
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
    condition = (
      module.stack.app_environments.app1.APP2_URL == "http://internal-relay-internal-1234567890.eu-west-1.elb.amazonaws.com" &&
      module.stack.app_environments.app1.APP2_URL == module.stack.load_balancers.internal.url
    )
    error_message = "app1's APP2_URL must be the internal load balancer's URL"
  }

  assert {
    condition     = module.stack.app_environments.app1.ENVIRONMENT == local.environment && module.stack.app_environments.app2.ENVIRONMENT == local.environment
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

# tostring(null) below: an untyped null literal never equals an output's null string.
run "each_tier_is_reachable_only_from_the_tier_in_front" {
  command = plan

  assert {
    condition     = module.stack.load_balancers.public.ingress == [{ from_port = 80, to_port = 80, cidr_ipv4 = "0.0.0.0/0", referenced_security_group_id = tostring(null) }]
    error_message = "without a certificate the public load balancer admits port 80 from anywhere, nothing else"
  }

  assert {
    condition     = module.stack.service_ingress.app1 == [{ from_port = 8080, to_port = 8080, cidr_ipv4 = tostring(null), referenced_security_group_id = "sg-00000000000000001" }]
    error_message = "app1 must admit port 8080 from the public load balancer only"
  }

  assert {
    condition     = module.stack.load_balancers.internal.ingress == [{ from_port = 80, to_port = 80, cidr_ipv4 = tostring(null), referenced_security_group_id = "sg-00000000000000002" }]
    error_message = "the internal load balancer must admit port 80 from app1 only"
  }

  assert {
    condition     = module.stack.service_ingress.app2 == [{ from_port = 8080, to_port = 8080, cidr_ipv4 = tostring(null), referenced_security_group_id = "sg-00000000000000003" }]
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
}

run "only_the_public_load_balancer_admits_addresses_and_never_port_22" {
  command = plan

  variables {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition = toset([
      for rule in module.stack.load_balancers.public.ingress : "${rule.from_port}-${rule.to_port} ${rule.cidr_ipv4}"
    ]) == toset(["80-80 0.0.0.0/0", "443-443 0.0.0.0/0"])
    error_message = "with a certificate the public load balancer admits 80 (redirect) and 443 from anywhere, nothing else"
  }

  assert {
    condition = alltrue([
      for rule in concat(module.stack.load_balancers.internal.ingress, flatten(values(module.stack.service_ingress))) : rule.cidr_ipv4 == null
    ])
    error_message = "behind the public load balancer every tier admits security groups only, never an address range"
  }

  assert {
    condition = alltrue([
      for rule in flatten(concat([for lb in values(module.stack.load_balancers) : lb.ingress], values(module.stack.service_ingress))) :
      rule.from_port > 22 || rule.to_port < 22
    ]) && alltrue([for rule in flatten(values(module.stack.service_egress)) : rule.port != 22])
    error_message = "no rule may open port 22"
  }
}

run "load_balancers_face_their_side_and_drop_invalid_headers" {
  command = plan

  assert {
    condition     = module.stack.load_balancers.public.internal == false && module.stack.load_balancers.internal.internal == true
    error_message = "the public load balancer must face the internet and the internal one must not"
  }

  assert {
    condition     = module.stack.load_balancers.public.drop_invalid_header_fields && module.stack.load_balancers.internal.drop_invalid_header_fields
    error_message = "both load balancers must drop invalid header fields"
  }
}

run "names_carry_the_stage" {
  command = plan

  assert {
    condition     = output.asg_names == { app1 = "relay-${local.environment}-app1", app2 = "relay-${local.environment}-app2" }
    error_message = "Auto Scaling groups must be relay-<stage>-<service>"
  }

  assert {
    condition     = output.log_group_names == { app1 = "/relay/${local.environment}/app1", app2 = "/relay/${local.environment}/app2" }
    error_message = "log groups must be /relay/<stage>/<service>"
  }
}

run "network_and_protection_follow_terraform_tfvars" {
  command = plan

  assert {
    condition     = length(module.stack.availability_zones) == var.az_count
    error_message = "the stage must span az_count availability zones"
  }

  assert {
    condition     = length(module.stack.nat_gateway_ids) == (var.single_nat_gateway ? 1 : var.az_count)
    error_message = "the stage must have one NAT gateway with single_nat_gateway, else one per AZ"
  }

  assert {
    condition = alltrue([
      for lb in values(module.stack.load_balancers) : lb.deletion_protection == var.enable_deletion_protection
    ])
    error_message = "both load balancers must be protected from deletion exactly when enable_deletion_protection is set"
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
