# Plan-only tests against a mocked AWS provider. Computed values the assertions read are overridden at plan time
# with realistic IDs and ARNs; everything else is what the module itself renders.

mock_provider "aws" {
  override_during = plan

  override_data {
    target = data.aws_region.current
    values = { name = "eu-central-1" }
  }

  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }

  override_data {
    target = data.aws_default_tags.current
    values = { tags = { Project = "relay" } }
  }

  # Graviton by default: the looked-up AMI and the instance type agree on arm64. Runs of another architecture
  # override both.
  override_data {
    target = data.aws_ami.host
    values = {
      id                    = "ami-0aaaaaaaaaaaaaaaa"
      architecture          = "arm64"
      root_device_name      = "/dev/xvda"
      block_device_mappings = [{ device_name = "/dev/xvda", ebs = { volume_size = "10", volume_type = "gp3", encrypted = "true" } }]
    }
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = { supported_architectures = ["arm64"] }
  }

  override_resource {
    target = aws_cloudwatch_log_group.this
    values = { arn = "arn:aws:logs:eu-central-1:123456789012:log-group:/relay/dev/app1" }
  }

  override_resource {
    target = aws_security_group.this
    values = { id = "sg-0cccccccccccccccc" }
  }

  override_resource {
    target = aws_launch_template.this
    values = { id = "lt-0dddddddddddddddd", latest_version = 7 }
  }

  override_resource {
    target = aws_iam_instance_profile.this
    values = { arn = "arn:aws:iam::123456789012:instance-profile/relay-dev-app1-instance" }
  }
}

variables {
  name                  = "relay-dev-app1"
  service_name          = "app1"
  environment           = "dev"
  vpc_id                = "vpc-0123456789abcdef0"
  subnet_ids            = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  alb_security_group_id = "sg-0aaaaaaaaaaaaaaaa"
  target_group_arns     = ["arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/relay-dev-app1/0123456789abcdef"]
  image_repository_url  = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay/app1"
  image_tag             = "1111111111111111111111111111111111111111"
  ecr_repository_arn    = "arn:aws:ecr:eu-central-1:123456789012:repository/relay/app1"
  app_environment = {
    APP2_URL = "http://internal-relay-dev-app2.eu-central-1.elb.amazonaws.com"
    # YAML and env-file troublemakers must arrive verbatim.
    LOG_LEVEL = "info # not: a 'comment' \"really\""
  }
}

run "instances_are_locked_down" {
  command = plan

  assert {
    condition     = aws_launch_template.this.metadata_options[0].http_tokens == "required"
    error_message = "IMDSv2 must be required"
  }

  assert {
    condition     = aws_launch_template.this.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "IMDS hop limit must be 1 (host networking)"
  }

  assert {
    condition     = aws_launch_template.this.network_interfaces[0].associate_public_ip_address == "false"
    error_message = "instances must not get a public IP"
  }

  assert {
    condition     = aws_launch_template.this.network_interfaces[0].security_groups == toset(["sg-0cccccccccccccccc"])
    error_message = "the instances' only security group must be the module's own"
  }

  assert {
    condition = (
      aws_launch_template.this.block_device_mappings[0].ebs[0].encrypted == "true" &&
      aws_launch_template.this.block_device_mappings[0].ebs[0].volume_type == "gp3"
    )
    error_message = "the root volume must be encrypted gp3"
  }

  assert {
    condition     = aws_launch_template.this.monitoring[0].enabled && aws_launch_template.this.update_default_version
    error_message = "detailed monitoring (the default) and update_default_version must be on"
  }

  assert {
    condition     = aws_launch_template.this.image_id == "ami-0aaaaaaaaaaaaaaaa"
    error_message = "without ami_id the looked-up relay host AMI must be used"
  }

  assert {
    condition     = aws_launch_template.this.iam_instance_profile[0].arn == "arn:aws:iam::123456789012:instance-profile/relay-dev-app1-instance"
    error_message = "the launch template must use the module's instance profile"
  }
}

