# Plan-only tests of the wiring between the modules, against a mocked AWS provider. The security group IDs and
# DNS names the assertions compare are overridden at plan time with recognisable values; other computed values
# stay unknown, as in a real first plan.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }

  mock_data "aws_region" {
    defaults = { name = "eu-central-1" }
  }

  override_data {
    target = data.aws_availability_zones.available
    values = { names = ["eu-central-1a", "eu-central-1b", "eu-central-1c"] }
  }

  override_data {
    target = data.aws_ecr_repository.app1
    values = {
      repository_url = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay/app1"
      arn            = "arn:aws:ecr:eu-central-1:123456789012:repository/relay/app1"
    }
  }

  override_data {
    target = data.aws_ecr_repository.app2
    values = {
      repository_url = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay/app2"
      arn            = "arn:aws:ecr:eu-central-1:123456789012:repository/relay/app2"
    }
  }
}

override_resource {
  target          = module.public_alb.aws_security_group.this
  override_during = plan
  values          = { id = "sg-00000000000000001" }
}

override_resource {
  target          = module.app1.aws_security_group.this
  override_during = plan
  values          = { id = "sg-00000000000000002" }
}

override_resource {
  target          = module.internal_alb.aws_security_group.this
  override_during = plan
  values          = { id = "sg-00000000000000003" }
}

override_resource {
  target          = module.app2.aws_security_group.this
  override_during = plan
  values          = { id = "sg-00000000000000004" }
}

override_resource {
  target          = module.internal_alb.aws_lb.this
  override_during = plan
  values = {
    arn        = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/relay-dev-internal/0123456789abcdef"
    arn_suffix = "app/relay-dev-internal/0123456789abcdef"
    dns_name   = "internal-relay-dev-internal-1234567890.eu-central-1.elb.amazonaws.com"
  }
}

variables {
  environment    = "dev"
  app1_image_tag = "1111111111111111111111111111111111111111"
  app2_image_tag = "2222222222222222222222222222222222222222"
}

run "app1_calls_app2_through_the_internal_load_balancer" {
  command = plan

  assert {
    condition = (
      output.app_environments.app1.APP2_URL == "http://internal-relay-dev-internal-1234567890.eu-central-1.elb.amazonaws.com" &&
      output.app_environments.app1.APP2_URL == output.load_balancers.internal.url
    )
    error_message = "app1's APP2_URL must be the internal load balancer's URL"
  }

  assert {
    condition     = output.app_environments.app1.APP2_TIMEOUT_MS == "2000" && output.app_environments.app1.ENVIRONMENT == "dev"
    error_message = "app1 must get its timeout and stage"
  }

  assert {
    condition     = output.app_environments.app2.ENVIRONMENT == "dev"
    error_message = "app2 must know its stage"
  }

  assert {
    condition     = !contains(keys(output.app_environments.app2), "APP2_URL")
    error_message = "app2 calls nobody"
  }

  assert {
    condition = output.images == {
      app1 = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay/app1:1111111111111111111111111111111111111111"
      app2 = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay/app2:2222222222222222222222222222222222222222"
    }
    error_message = "each service must run its own repository's image at its own tag"
  }
}

run "each_tier_is_reachable_only_from_the_tier_in_front" {
  command = plan

  assert {
    # tostring(null): an untyped null literal never equals the output's null string.
    condition     = output.service_ingress.app1 == [{ from_port = 8080, to_port = 8080, cidr_ipv4 = tostring(null), referenced_security_group_id = "sg-00000000000000001" }]
    error_message = "app1 must admit port 8080 from the public load balancer only"
  }

  assert {
    condition     = output.service_ingress.app2 == [{ from_port = 8080, to_port = 8080, cidr_ipv4 = tostring(null), referenced_security_group_id = "sg-00000000000000003" }]
    error_message = "app2 must admit port 8080 from the internal load balancer only"
  }

  assert {
    condition     = output.load_balancers.internal.ingress == [{ from_port = 80, to_port = 80, cidr_ipv4 = tostring(null), referenced_security_group_id = "sg-00000000000000002" }]
    error_message = "the internal load balancer must admit port 80 from app1 only"
  }

  assert {
    condition     = output.load_balancers.public.ingress == [{ from_port = 80, to_port = 80, cidr_ipv4 = "0.0.0.0/0", referenced_security_group_id = tostring(null) }]
    error_message = "without a certificate the public load balancer admits port 80 from anywhere, nothing else"
  }

  assert {
    condition     = output.service_egress.app1 == [{ port = 443, destination = "0.0.0.0/0" }, { port = 80, destination = "sg-00000000000000003" }]
    error_message = "app1 may connect to AWS APIs over HTTPS and to the internal load balancer on port 80, nothing else"
  }

  assert {
    condition     = output.service_egress.app2 == [{ port = 443, destination = "0.0.0.0/0" }]
    error_message = "app2 may connect to AWS APIs over HTTPS only"
  }

  assert {
    condition = alltrue([
      for rule in flatten(concat(values(output.service_ingress), [for lb in values(output.load_balancers) : lb.ingress])) : rule.from_port > 22 || rule.to_port < 22
    ]) && alltrue([for rule in flatten(values(output.service_egress)) : rule.port != 22])
    error_message = "no rule may open port 22"
  }
}

