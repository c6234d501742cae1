# What happens to a service that exists: each run plans against the state the runs before it left (the first one
# applies, against a mocked AWS provider). Terraform renders what make release recorded, refuses to change it,
# and never moves the Auto Scaling group to another launch template version.

mock_provider "aws" {
  override_data {
    target = data.aws_region.current
    values = { name = "eu-central-1" }
  }

  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }

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

  # Applying validates these IDs and ARNs: the values are shaped like AWS's.
  override_resource {
    target = aws_iam_instance_profile.this
    values = { arn = "arn:aws:iam::123456789012:instance-profile/relay-dev-app1-instance" }
  }

  override_resource {
    target = aws_security_group.this
    values = { id = "sg-0cccccccccccccccc" }
  }

  override_resource {
    target = aws_launch_template.this
    values = { id = "lt-0dddddddddddddddd", latest_version = 7 }
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
  ecr_repository_arn    = "arn:aws:ecr:eu-central-1:123456789012:repository/relay/app1"
}

run "created_with_a_tag" {
  variables {
    image_tag = "1111111111111111111111111111111111111111"
  }

  assert {
    condition     = aws_ssm_parameter.image_tag.insecure_value == "1111111111111111111111111111111111111111"
    error_message = "the tag the service is created with must be recorded"
  }

  assert {
    condition     = aws_autoscaling_group.this.launch_template[0].version == "7"
    error_message = "a new group must run the launch template's latest version"
  }
}

run "a_plan_without_tags_renders_the_recorded_tag" {
  command = plan

  assert {
    condition = (
      aws_ssm_parameter.image_tag.insecure_value == "1111111111111111111111111111111111111111" &&
      strcontains(base64decode(aws_launch_template.this.user_data), "IMAGE=123456789012.dkr.ecr.eu-central-1.amazonaws.com/relay/app1:1111111111111111111111111111111111111111\\n") &&
      aws_launch_template.this.description == "app1 1111111111111111111111111111111111111111"
    )
    error_message = "without a tag, the recorded one must stay and be rendered (ignore_changes on the parameter's value)"
  }
}

run "the_recorded_tag_may_be_given" {
  command = plan

  variables {
    image_tag = "1111111111111111111111111111111111111111"
  }

  assert {
    condition     = output.image_tag == "1111111111111111111111111111111111111111"
    error_message = "giving the tag that is recorded must change nothing"
  }
}

run "refuses_another_tag_for_a_service_that_exists" {
  command = plan

  variables {
    image_tag = "2222222222222222222222222222222222222222"
  }

  expect_failures = [aws_launch_template.this]
}

# The mocked provider keeps a known computed value such as latest_version through an in-place update, where the
# real one gives the template a new version. Replacing the template here gives it a new latest_version (8), so
# that the group is seen not to follow it.
run "a_new_recorded_tag_makes_a_new_template_version_and_leaves_the_group_alone" {
  command = plan

  # What make release leaves behind: a new recorded tag (here by replacing the parameter, whose value Terraform
  # otherwise ignores), and Terraform renders it into a new launch template version.
  variables {
    image_tag = "2222222222222222222222222222222222222222"
  }

  plan_options {
    replace = [aws_ssm_parameter.image_tag, aws_launch_template.this]
  }

  override_resource {
    target          = aws_launch_template.this
    override_during = plan
    values          = { id = "lt-0dddddddddddddddd", latest_version = 8 }
  }

  assert {
    condition = (
      strcontains(base64decode(aws_launch_template.this.user_data), "relay/app1:2222222222222222222222222222222222222222\\n") &&
      aws_launch_template.this.description == "app1 2222222222222222222222222222222222222222" &&
      aws_launch_template.this.latest_version == 8
    )
    error_message = "the template must render the new recorded tag"
  }

  assert {
    condition     = aws_autoscaling_group.this.launch_template[0].version == "7"
    error_message = "the group must keep the version it runs: only make release's instance refresh moves it (ignore_changes)"
  }
}

run "an_infrastructure_change_leaves_the_group_alone_too" {
  command = plan

  variables {
    instance_type = "t4g.small"
  }

  plan_options {
    replace = [aws_launch_template.this]
  }

  override_resource {
    target          = aws_launch_template.this
    override_during = plan
    values          = { id = "lt-0dddddddddddddddd", latest_version = 8 }
  }

  assert {
    condition     = aws_launch_template.this.instance_type == "t4g.small" && aws_autoscaling_group.this.launch_template[0].version == "7"
    error_message = "a new instance type must make a new template version that the group does not run until make release rolls it out"
  }
}