run "ami_lookup_follows_the_ami_contract" {
  command = plan

  assert {
    condition = (
      data.aws_ami.host[0].owners == tolist(["self"]) &&
      one([for f in data.aws_ami.host[0].filter : f.values if f.name == "name"]) == toset(["relay-host-al2023-arm64-*"]) &&
      one([for f in data.aws_ami.host[0].filter : f.values if f.name == "architecture"]) == toset(["arm64"]) &&
      one([for f in data.aws_ami.host[0].filter : f.values if f.name == "tag:Project"]) == toset(["relay"]) &&
      one([for f in data.aws_ami.host[0].filter : f.values if f.name == "tag:Role"]) == toset(["container-host"])
    )
    error_message = "the AMI lookup must match relay-host-al2023-<arch>-* owned by self and tagged Project=relay, Role=container-host"
  }
}

run "graviton_by_default" {
  command = plan

  assert {
    condition = (
      aws_launch_template.this.instance_type == "t4g.micro" && data.aws_ec2_instance_type.this.instance_type == "t4g.micro" &&
      output.host == { ami_id = "ami-0aaaaaaaaaaaaaaaa", architecture = "arm64", detailed_monitoring = true, market_type = "on-demand", root_volume_size = 10 }
    )
    error_message = "the default must be an on-demand t4g.micro on the arm64 relay host AMI"
  }

  assert {
    condition     = length(aws_launch_template.this.instance_market_options) == 0
    error_message = "without spot_instances the launch template must request no market: on-demand instances"
  }
}

run "x86_64_stays_possible" {
  command = plan

  variables {
    architecture  = "x86_64"
    instance_type = "t3.micro"
  }

  override_data {
    target = data.aws_ami.host
    values = {
      id                    = "ami-0bbbbbbbbbbbbbbbb"
      architecture          = "x86_64"
      root_device_name      = "/dev/xvda"
      block_device_mappings = [{ device_name = "/dev/xvda", ebs = { volume_size = "10", volume_type = "gp3", encrypted = "true" } }]
    }
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = { supported_architectures = ["i386", "x86_64"] }
  }

  assert {
    condition = (
      one([for f in data.aws_ami.host[0].filter : f.values if f.name == "name"]) == toset(["relay-host-al2023-x86_64-*"]) &&
      aws_launch_template.this.instance_type == "t3.micro" && output.host.architecture == "x86_64"
    )
    error_message = "architecture = x86_64 must look up the x86_64 relay host AMI and launch the given x86_64 type"
  }
}

# The instance type and the AMI disagree: refused at plan by the check on the type's architectures, whichever side
# is wrong (AWS's data stands in for the regex in the variable's validation, which only knows the type's name).
run "refuses_an_arm64_type_with_an_x86_64_ami" {
  command = plan

  variables {
    ami_id = "ami-0123456789abcdef0"
  }

  override_data {
    target = data.aws_ami.given
    values = {
      architecture          = "x86_64"
      root_device_name      = "/dev/xvda"
      block_device_mappings = [{ device_name = "/dev/xvda", ebs = { volume_size = "10", volume_type = "gp3", encrypted = "true" } }]
    }
  }

  expect_failures = [data.aws_ec2_instance_type.this]
}

run "refuses_an_x86_64_type_with_an_arm64_ami" {
  command = plan

  variables {
    architecture  = "x86_64"
    instance_type = "t3.micro"
    ami_id        = "ami-0123456789abcdef0"
  }

  override_data {
    target = data.aws_ami.given
    values = {
      architecture          = "arm64"
      root_device_name      = "/dev/xvda"
      block_device_mappings = [{ device_name = "/dev/xvda", ebs = { volume_size = "10", volume_type = "gp3", encrypted = "true" } }]
    }
  }

  override_data {
    target = data.aws_ec2_instance_type.this
    values = { supported_architectures = ["i386", "x86_64"] }
  }

  expect_failures = [data.aws_ec2_instance_type.this]
}