run "names_follow_project_and_stage" {
  command = plan

  assert {
    condition     = output.asg_names == { app1 = "relay-dev-app1", app2 = "relay-dev-app2" }
    error_message = "Auto Scaling groups must be named <project>-<stage>-<service>"
  }

  assert {
    condition     = output.log_group_names == { app1 = "/relay/dev/app1", app2 = "/relay/dev/app2" }
    error_message = "log groups must be /<project>/<stage>/<service>"
  }
}

run "load_balancers_are_what_their_side_needs" {
  command = plan

  assert {
    condition     = output.load_balancers.public.internal == false && output.load_balancers.internal.internal == true
    error_message = "the public load balancer must face the internet and the internal one must not"
  }

  assert {
    condition     = output.load_balancers.public.drop_invalid_header_fields && output.load_balancers.internal.drop_invalid_header_fields
    error_message = "both load balancers must drop invalid header fields"
  }

  assert {
    condition     = !output.load_balancers.public.deletion_protection && !output.load_balancers.internal.deletion_protection
    error_message = "deletion protection is off unless enable_deletion_protection is set"
  }
}

# Certificate or not, the public load balancer is the only way in: the runs above plan without one.
run "with_a_certificate_only_the_public_load_balancer_admits_addresses_and_never_port_22" {
  command = plan

  variables {
    certificate_arn = "arn:aws:acm:eu-central-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition = toset([
      for rule in output.load_balancers.public.ingress : "${rule.from_port}-${rule.to_port} ${rule.cidr_ipv4}"
    ]) == toset(["80-80 0.0.0.0/0", "443-443 0.0.0.0/0"])
    error_message = "with a certificate the public load balancer admits 80 (redirect) and 443 from anywhere, nothing else"
  }

  assert {
    condition = alltrue([
      for rule in concat(output.load_balancers.internal.ingress, flatten(values(output.service_ingress))) : rule.cidr_ipv4 == null
    ])
    error_message = "behind the public load balancer every tier admits security groups only, never an address range"
  }

  assert {
    condition = alltrue([
      for rule in flatten(concat([for lb in values(output.load_balancers) : lb.ingress], values(output.service_ingress))) :
      rule.from_port > 22 || rule.to_port < 22
    ]) && alltrue([for rule in flatten(values(output.service_egress)) : rule.port != 22])
    error_message = "no rule may open port 22"
  }
}

# The two network shapes the stages use (envs/dev and envs/staging: two AZs sharing one NAT gateway; envs/prod:
# three AZs with a NAT gateway each and protected load balancers), checked with the same three rules.
run "two_azs_share_one_nat_gateway" {
  command = plan

  variables {
    az_count                   = 2
    single_nat_gateway         = true
    enable_deletion_protection = false
  }

  assert {
    condition     = length(output.availability_zones) == var.az_count
    error_message = "the stage must span az_count availability zones"
  }

  assert {
    condition     = length(output.nat_gateway_ids) == (var.single_nat_gateway ? 1 : var.az_count)
    error_message = "the stage must have one NAT gateway with single_nat_gateway, else one per AZ"
  }

  assert {
    condition     = alltrue([for lb in values(output.load_balancers) : lb.deletion_protection == var.enable_deletion_protection])
    error_message = "both load balancers must be protected from deletion exactly when enable_deletion_protection is set"
  }
}

run "three_azs_with_a_nat_gateway_each" {
  command = plan

  variables {
    environment                = "prod"
    az_count                   = 3
    single_nat_gateway         = false
    enable_deletion_protection = true
  }

  assert {
    condition     = length(output.availability_zones) == var.az_count
    error_message = "the stage must span az_count availability zones"
  }

  assert {
    condition     = length(output.nat_gateway_ids) == (var.single_nat_gateway ? 1 : var.az_count)
    error_message = "the stage must have one NAT gateway with single_nat_gateway, else one per AZ"
  }

  assert {
    condition     = alltrue([for lb in values(output.load_balancers) : lb.deletion_protection == var.enable_deletion_protection])
    error_message = "both load balancers must be protected from deletion exactly when enable_deletion_protection is set"
  }
}

run "nat_instances_instead_of_nat_gateways_when_asked" {
  command = plan

  variables {
    nat               = "instance"
    nat_instance_type = "t4g.micro"
  }

  assert {
    condition     = length(output.nat_gateway_ids) == 0 && output.nat_instance_asg_names == ["relay-dev-nat-eu-central-1a"]
    error_message = "nat = \"instance\" with single_nat_gateway must give one NAT instance group and no NAT gateway"
  }

  assert {
    condition     = length(output.nat_public_ips) == 1
    error_message = "the NAT instance's Elastic IP must be the stage's one outbound address"
  }
}

run "refuses_one_az" {
  command = plan
  variables { az_count = 1 }
  expect_failures = [var.az_count]
}

run "refuses_unknown_stage" {
  command = plan
  variables { environment = "qa" }
  expect_failures = [var.environment]
}

run "refuses_timeout_beyond_the_load_balancer_idle_timeout" {
  command = plan
  variables { app2_timeout_ms = 60000 }
  expect_failures = [var.app2_timeout_ms]
}

run "refuses_unknown_log_level" {
  command = plan
  variables { log_level = "verbose" }
  expect_failures = [var.log_level]
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

run "refuses_a_stage_without_instances" {
  command = plan
  variables { min_size = 0 }
  expect_failures = [var.min_size]
}
