# The AWS data every plan of modules/stack reads, for its own tests and for the stages' (envs/dev, envs/staging,
# envs/prod): the region, three AZs, the ECR repositories of envs/global, a public hosted zone, arm64 for the relay
# host AMI and the instance types, and the AMI's 10 GiB root snapshot. Used as
# `mock_provider "aws" { source = "<path to>/tests/mocks" }`.

mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}

mock_data "aws_region" {
  defaults = { name = "eu-west-1" }
}

mock_data "aws_availability_zones" {
  defaults = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
}

# The public hosted zone of the test domains (relay.example.com).
mock_data "aws_route53_zone" {
  defaults = { name = "example.com" }
}

# The relay host AMI and the instance types agree on arm64, as in every stage (Graviton); the AMI's root snapshot is
# 10 GiB, as the relay host AMI's.
mock_data "aws_ami" {
  defaults = {
    architecture          = "arm64"
    root_device_name      = "/dev/xvda"
    block_device_mappings = [{ device_name = "/dev/xvda", ebs = { volume_size = "10", volume_type = "gp3", encrypted = "true" } }]
  }
}

mock_data "aws_ec2_instance_type" {
  defaults = { supported_architectures = ["arm64"] }
}

# Each service's own repository, so that a test sees which image a service runs. The stack is the module under
# test in its own tests (and in a stage's run of modules/stack itself), and module.stack in a stage; an override
# whose target is not in the configuration is ignored.
override_data {
  target = data.aws_ecr_repository.app1
  values = {
    repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app1"
    arn            = "arn:aws:ecr:eu-west-1:123456789012:repository/relay/app1"
  }
}

override_data {
  target = data.aws_ecr_repository.app2
  values = {
    repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app2"
    arn            = "arn:aws:ecr:eu-west-1:123456789012:repository/relay/app2"
  }
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