run "refuses_a_type_whose_architecture_the_looked_up_ami_lacks" {
  command = plan

  # A type the name check takes for Graviton that AWS says is not.
  override_data {
    target = data.aws_ec2_instance_type.this
    values = { supported_architectures = ["x86_64"] }
  }

  expect_failures = [data.aws_ec2_instance_type.this]
}

run "explicit_ami_skips_the_lookup" {
  command = plan

  variables {
    ami_id = "ami-0123456789abcdef0"
  }

  override_data {
    target = data.aws_ami.given
    values = {
      architecture          = "arm64"
      root_device_name      = "/dev/xvda"
      block_device_mappings = [{ device_name = "/dev/xvda", ebs = { volume_size = "10", volume_type = "gp3", encrypted = "true" } }]
    }
  }

  assert {
    condition     = length(data.aws_ami.host) == 0 && aws_launch_template.this.image_id == "ami-0123456789abcdef0"
    error_message = "an explicit ami_id must be used as is"
  }

  assert {
    condition = (
      one([for f in data.aws_ami.given[0].filter : f.values if f.name == "image-id"]) == toset(["ami-0123456789abcdef0"]) &&
      output.host.architecture == "arm64"
    )
    error_message = "an explicit ami_id must be read back for its architecture"
  }
}

# The root volume: 10 GiB by default, the relay host AMI's root snapshot; never smaller than the AMI's snapshot, which
# EC2 would refuse at every launch (the group would only retry). The plan reads the size from the AMI.
run "root_volume_is_the_ami_snapshot_size_by_default" {
  command = plan

  assert {
    condition     = aws_launch_template.this.block_device_mappings[0].ebs[0].volume_size == 10 && output.host.root_volume_size == 10
    error_message = "the root volume must default to 10 GiB, the relay host AMI's root snapshot"
  }
}

run "root_volume_size_sets_a_larger_volume" {
  command = plan

  variables {
    root_volume_size = 30
  }

  assert {
    condition     = aws_launch_template.this.block_device_mappings[0].ebs[0].volume_size == 30 && output.host.root_volume_size == 30
    error_message = "root_volume_size must set the root volume's size"
  }
}

run "refuses_a_root_volume_smaller_than_the_ami_snapshot" {
  command = plan

  variables {
    root_volume_size = 8
  }

  expect_failures = [aws_launch_template.this]
}

run "refuses_the_default_root_volume_for_a_larger_ami" {
  command = plan

  override_data {
    target = data.aws_ami.host
    values = {
      id                    = "ami-0aaaaaaaaaaaaaaaa"
      architecture          = "arm64"
      root_device_name      = "/dev/xvda"
      block_device_mappings = [{ device_name = "/dev/xvda", ebs = { volume_size = "30", volume_type = "gp3", encrypted = "true" } }]
    }
  }

  expect_failures = [aws_launch_template.this]
}

# The size is the root device's: other mappings of the AMI (a data volume here) do not count.
run "reads_the_root_snapshot_of_an_explicit_ami" {
  command = plan

  variables {
    ami_id           = "ami-0123456789abcdef0"
    root_volume_size = 12
  }

  override_data {
    target = data.aws_ami.given
    values = {
      architecture     = "arm64"
      root_device_name = "/dev/xvda"
      block_device_mappings = [
        { device_name = "/dev/xvda", ebs = { volume_size = "12", volume_type = "gp3", encrypted = "true" } },
        { device_name = "/dev/xvdb", ebs = { volume_size = "100", volume_type = "gp3", encrypted = "true" } },
      ]
    }
  }

  assert {
    condition     = output.host.root_volume_size == 12
    error_message = "a root volume the size of an explicit AMI's root snapshot must be accepted"
  }
}

run "refuses_an_ami_without_an_ebs_root_snapshot" {
  command = plan

  variables {
    ami_id = "ami-0123456789abcdef0"
  }

  override_data {
    target = data.aws_ami.given
    values = {
      architecture          = "arm64"
      root_device_name      = "/dev/xvda"
      block_device_mappings = [{ device_name = "/dev/sdb", ebs = { volume_size = "8", volume_type = "gp3", encrypted = "true" } }]
    }
  }

  expect_failures = [aws_launch_template.this]
}

