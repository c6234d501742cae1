# Plan-only tests of the wiring between the modules, against a mocked AWS provider. The security group IDs and
# DNS names the assertions compare are overridden at plan time with recognisable values; other computed values
# stay unknown, as in a real first plan.

mock_provider "aws" {
  source = "./tests/mocks"
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
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/relay-dev-internal/0123456789abcdef"
    arn_suffix = "app/relay-dev-internal/0123456789abcdef"
    dns_name   = "internal-relay-dev-internal-1234567890.eu-west-1.elb.amazonaws.com"
  }
}

# The public load balancer's name and zone, for the alias record of a domain.
override_resource {
  target          = module.public_alb.aws_lb.this
  override_during = plan
  values = {
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/relay-dev-public/0123456789abcdef"
    arn_suffix = "app/relay-dev-public/0123456789abcdef"
    dns_name   = "relay-dev-public-1234567890.eu-west-1.elb.amazonaws.com"
    zone_id    = "Z215JYRZR1TBD5"
  }
}

# Plain HTTP and an alarm address unless a run says otherwise: the HTTPS rules and the alarm checks have runs of
# their own (a check that fails fails its run).
variables {
  environment    = "dev"
  app1_image_tag = "1111111111111111111111111111111111111111"
  app2_image_tag = "2222222222222222222222222222222222222222"
  require_https  = false
  alarm_email    = "ops@example.com"
}

