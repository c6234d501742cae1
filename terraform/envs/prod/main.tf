# The production stage: modules/stack with this stage's values. Everything that differs between the stages is
# in this file (and the state key in versions.tf; the account's domain and alarm address in terraform.tfvars);
# ../README.md compares them side by side.

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
  nat                = "gateway"

  # Graviton, burstable: at the scaling target (6,000 requests per instance a minute) the relay stays far below a
  # t4g.small's 20 % CPU baseline, which costs less for it than a non-burstable m7g.medium
  # (../README.md#instance-types).
  architecture  = "arm64"
  instance_type = "t4g.small"
  min_size      = 2
  max_size      = 6

  detailed_monitoring = true
  spot_instances      = false # on-demand: no instance reclaimed under load

  # Lifting deletion protection to destroy prod leaves its access logs: emptying those buckets is a decision of
  # its own.
  enable_deletion_protection  = true
  keep_access_logs_on_destroy = true

  log_retention_days = 90
  log_level          = "info"

  # prod serves HTTPS only: plans are refused until terraform.tfvars sets domain_name and hosted_zone_id, or
  # certificate_arn.
  require_https   = true
  domain_name     = var.domain_name
  hosted_zone_id  = var.hosted_zone_id
  certificate_arn = var.certificate_arn
  alarm_email     = var.alarm_email
}