run "refuses_a_fractional_root_volume_size" {
  command = plan

  variables {
    root_volume_size = 10.5
  }

  expect_failures = [var.root_volume_size]
}

run "asg_follows_the_launch_template_and_the_load_balancer" {
  command = plan

  assert {
    condition     = aws_autoscaling_group.this.launch_template[0].version == "7"
    error_message = "the ASG must run the launch template's latest_version, not $Latest"
  }

  assert {
    condition     = aws_autoscaling_group.this.health_check_type == "ELB"
    error_message = "the ASG must replace instances failing the target group's health check"
  }

  assert {
    condition     = aws_autoscaling_group.this.vpc_zone_identifier == toset(var.subnet_ids)
    error_message = "the ASG must launch into the given private subnets"
  }

  assert {
    condition     = length(aws_autoscaling_group.this.instance_refresh) == 0
    error_message = "Terraform must start no instance refresh: releases roll out with make release"
  }

  assert {
    condition = (
      aws_autoscaling_group.this.min_elb_capacity == 1 && aws_autoscaling_group.this.wait_for_elb_capacity == null &&
      aws_autoscaling_group.this.wait_for_capacity_timeout == "600s"
    )
    error_message = "creating the group must wait (grace period + 5 min) for its instances to be healthy targets, and only at creation"
  }

  assert {
    condition     = aws_autoscaling_group.this.desired_capacity == 1 && aws_autoscaling_group.this.health_check_grace_period == 300
    error_message = "desired capacity must default to min_size and the grace period to 300 s"
  }

  assert {
    condition     = output.capacity == { instance_type = "t4g.micro", min_size = 1, max_size = 2 }
    error_message = "capacity must report the launch template's instance type and the ASG's bounds"
  }

  assert {
    condition     = aws_autoscaling_policy.target_tracking[0].target_tracking_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ASGAverageCPUUtilization"
    error_message = "CPU target tracking is the default scaling"
  }

  assert {
    condition = alltrue([
      for tag in aws_autoscaling_group.this.tag : tag.propagate_at_launch
      ]) && contains([for tag in aws_autoscaling_group.this.tag : "${tag.key}=${tag.value}"], "Project=relay") && contains(
      [for tag in aws_autoscaling_group.this.tag : "${tag.key}=${tag.value}"], "Name=relay-dev-app1"
    )
    error_message = "instances must get the provider default tags and a Name at launch"
  }
}

run "user_data_carries_the_image_and_the_environment" {
  command = plan

  assert {
    condition     = aws_launch_template.this.description == "app1 1111111111111111111111111111111111111111"
    error_message = "the description must be \"<service> <tag>\", as make release writes it"
  }

  assert {
    condition     = startswith(base64decode(aws_launch_template.this.user_data), "#cloud-config\n")
    error_message = "user data must be a cloud-config document"
  }

  assert {
    condition = (
      yamldecode(base64decode(aws_launch_template.this.user_data)).write_files[0].path == "/etc/relay/runtime.env" &&
      yamldecode(base64decode(aws_launch_template.this.user_data)).write_files[0].permissions == "0600" &&
      yamldecode(base64decode(aws_launch_template.this.user_data)).write_files[0].content == join("", [
        "AWS_REGION=eu-central-1\n",
        "CONTAINER_PORT=8080\n",
        "IMAGE=123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay/app1:1111111111111111111111111111111111111111\n",
        "LOG_GROUP=/relay/dev/app1\n",
        "SERVICE_NAME=app1\n",
      ])
    )
    error_message = "runtime.env must hold exactly IMAGE, SERVICE_NAME, CONTAINER_PORT, LOG_GROUP and AWS_REGION"
  }

  assert {
    condition = (
      yamldecode(base64decode(aws_launch_template.this.user_data)).write_files[1].path == "/etc/relay/app.env" &&
      yamldecode(base64decode(aws_launch_template.this.user_data)).write_files[1].permissions == "0600" &&
      yamldecode(base64decode(aws_launch_template.this.user_data)).write_files[1].content == join("", [
        "APP2_URL=http://internal-relay-dev-app2.eu-central-1.elb.amazonaws.com\n",
        "AWS_REGION=eu-central-1\n",
        "ENVIRONMENT=dev\n",
        "LOG_LEVEL=info # not: a 'comment' \"really\"\n",
        "METRICS_NAMESPACE=Relay\n",
        "PORT=8080\n",
      ])
    )
    error_message = "app.env must hold the app environment verbatim plus PORT, ENVIRONMENT, METRICS_NAMESPACE and AWS_REGION"
  }

  assert {
    condition     = yamldecode(base64decode(aws_launch_template.this.user_data)).runcmd == [["systemctl", "enable", "--now", "relay-app.service"]]
    error_message = "user data must only start the AMI's relay-app.service"
  }
}