run "app1_calls_app2_through_the_internal_load_balancer" {
  command = plan

  assert {
    condition = (
      output.app_environments.app1.APP2_URL == "http://internal-relay-dev-internal-1234567890.eu-west-1.elb.amazonaws.com" &&
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
      app1 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app1:1111111111111111111111111111111111111111"
      app2 = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app2:2222222222222222222222222222222222222222"
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

run "names_carry_the_stage" {
  command = plan

  assert {
    condition     = output.asg_names == { app1 = "relay-dev-app1", app2 = "relay-dev-app2" }
    error_message = "Auto Scaling groups must be named relay-<stage>-<service>"
  }

  assert {
    condition     = output.log_group_names == { app1 = "/relay/dev/app1", app2 = "/relay/dev/app2" }
    error_message = "log groups must be /relay/<stage>/<service>"
  }
}

# A stage is a name, not one of a list; the longest one still fits every name made from it.
run "a_stage_name_of_17_characters_fits_every_name" {
  command = plan

  variables {
    environment = "a-stage-of-17-chr"
  }

  assert {
    condition     = output.asg_names.app1 == "relay-a-stage-of-17-chr-app1" && output.app_environments.app2.ENVIRONMENT == "a-stage-of-17-chr"
    error_message = "any stage name of up to 17 characters must plan, and reach the names and the apps"
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
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
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

  assert {
    condition = (
      output.load_balancers.public.listeners["80"].action == "redirect" &&
      output.load_balancers.public.listeners["80"].redirect == { protocol = "HTTPS", port = "443", status_code = "HTTP_301" } &&
      output.load_balancers.public.listeners["443"].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" &&
      output.load_balancers.public.listeners["443"].certificate_arn == var.certificate_arn
    )
    error_message = "with a certificate, port 80 only redirects and 443 serves it with the TLS 1.3 policy"
  }

  assert {
    condition     = output.load_balancers.public.domain == null && output.public_url == "https://relay-dev-public-1234567890.eu-west-1.elb.amazonaws.com"
    error_message = "a given certificate needs no certificate request or DNS record; the URL is HTTPS on the load balancer's name"
  }

  assert {
    condition     = keys(output.load_balancers.internal.listeners) == ["80"] && output.load_balancers.internal.listeners["80"].action == "forward"
    error_message = "the internal load balancer stays plain HTTP inside the VPC"
  }
}

run "a_domain_gets_a_validated_certificate_an_alias_and_https_only" {
  command = plan

  variables {
    domain_name    = "relay.example.com"
    hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  override_resource {
    target          = module.public_alb.aws_acm_certificate.this
    override_during = plan
    values = {
      arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-1111-1111-1111-111111111111"
      domain_validation_options = [{
        domain_name           = "relay.example.com"
        resource_record_name  = "_0123456789abcdef.relay.example.com."
        resource_record_type  = "CNAME"
        resource_record_value = "_fedcba9876543210.acm-validations.aws."
      }]
    }
  }

  assert {
    condition = (
      output.load_balancers.public.domain.certificate.domain_name == "relay.example.com" &&
      output.load_balancers.public.domain.certificate.validation_method == "DNS"
    )
    error_message = "a domain gets an ACM certificate validated through DNS"
  }

  assert {
    condition     = output.load_balancers.public.domain.validation_records == [{ zone_id = "Z0123456789ABCDEFGHIJ", name = "_0123456789abcdef.relay.example.com.", type = "CNAME" }]
    error_message = "the certificate's validation record goes into the given hosted zone"
  }

  assert {
    condition     = output.load_balancers.public.domain.alias_records == [{ zone_id = "Z0123456789ABCDEFGHIJ", name = "relay.example.com", type = "A", target = "relay-dev-public-1234567890.eu-west-1.elb.amazonaws.com" }]
    error_message = "the domain is an alias of the public load balancer in the given zone"
  }

  assert {
    condition = (
      output.load_balancers.public.listeners["80"].action == "redirect" &&
      output.load_balancers.public.listeners["80"].redirect.status_code == "HTTP_301" &&
      output.load_balancers.public.listeners["443"].protocol == "HTTPS" &&
      output.load_balancers.public.listeners["443"].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"
    )
    error_message = "with a domain, port 80 only redirects and 443 serves HTTPS with the TLS 1.3 policy"
  }

  assert {
    condition     = output.public_url == "https://relay.example.com" && output.load_balancers.internal.domain == null
    error_message = "the public URL is the domain over HTTPS; the internal load balancer has no domain"
  }
}

run "plain_http_when_https_is_not_required" {
  command = plan

  assert {
    condition = (
      keys(output.load_balancers.public.listeners) == ["80"] &&
      output.load_balancers.public.listeners["80"].action == "forward" &&
      output.load_balancers.public.domain == null &&
      startswith(output.public_url, "http://") && output.https_required == false
    )
    error_message = "without certificate or domain, a stage that does not require HTTPS serves plain HTTP on port 80"
  }
}

# What envs/prod sets: require_https, the default.
run "refuses_to_plan_without_https_when_required" {
  command = plan

  variables {
    environment   = "prod"
    require_https = true
  }

  expect_failures = [var.require_https]
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

run "access_logs_follow_their_own_setting_not_deletion_protection" {
  command = plan

  variables {
    enable_deletion_protection  = false
    keep_access_logs_on_destroy = true
  }

  assert {
    condition     = alltrue([for lb in values(output.load_balancers) : !lb.deletion_protection && !lb.access_logs_force_destroy])
    error_message = "keep_access_logs_on_destroy keeps both log buckets even when the load balancers may be deleted"
  }
}

run "access_logs_go_with_the_stage_by_default_even_when_protected" {
  command = plan

  variables {
    enable_deletion_protection = true
  }

  assert {
    condition     = alltrue([for lb in values(output.load_balancers) : lb.deletion_protection && lb.access_logs_force_destroy])
    error_message = "deletion protection alone does not keep the log buckets"
  }
}

run "alarm_notifications_name_who_is_told" {
  command = plan

  override_resource {
    target          = module.monitoring.aws_sns_topic_subscription.email
    override_during = plan
    values          = { pending_confirmation = false }
  }

  assert {
    condition     = output.alarm_notifications == "e-mail to ops@example.com"
    error_message = "alarm_notifications names the address the alarms reach"
  }
}

# The three ways out of the private subnets (which stage uses which: envs/README.md): one NAT gateway shared by
# the AZs, a NAT gateway per AZ, and a NAT instance (the run after these two).
run "two_azs_share_one_nat_gateway" {
  command = plan

  variables {
    az_count           = 2
    single_nat_gateway = true
  }

  override_resource {
    target          = module.network.aws_nat_gateway.this
    override_during = plan
    values          = { id = "nat-0123456789abcdef0" }
  }

  assert {
    condition     = output.availability_zones == tolist(["eu-west-1a", "eu-west-1b"]) && output.nat_gateway_ids == ["nat-0123456789abcdef0"]
    error_message = "two AZs with single_nat_gateway must share one NAT gateway"
  }

  assert {
    condition     = length(output.private_routes) == 2 && alltrue([for route in output.private_routes : route.destination == "0.0.0.0/0" && route.target == "nat-0123456789abcdef0"])
    error_message = "the private route of each AZ must send to the one NAT gateway"
  }
}

# Each gateway gets an ID of its own here, so that the routes show which one each AZ uses.
run "three_azs_route_through_a_nat_gateway_each" {
  command = plan

  variables {
    az_count           = 3
    single_nat_gateway = false
  }

  override_resource {
    target          = module.network.aws_nat_gateway.this[0]
    override_during = plan
    values          = { id = "nat-0aaaaaaaaaaaaaaaa" }
  }

  override_resource {
    target          = module.network.aws_nat_gateway.this[1]
    override_during = plan
    values          = { id = "nat-0bbbbbbbbbbbbbbbb" }
  }

  override_resource {
    target          = module.network.aws_nat_gateway.this[2]
    override_during = plan
    values          = { id = "nat-0cccccccccccccccc" }
  }

  assert {
    condition     = output.availability_zones == tolist(["eu-west-1a", "eu-west-1b", "eu-west-1c"]) && length(output.nat_gateway_ids) == 3
    error_message = "three AZs without single_nat_gateway must have three NAT gateways"
  }

  assert {
    condition = [for route in output.private_routes : "${route.destination} ${route.target}"] == [
      "0.0.0.0/0 nat-0aaaaaaaaaaaaaaaa", "0.0.0.0/0 nat-0bbbbbbbbbbbbbbbb", "0.0.0.0/0 nat-0cccccccccccccccc"
    ]
    error_message = "the private route of each AZ must send to that AZ's own NAT gateway"
  }
}

run "nat_instances_instead_of_nat_gateways_when_asked" {
  command = plan

  variables {
    nat               = "instance"
    nat_instance_type = "t4g.micro"
  }

  override_resource {
    target          = module.network.aws_network_interface.nat_instance
    override_during = plan
    values          = { id = "eni-0123456789abcdef0" }
  }

  assert {
    condition     = length(output.nat_gateway_ids) == 0 && output.nat_instance_asg_names == ["relay-dev-nat-eu-west-1a"]
    error_message = "nat = \"instance\" with single_nat_gateway must give one NAT instance group and no NAT gateway"
  }

  assert {
    condition     = length(output.nat_public_ips) == 1
    error_message = "the NAT instance's Elastic IP must be the stage's one outbound address"
  }

  assert {
    condition     = length(output.private_routes) == 2 && alltrue([for route in output.private_routes : route.destination == "0.0.0.0/0" && route.target == "eni-0123456789abcdef0"])
    error_message = "every private route must send to the NAT instance's fixed interface"
  }

  assert {
    condition     = toset([for rule in output.nat_instance_ingress : rule.cidr_ipv4]) == toset(["10.0.128.0/20", "10.0.144.0/20"])
    error_message = "the NAT instances must admit the private subnets and nothing else"
  }
}

run "graviton_on_demand_with_detailed_monitoring_and_no_schedule_by_default" {
  command = plan

  assert {
    condition = alltrue([
      for service in ["app1", "app2"] :
      output.hosts[service].architecture == "arm64" && output.capacity[service].instance_type == "t4g.micro" && output.hosts[service].detailed_monitoring
    ])
    error_message = "both services must default to a t4g.micro on the arm64 AMI, with detailed monitoring"
  }

  assert {
    condition     = output.hosts.app1.market_type == "on-demand" && output.hosts.app2.market_type == "on-demand"
    error_message = "both services must default to on-demand instances"
  }

  assert {
    condition     = output.hosts.app1.root_volume_size == 10 && output.hosts.app2.root_volume_size == 10
    error_message = "both services' root volumes must default to 10 GiB, the relay host AMI's root snapshot"
  }

  assert {
    condition     = keys(output.scale_to_zero_schedules) == ["app1", "app2"] && alltrue([for schedule in values(output.scale_to_zero_schedules) : schedule == null])
    error_message = "no service may be scheduled to stop unless asked"
  }
}

run "x86_64_instances_when_asked" {
  command = plan

  variables {
    architecture  = "x86_64"
    instance_type = "t3.small"
  }

  override_data {
    target = module.app1.data.aws_ami.host
    values = {
      architecture          = "x86_64"
      root_device_name      = "/dev/xvda"
      block_device_mappings = [{ device_name = "/dev/xvda", ebs = { volume_size = "10", volume_type = "gp3", encrypted = "true" } }]
    }
  }

  override_data {
    target = module.app2.data.aws_ami.host
    values = {
      architecture          = "x86_64"
      root_device_name      = "/dev/xvda"
      block_device_mappings = [{ device_name = "/dev/xvda", ebs = { volume_size = "10", volume_type = "gp3", encrypted = "true" } }]
    }
  }

  override_data {
    target = module.app1.data.aws_ec2_instance_type.this
    values = { supported_architectures = ["i386", "x86_64"] }
  }

  override_data {
    target = module.app2.data.aws_ec2_instance_type.this
    values = { supported_architectures = ["i386", "x86_64"] }
  }

  assert {
    condition     = alltrue([for service in ["app1", "app2"] : output.hosts[service].architecture == "x86_64" && output.capacity[service].instance_type == "t3.small"])
    error_message = "architecture and instance_type must reach both services"
  }
}

run "root_volume_size_reaches_both_services" {
  command = plan

  variables {
    root_volume_size = 20
  }

  assert {
    condition     = output.hosts.app1.root_volume_size == 20 && output.hosts.app2.root_volume_size == 20
    error_message = "root_volume_size must reach both services"
  }
}

run "detailed_monitoring_off_and_a_night_schedule_reach_both_services" {
  command = plan

  variables {
    min_size            = 1
    max_size            = 2
    detailed_monitoring = false
    scale_to_zero_schedule = {
      stop      = "0 20 * * MON-FRI"
      start     = "0 7 * * MON-FRI"
      time_zone = "Europe/Berlin"
    }
  }

  assert {
    condition     = !output.hosts.app1.detailed_monitoring && !output.hosts.app2.detailed_monitoring
    error_message = "detailed_monitoring = false must reach both services"
  }

  assert {
    condition = alltrue([
      for schedule in values(output.scale_to_zero_schedules) : schedule == {
        stop  = { recurrence = "0 20 * * MON-FRI", time_zone = "Europe/Berlin", min_size = 0, max_size = 0, desired_capacity = 0 }
        start = { recurrence = "0 7 * * MON-FRI", time_zone = "Europe/Berlin", min_size = 1, max_size = 2, desired_capacity = 1 }
      }
    ])
    error_message = "the schedule must stop both services at night and restore their configured sizes in the morning"
  }
}

run "spot_instances_reach_both_services" {
  command = plan

  variables {
    spot_instances = true
  }

  assert {
    condition     = output.hosts.app1.market_type == "spot" && output.hosts.app2.market_type == "spot"
    error_message = "spot_instances must reach both services"
  }
}

run "refuses_one_az" {
  command = plan
  variables { az_count = 1 }
  expect_failures = [var.az_count]
}

run "refuses_a_stage_name_too_long_for_the_load_balancer_names" {
  command = plan
  variables { environment = "a-stage-of-18-char" }
  expect_failures = [var.environment]
}

run "refuses_a_stage_name_ending_in_a_hyphen" {
  command = plan
  variables { environment = "qa-" }
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

run "refuses_a_stage_without_instances" {
  command = plan
  variables { min_size = 0 }
  expect_failures = [var.min_size]
}
