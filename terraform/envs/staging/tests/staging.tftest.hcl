# What envs/staging sets in main.tf and no other stage does, planned with its own values against a mocked AWS
# provider. The wiring every stage shares (APP2_URL, the ingress chain, no port 22, HTTPS, ...) is tested once in
# modules/stack/tests.

mock_provider "aws" {
  source = "../../modules/stack/tests/mocks"
}

# terraform.tfvars leaves the domain, the certificate and the alarm address unset; an address is set here, since
# a plan without one warns (a check block), which fails a test run.
variables {
  app1_image_tag = "1111111111111111111111111111111111111111"
  app2_image_tag = "2222222222222222222222222222222222222222"
  alarm_email    = "ops@example.com"
}

run "plans_the_staging_stage" {
  command = plan

  assert {
    condition = (
      output.stack.app_environments.app1.ENVIRONMENT == "staging" && output.stack.app_environments.app2.ENVIRONMENT == "staging" &&
      output.stack.asg_names == { app1 = "relay-staging-app1", app2 = "relay-staging-app2" }
    )
    error_message = "envs/staging must deploy the staging stage"
  }

  assert {
    condition = output.stack.images == {
      app1 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app1:1111111111111111111111111111111111111111"
      app2 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app2:2222222222222222222222222222222222222222"
    }
    error_message = "each service must run the image tag given to this stage"
  }

  assert {
    condition     = !output.stack.https_required && keys(output.stack.load_balancers.public.listeners) == ["80"] && output.stack.load_balancers.public.listeners["80"].action == "forward"
    error_message = "staging may serve plain HTTP when terraform.tfvars sets no domain or certificate"
  }
}

run "staging_rehearses_prod_on_a_smaller_scale" {
  command = plan

  assert {
    condition = length(output.stack.availability_zones) == 2 && alltrue([
      for service in ["app1", "app2"] :
      output.stack.capacity[service] == { instance_type = "t4g.small", min_size = 2, max_size = 4 } && output.stack.hosts[service].architecture == "arm64"
    ])
    error_message = "staging spans two AZs and runs prod's t4g.small (Graviton, the arm64 AMI), two per service, four at most"
  }

  assert {
    condition     = output.stack.hosts.app1.root_volume_size == 10 && output.stack.hosts.app2.root_volume_size == 10
    error_message = "staging keeps the 10 GiB root volumes, the relay host AMI's root snapshot"
  }

  assert {
    condition     = output.stack.hosts.app1.detailed_monitoring && output.stack.hosts.app2.detailed_monitoring
    error_message = "staging keeps EC2 detailed monitoring (one-minute metrics)"
  }

  assert {
    condition     = output.stack.hosts.app1.market_type == "on-demand" && output.stack.hosts.app2.market_type == "on-demand"
    error_message = "staging runs on-demand instances, as prod does"
  }

  assert {
    condition     = alltrue([for schedule in values(output.stack.scale_to_zero_schedules) : schedule == null])
    error_message = "staging's services are never scheduled to stop"
  }

  assert {
    condition     = alltrue([for lb in values(output.stack.load_balancers) : !lb.deletion_protection && lb.access_logs_force_destroy])
    error_message = "staging's load balancers can be destroyed, and their access logs go with them"
  }

  assert {
    condition     = output.stack.app_environments.app1.LOG_LEVEL == "info" && output.stack.app_environments.app2.LOG_LEVEL == "info"
    error_message = "staging logs at info level, like prod"
  }
}

run "staging_reaches_the_internet_through_one_shared_nat_gateway" {
  command = plan

  override_resource {
    target          = module.stack.module.network.aws_nat_gateway.this
    override_during = plan
    values          = { id = "nat-0123456789abcdef0" }
  }

  assert {
    condition     = output.stack.nat_gateway_ids == ["nat-0123456789abcdef0"] && length(output.stack.nat_instance_asg_names) == 0
    error_message = "staging must have one NAT gateway and no NAT instance"
  }

  assert {
    condition     = [for route in output.stack.private_routes : route.target] == ["nat-0123456789abcdef0", "nat-0123456789abcdef0"]
    error_message = "the private routes of both AZs must send to the one NAT gateway"
  }
}

run "staging_serves_https_for_a_domain_it_is_given" {
  command = plan

  variables {
    domain_name    = "staging.relay.example.com"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  assert {
    condition     = output.stack.public_url == "https://staging.relay.example.com"
    error_message = "with a domain in terraform.tfvars, staging serves HTTPS on it"
  }
}