run "the_tag_a_service_is_created_with_is_recorded_and_rendered" {
  command = plan

  variables {
    image_tag = "2222222222222222222222222222222222222222"
  }

  assert {
    condition = (
      aws_ssm_parameter.image_tag.name == "/relay/dev/app1/image-tag" && aws_ssm_parameter.image_tag.type == "String" &&
      aws_ssm_parameter.image_tag.insecure_value == "2222222222222222222222222222222222222222" &&
      output.image_tag_parameter == "/relay/dev/app1/image-tag"
    )
    error_message = "the tag must be recorded, readable, in /relay/<environment>/<service>/image-tag, where make release records its releases"
  }

  assert {
    condition = (
      strcontains(yamldecode(base64decode(aws_launch_template.this.user_data)).write_files[0].content, "IMAGE=123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay/app1:2222222222222222222222222222222222222222\n") &&
      !strcontains(base64decode(aws_launch_template.this.user_data), "1111111111111111111111111111111111111111")
    )
    error_message = "the user data must name the recorded tag"
  }

  assert {
    condition     = output.image == "123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay/app1:2222222222222222222222222222222222222222"
    error_message = "the image output must name the recorded tag"
  }
}

run "digest_is_referenced_with_at" {
  command = plan

  variables {
    image_tag = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  }

  assert {
    condition     = output.image == "123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay/app1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    error_message = "a digest must be referenced as repository@sha256:..."
  }
}

run "network_access_is_minimal" {
  command = plan

  variables {
    extra_egress = [{ port = 80, security_group_id = "sg-0eeeeeeeeeeeeeeee", description = "Internal load balancer" }]
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.from_load_balancer.from_port == 8080 &&
      aws_vpc_security_group_ingress_rule.from_load_balancer.to_port == 8080 &&
      aws_vpc_security_group_ingress_rule.from_load_balancer.referenced_security_group_id == "sg-0aaaaaaaaaaaaaaaa" &&
      aws_vpc_security_group_ingress_rule.from_load_balancer.cidr_ipv4 == null
    )
    error_message = "only the load balancer's security group may reach the container port"
  }

  assert {
    # tostring(null): an untyped null literal never equals the output's null string.
    condition     = output.ingress == [{ from_port = 8080, to_port = 8080, cidr_ipv4 = tostring(null), referenced_security_group_id = "sg-0aaaaaaaaaaaaaaaa" }]
    error_message = "the ingress output must list the single load balancer rule"
  }

  assert {
    condition = (
      aws_vpc_security_group_egress_rule.https.from_port == 443 && aws_vpc_security_group_egress_rule.https.to_port == 443 &&
      aws_vpc_security_group_egress_rule.extra["0"].from_port == 80 &&
      aws_vpc_security_group_egress_rule.extra["0"].referenced_security_group_id == "sg-0eeeeeeeeeeeeeeee" &&
      aws_vpc_security_group_egress_rule.extra["0"].security_group_id == "sg-0cccccccccccccccc"
    )
    error_message = "egress must be HTTPS plus the extra rules, nothing else"
  }

  assert {
    condition     = output.egress == [{ port = 443, destination = "0.0.0.0/0" }, { port = 80, destination = "sg-0eeeeeeeeeeeeeeee" }]
    error_message = "the egress output must list HTTPS and the extra rule"
  }
}

