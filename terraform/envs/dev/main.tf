# The development stage: modules/stack with this stage's values. Everything that differs between the stages is
# in this file (and the state key in versions.tf); ../README.md compares them side by side.

locals {
  environment = "dev"
}

module "stack" {
  source = "../../modules/stack"

  environment    = local.environment
  app1_image_tag = var.app1_image_tag
  app2_image_tag = var.app2_image_tag

  vpc_cidr           = "10.10.0.0/16"
  az_count           = 2
  single_nat_gateway = true

  instance_type = "t3.micro"
  min_size      = 1
  max_size      = 2

  enable_deletion_protection = false
  log_retention_days         = 14
  log_level                  = "debug"

  # Set per stage and account: an ACM certificate ARN turns on HTTPS, an address receives the alarms.
  certificate_arn = null
  alarm_email     = null
}
