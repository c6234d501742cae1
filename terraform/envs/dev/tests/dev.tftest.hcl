# What envs/dev sets in main.tf and no other stage does, planned with its own values against a mocked AWS provider.
# The wiring every stage shares (APP2_URL, the ingress chain, no port 22, HTTPS, ...) is tested once in
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

run "plans_the_dev_stage" {
  command = plan

  assert {
    condition = (
      output.stack.app_environments.app1.ENVIRONMENT == "dev" && output.stack.app_environments.app2.ENVIRONMENT == "dev" &&
      output.stack.asg_names == { app1 = "relay-dev-app1", app2 = "relay-dev-app2" }
    )
    error_message = "envs/dev must deploy the dev stage"
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
    error_message = "dev may serve plain HTTP when terraform.tfvars sets no domain or certificate"
  }
}

run "dev_is_small_cheap_and_disposable" {
  command = plan

  assert {
    condition = length(output.stack.availability_zones) == 2 && alltrue([
      for service in ["app1", "app2"] :
      output.stack.capacity[service] == { instance_type = "t4g.micro", min_size = 1, max_size = 2 } && output.stack.hosts[service].architecture == "arm64"
    ])
    error_message = "dev spans two AZs and runs one t4g.micro (Graviton, the arm64 AMI) per service, two at most"
  }

  assert {
    condition     = output.stack.hosts.app1.root_volume_size == 10 && output.stack.hosts.app2.root_volume_size == 10
    error_message = "dev keeps the 10 GiB root volumes, the relay host AMI's root snapshot"
  }

  assert {
    condition     = !output.stack.hosts.app1.detailed_monitoring && !output.stack.hosts.app2.detailed_monitoring
    error_message = "dev does without EC2 detailed monitoring (five-minute metrics are free)"
  }

  assert {
    condition     = output.stack.hosts.app1.market_type == "spot" && output.stack.hosts.app2.market_type == "spot"
    error_message = "dev runs both services on Spot Instances"
  }

  assert {
    condition     = alltrue([for schedule in values(output.stack.scale_to_zero_schedules) : schedule == null])
    error_message = "dev's services are never scheduled to stop unless main.tf says so"
  }

  assert {
    condition     = alltrue([for lb in values(output.stack.load_balancers) : !lb.deletion_protection && lb.access_logs_force_destroy])
    error_message = "dev's load balancers can be destroyed, and their access logs go with them"
  }

  assert {
    condition     = output.stack.app_environments.app1.LOG_LEVEL == "debug" && output.stack.app_environments.app2.LOG_LEVEL == "debug"
    error_message = "dev logs at debug level"
  }
}

# A NAT instance, not a NAT gateway: the fixed interface's ID is set at plan so that the routes can be compared.
run "dev_reaches_the_internet_through_one_nat_instance" {
  command = plan

  override_resource {
    target          = module.stack.module.network.aws_network_interface.nat_instance
    override_during = plan
    values          = { id = "eni-0123456789abcdef0" }
  }

  assert {
    condition     = length(output.stack.nat_gateway_ids) == 0 && output.stack.nat_instance_asg_names == ["relay-dev-nat-eu-west-1a"]
    error_message = "dev must have one NAT instance (its group in the first AZ) and no NAT gateway"
  }

  assert {
    condition     = length(output.stack.private_routes) == 2 && alltrue([for route in output.stack.private_routes : route.destination == "0.0.0.0/0" && route.target == "eni-0123456789abcdef0"])
    error_message = "every private route of dev must send to the NAT instance's fixed interface"
  }

  assert {
    condition = toset(output.stack.nat_instance_ingress) == toset([
      for cidr in ["10.10.128.0/20", "10.10.144.0/20"] : { ip_protocol = "-1", cidr_ipv4 = cidr, referenced_security_group_id = tostring(null) }
    ])
    error_message = "the NAT instance must admit dev's two private subnets and nothing else"
  }

  assert {
    condition     = length(output.stack.nat_public_ips) == 1
    error_message = "dev's outbound traffic leaves from the NAT instance's one Elastic IP"
  }
}

run "dev_serves_https_for_a_domain_it_is_given" {
  command = plan

  variables {
    domain_name    = "dev.relay.example.com"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  assert {
    condition     = output.stack.public_url == "https://dev.relay.example.com"
    error_message = "with a domain in terraform.tfvars, dev serves HTTPS on it"
  }
}