run "instance_role_is_least_privilege" {
  command = plan

  assert {
    condition     = aws_iam_role_policy_attachment.ssm.policy_arn == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    error_message = "the instance role must have SSM access (the way in instead of SSH)"
  }

  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Action])) == toset([
      "ecr:GetAuthorizationToken",
      "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
      "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents",
      "cloudwatch:PutMetricData",
    ])
    error_message = "the inline policy must grant these actions and no other"
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "EcrPullOwnRepository"
    ]) == "arn:aws:ecr:eu-central-1:123456789012:repository/relay/app1"
    error_message = "image pulls must be limited to the service's own repository"
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Condition if s.Sid == "MetricsToOwnNamespace"
    ]) == { StringEquals = { "cloudwatch:namespace" = "Relay" } }
    error_message = "PutMetricData must be conditioned on the metrics namespace"
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "LogsToOwnGroup"
      ]) == [
      "arn:aws:logs:eu-central-1:123456789012:log-group:/relay/dev/app1",
      "arn:aws:logs:eu-central-1:123456789012:log-group:/relay/dev/app1:*",
    ]
    error_message = "log writes must be limited to the service's own log group"
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource != "*" if !contains(["EcrLogin", "MetricsToOwnNamespace"], s.Sid)
    ])
    error_message = "only the actions without resource-level permissions may use Resource \"*\""
  }
}

run "log_group_follows_the_naming_scheme" {
  command = plan

  variables {
    log_retention_days = 14
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.name == "/relay/dev/app1" && aws_cloudwatch_log_group.this.retention_in_days == 14
    error_message = "the log group must be /relay/<environment>/<service> with the given retention"
  }
}

# A stage is a name, not one of a list: a new stage needs no change here.
run "any_stage_name_reaches_the_names_and_the_container" {
  command = plan

  variables {
    environment = "qa"
  }

  assert {
    condition = (
      aws_cloudwatch_log_group.this.name == "/relay/qa/app1" && aws_ssm_parameter.image_tag.name == "/relay/qa/app1/image-tag" &&
      output.app_environment.ENVIRONMENT == "qa"
    )
    error_message = "the stage name must make the log group, the image tag parameter and the container's ENVIRONMENT"
  }
}

run "load_balancer_metrics_drive_scaling_and_guard_the_rollout" {
  command = plan

  variables {
    scaling_metric       = "ALBRequestCountPerTarget"
    scaling_target_value = 1000
    target_group_dimensions = {
      load_balancer = "app/relay-dev-public/0123456789abcdef"
      target_group  = "targetgroup/relay-dev-app1/fedcba9876543210"
    }
  }

  assert {
    condition     = aws_autoscaling_policy.target_tracking[0].target_tracking_configuration[0].predefined_metric_specification[0].resource_label == "app/relay-dev-public/0123456789abcdef/targetgroup/relay-dev-app1/fedcba9876543210"
    error_message = "request count scaling must track the given target group"
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.rollout_5xx[0].metric_name == "HTTPCode_Target_5XX_Count" &&
      aws_cloudwatch_metric_alarm.rollout_5xx[0].dimensions == tomap({
        LoadBalancer = "app/relay-dev-public/0123456789abcdef"
        TargetGroup  = "targetgroup/relay-dev-app1/fedcba9876543210"
      })
    )
    error_message = "the rollout alarm must watch the service's own target group"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.rollout_5xx[0].alarm_name == "relay-dev-app1-rollout-5xx"
    error_message = "the rollout alarm must be named as make release expects it (<name>-rollout-5xx)"
  }
}

run "no_rollout_alarm_without_load_balancer_metrics" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.rollout_5xx) == 0
    error_message = "without the ARN suffixes there is no alarm to watch"
  }
}

run "fixed_size_without_scaling" {
  command = plan

  variables {
    scaling_metric = null
  }

  assert {
    condition     = length(aws_autoscaling_policy.target_tracking) == 0
    error_message = "scaling_metric = null must mean no scaling policy"
  }
}

