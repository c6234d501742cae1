# The production stage: modules/stack with this stage's values. Everything that differs between the stages is
# in this file (and the state key in versions.tf); ../README.md compares them side by side.

locals {
  environment = "prod"
}

module "stack" {
  source = "../../modules/stack"

  environment    = local.environment
  app1_image_tag = var.app1_image_tag
  app2_image_tag = var.app2_image_tag

  vpc_cidr           = "10.30.0.0/16"
  az_count           = 3
  single_nat_gateway = false

  instance_type = "t3.small"
  min_size      = 2
  max_size      = 6

  enable_deletion_protection = true
  log_retention_days         = 90
  log_level                  = "info"

  # Set per stage and account: an ACM certificate ARN turns on HTTPS, an address receives the alarms.
  certificate_arn = null
  alarm_email     = null
}
