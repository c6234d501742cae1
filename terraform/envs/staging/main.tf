# The staging stage: modules/stack with this stage's values. Everything that differs between the stages is
# in this file (and the state key in versions.tf; the account's domain and alarm address in terraform.tfvars);
# ../README.md compares them side by side.

locals {
  environment = "staging"
}

module "stack" {
  source = "../../modules/stack"

  environment    = local.environment
  app1_image_tag = var.app1_image_tag
  app2_image_tag = var.app2_image_tag

  vpc_cidr           = "10.20.0.0/16"
  az_count           = 2
  single_nat_gateway = true
  nat                = "gateway"

  # Graviton, the same type as prod, so that a release is rehearsed on what prod runs (../README.md, "Instance types").
  architecture  = "arm64"
  instance_type = "t4g.small"
  min_size      = 2
  max_size      = 4

  detailed_monitoring = true
  spot_instances      = false # on-demand, as prod: no instance reclaimed during a rehearsal

  # checkov CKV_AWS_150 (load balancer deletion protection) knowingly not met: staging is rebuilt from code when
  # needed and holds no data; its access logs go with it.
  enable_deletion_protection  = false
  keep_access_logs_on_destroy = false

  log_retention_days = 30
  log_level          = "info"

  # staging may run on plain HTTP (a stage without a domain of its own): with domain_name and hosted_zone_id, or
  # certificate_arn, in terraform.tfvars it serves HTTPS and port 80 only redirects.
  require_https   = false
  domain_name     = var.domain_name
  hosted_zone_id  = var.hosted_zone_id
  certificate_arn = var.certificate_arn
  alarm_email     = var.alarm_email
}
