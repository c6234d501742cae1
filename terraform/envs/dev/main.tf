# The development stage: modules/stack with this stage's values. Everything that differs between the stages is
# in this file (and the state key in versions.tf; the account's domain and alarm address in terraform.tfvars);
# ../README.md compares them side by side.

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
  nat                = "instance" # a t4g.nano, not a NAT gateway: ../../modules/network/README.md#what-a-nat-costs

  # Graviton. One t4g.micro (1 GiB) per service: the app's ~100 MB, Docker, the SSM agent and Amazon Linux fit with
  # room to spare; a t4g.nano's 0.5 GiB would leave almost none (../README.md, "Instance types").
  architecture  = "arm64"
  instance_type = "t4g.micro"
  min_size      = 1
  max_size      = 2

  # checkov CKV_AWS_126 knowingly not met in dev: five-minute EC2 metrics are free, one-minute ones are billed per
  # instance (../README.md#stages-and-cost), and the services scale on the load balancers' request counts either way.
  detailed_monitoring = false

  # Spot Instances, at the Spot price (../README.md#stages-and-cost): EC2 may reclaim one with two minutes' notice,
  # and with one instance per service that service answers 503 until the group's replacement has booted and passed
  # its health checks, a few minutes. Acceptable in dev only: staging and prod stay on-demand.
  spot_instances = true

  # Both services at zero instances at night and on weekends, back in the morning (the load balancers and the NAT
  # keep running; the saving: ../README.md#stages-and-cost). Requests meanwhile get 503 from the load balancer.
  # scale_to_zero_schedule = { stop = "0 20 * * MON-FRI", start = "0 7 * * MON-FRI", time_zone = "Europe/Berlin" }

  # checkov CKV_AWS_150 (load balancer deletion protection) knowingly not met: dev is destroyed and re-created at
  # will, and its access logs go with it.
  enable_deletion_protection  = false
  keep_access_logs_on_destroy = false

  log_retention_days = 14
  log_level          = "debug"

  # dev may run on plain HTTP, to try the stack without a domain: with domain_name and hosted_zone_id, or
  # certificate_arn, in terraform.tfvars it serves HTTPS and port 80 only redirects.
  require_https   = false
  domain_name     = var.domain_name
  hosted_zone_id  = var.hosted_zone_id
  certificate_arn = var.certificate_arn
  alarm_email     = var.alarm_email
}