run "detailed_monitoring_can_be_turned_off" {
  command = plan

  variables {
    detailed_monitoring = false
  }

  assert {
    condition     = !aws_launch_template.this.monitoring[0].enabled && !output.host.detailed_monitoring
    error_message = "detailed_monitoring = false must launch instances with basic (five-minute) monitoring"
  }
}

run "spot_instances_when_asked" {
  command = plan

  variables {
    spot_instances = true
  }

  assert {
    condition = (
      aws_launch_template.this.instance_market_options[0].market_type == "spot" &&
      length(aws_launch_template.this.instance_market_options[0].spot_options) == 0 &&
      output.host.market_type == "spot"
    )
    error_message = "spot_instances must make the launch template request Spot with EC2's defaults: one-time, terminate on interruption, no maximum price"
  }

  assert {
    condition     = !contains([for spec in aws_launch_template.this.tag_specifications : spec.resource_type], "spot-instances-request")
    error_message = "the Spot request must not be tagged at launch: the deploy roles' dry-run launches would then need RunInstances on spot-instances-request (modules/github-oidc)"
  }

  assert {
    condition     = aws_autoscaling_group.this.launch_template[0].id == "lt-0dddddddddddddddd" && aws_autoscaling_group.this.launch_template[0].version == "7" && length(aws_autoscaling_group.this.mixed_instances_policy) == 0
    error_message = "a Spot group must launch from the launch template's numbered version, as an on-demand one does, without a mixed instances policy (which refuses a template with market options)"
  }
}

run "no_schedule_by_default" {
  command = plan

  assert {
    condition     = length(aws_autoscaling_schedule.stop) == 0 && length(aws_autoscaling_schedule.start) == 0 && output.scale_to_zero_schedule == null
    error_message = "without scale_to_zero_schedule the group must have no scheduled action"
  }
}

run "the_schedule_stops_the_group_and_restores_it" {
  command = plan

  variables {
    min_size = 1
    max_size = 3
    scale_to_zero_schedule = {
      stop      = "0 20 * * MON-FRI"
      start     = "30 6 * * MON-FRI"
      time_zone = "Europe/Berlin"
    }
  }

  assert {
    condition = (
      aws_autoscaling_schedule.stop[0].autoscaling_group_name == "relay-dev-app1" &&
      aws_autoscaling_schedule.stop[0].scheduled_action_name == "relay-dev-app1-stop" &&
      aws_autoscaling_schedule.start[0].autoscaling_group_name == "relay-dev-app1" &&
      aws_autoscaling_schedule.start[0].scheduled_action_name == "relay-dev-app1-start"
    )
    error_message = "the stop and start actions must act on the service's own group"
  }

  assert {
    condition = output.scale_to_zero_schedule == {
      stop  = { recurrence = "0 20 * * MON-FRI", time_zone = "Europe/Berlin", min_size = 0, max_size = 0, desired_capacity = 0 }
      start = { recurrence = "30 6 * * MON-FRI", time_zone = "Europe/Berlin", min_size = 1, max_size = 3, desired_capacity = 1 }
    }
    error_message = "stop must hold the group at zero (max 0: no scale-out at night); start must restore min_size, max_size and min_size as desired capacity"
  }
}

run "the_morning_restores_the_configured_desired_capacity" {
  command = plan

  variables {
    min_size         = 1
    max_size         = 4
    desired_capacity = 2
    scale_to_zero_schedule = {
      stop      = "0 19 * * *"
      start     = "0 8 * * *"
      time_zone = "UTC"
    }
  }

  assert {
    condition = (
      aws_autoscaling_schedule.start[0].min_size == 1 && aws_autoscaling_schedule.start[0].max_size == 4 &&
      aws_autoscaling_schedule.start[0].desired_capacity == 2 && aws_autoscaling_schedule.start[0].time_zone == "UTC"
    )
    error_message = "start must restore desired_capacity when it is given"
  }
}

