# What envs/staging sets in main.tf, planned with its own values against a mocked AWS provider (the plan must
# succeed). The wiring every stage shares (APP2_URL, the ingress chain, no port 22, ...) is tested once in
# modules/stack/tests, for the shapes the stages use.

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

run "this_directory_deploys_staging" {
  command = plan

  assert {
    condition = (
      output.stack.app_environments.app1.ENVIRONMENT == "staging" && output.stack.app_environments.app2.ENVIRONMENT == "staging" &&
      output.stack.asg_names == { app1 = "relay-staging-app1", app2 = "relay-staging-app2" } &&
      output.stack.log_group_names == { app1 = "/relay/staging/app1", app2 = "/relay/staging/app2" }
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
}

run "staging_keeps_two_instances_per_service" {
  command = plan

  assert {
    condition     = length(output.stack.availability_zones) == 2
    error_message = "staging spans two AZs"
  }

  assert {
    condition     = alltrue([for service in values(output.stack.capacity) : service == { instance_type = "t4g.small", min_size = 2, max_size = 4 }])
    error_message = "staging must survive the loss of an instance or an AZ like prod: two t4g.small per service, four at most"
  }

  assert {
    condition     = !output.stack.load_balancers.public.deletion_protection && !output.stack.load_balancers.internal.deletion_protection
    error_message = "staging's load balancers can be destroyed"
  }

  assert {
    condition     = output.stack.load_balancers.public.access_logs_force_destroy && output.stack.load_balancers.internal.access_logs_force_destroy
    error_message = "staging's access logs go with the stage when it is destroyed"
  }

  assert {
    condition     = output.stack.app_environments.app1.LOG_LEVEL == "info" && output.stack.app_environments.app2.LOG_LEVEL == "info"
    error_message = "staging logs at info level, like prod"
  }
}

run "staging_runs_on_graviton" {
  command = plan

  assert {
    condition = alltrue([
      for service in ["app1", "app2"] :
      output.stack.hosts[service].architecture == "arm64" && output.stack.capacity[service].instance_type == "t4g.small"
    ])
    error_message = "staging runs both services on t4g.small (Graviton) with the arm64 relay host AMI"
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
    condition     = alltrue([for schedule in values(output.stack.scale_to_zero_schedules) : schedule == null])
    error_message = "staging's services are never scheduled to stop"
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
    condition     = length(output.stack.nat_gateway_ids) == 1 && length(output.stack.nat_instance_asg_names) == 0
    error_message = "staging must have one NAT gateway and no NAT instance"
  }

  assert {
    condition     = length(output.stack.private_routes) == 2 && alltrue([for route in output.stack.private_routes : route.destination == "0.0.0.0/0" && route.target == "nat-0123456789abcdef0"])
    error_message = "every private route of staging must send to a NAT gateway"
  }
}

run "staging_may_run_on_plain_http" {
  command = plan

  assert {
    condition = (
      !output.stack.https_required &&
      keys(output.stack.load_balancers.public.listeners) == ["80"] &&
      output.stack.load_balancers.public.listeners["80"].action == "forward" &&
      output.stack.load_balancers.public.domain == null
    )
    error_message = "staging may serve plain HTTP on port 80 when terraform.tfvars sets no domain or certificate"
  }
}

run "staging_serves_https_for_a_domain" {
  command = plan

  variables {
    domain_name    = "staging.relay.example.com"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  assert {
    condition = (
      output.stack.public_url == "https://staging.relay.example.com" &&
      output.stack.load_balancers.public.listeners["80"].action == "redirect" &&
      output.stack.load_balancers.public.listeners["443"].protocol == "HTTPS" &&
      output.stack.load_balancers.public.domain.certificate.validation_method == "DNS" &&
      output.stack.load_balancers.public.domain.validation_records[0].zone_id == "Z0123456789ABCDEFGHIJ" &&
      output.stack.load_balancers.public.domain.alias_records[0].zone_id == "Z0123456789ABCDEFGHIJ"
    )
    error_message = "with a domain, staging serves HTTPS on it and port 80 only redirects"
  }
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
