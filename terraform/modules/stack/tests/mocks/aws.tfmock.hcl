# AWS data for the tests of a root module that calls this module as `module "stack"` (envs/dev, envs/staging,
# envs/prod): the region, three AZs, the ECR repositories of envs/global, a public hosted zone, arm64 for the relay
# host AMI and the instance types, and the AMI's 10 GiB root snapshot. Used there as
# `mock_provider "aws" { source = "../../modules/stack/tests/mocks" }`; this module's own tests mock inline.

mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}

mock_data "aws_region" {
  defaults = { name = "eu-west-1" }
}

# The public hosted zone of the stages' test domains (relay.example.com).
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