# Refused inputs --------------------------------------------------------------------------------------------------

run "refuses_to_create_the_service_without_an_image_tag" {
  command = plan
  variables { image_tag = null }
  expect_failures = [aws_launch_template.this]
}

run "refuses_latest_tag" {
  command = plan
  variables { image_tag = "latest" }
  expect_failures = [var.image_tag]
}

run "refuses_empty_tag" {
  command = plan
  variables { image_tag = "" }
  expect_failures = [var.image_tag]
}

run "refuses_a_tag_that_is_not_a_full_commit_sha" {
  command = plan
  variables { image_tag = "1111111" }
  expect_failures = [var.image_tag]
}

run "refuses_a_malformed_stage_name" {
  command = plan
  variables { environment = "Prod" }
  expect_failures = [var.environment]
}

# The apps refuse an ENVIRONMENT longer than 17 characters at start: the module refuses it at plan.
run "refuses_a_stage_name_the_apps_would_refuse" {
  command = plan
  variables { environment = "a-stage-of-18-chrs" }
  expect_failures = [var.environment]
}

run "refuses_malformed_instance_type" {
  command = plan
  variables { instance_type = "t3micro" }
  expect_failures = [var.instance_type]
}

run "refuses_instance_type_of_the_other_architecture" {
  command = plan
  variables { instance_type = "t3.micro" }
  expect_failures = [var.instance_type]
}

run "refuses_unknown_architecture" {
  command = plan
  variables { architecture = "arm" }
  expect_failures = [var.architecture]
}

run "refuses_min_above_max" {
  command = plan
  variables {
    min_size = 3
    max_size = 2
  }
  expect_failures = [var.max_size]
}

run "refuses_desired_outside_min_max" {
  command = plan
  variables {
    min_size         = 1
    max_size         = 2
    desired_capacity = 3
  }
  expect_failures = [var.desired_capacity]
}

run "refuses_privileged_port" {
  command = plan
  variables { container_port = 80 }
  expect_failures = [var.container_port]
}

run "refuses_out_of_range_port" {
  command = plan
  variables { container_port = 70000 }
  expect_failures = [var.container_port]
}

run "refuses_ssh_egress" {
  command = plan
  variables {
    extra_egress = [{ port = 22, security_group_id = "sg-0eeeeeeeeeeeeeeee", description = "ssh" }]
  }
  expect_failures = [var.extra_egress]
}

run "refuses_overriding_module_set_environment" {
  command = plan
  variables { app_environment = { PORT = "80" } }
  expect_failures = [var.app_environment]
}

run "refuses_multiline_environment_values" {
  command = plan
  variables { app_environment = { BANNER = "a\nb" } }
  expect_failures = [var.app_environment]
}

run "refuses_request_count_scaling_without_target_group" {
  command = plan
  variables { scaling_metric = "ALBRequestCountPerTarget" }
  expect_failures = [var.target_group_dimensions]
}

run "refuses_malformed_target_group_dimensions" {
  command = plan
  variables {
    target_group_dimensions = { load_balancer = "relay-dev-public", target_group = "targetgroup/relay-dev-app1/fedcba9876543210" }
  }
  expect_failures = [var.target_group_dimensions]
}

run "refuses_a_schedule_that_is_not_cron" {
  command = plan
  variables {
    scale_to_zero_schedule = { stop = "20:00", start = "0 7 * * MON-FRI", time_zone = "Europe/Berlin" }
  }
  expect_failures = [var.scale_to_zero_schedule]
}

run "refuses_a_schedule_that_starts_when_it_stops" {
  command = plan
  variables {
    scale_to_zero_schedule = { stop = "0 7 * * *", start = "0 7 * * *", time_zone = "UTC" }
  }
  expect_failures = [var.scale_to_zero_schedule]
}

run "refuses_a_time_zone_offset_instead_of_a_name" {
  command = plan
  variables {
    scale_to_zero_schedule = { stop = "0 20 * * *", start = "0 7 * * *", time_zone = "+01:00" }
  }
  expect_failures = [var.scale_to_zero_schedule]
}
