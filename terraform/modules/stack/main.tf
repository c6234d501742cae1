# One stage of relay: a VPC, a public ALB in front of app1, an internal ALB in front of app2, both services as
# Auto Scaling groups in the private subnets, and their alarms and dashboard. Who may talk to whom:
#
#   internet --80/443--> public ALB --8080--> app1 --80--> internal ALB --8080--> app2
#
# With HTTPS (certificate_arn, or domain_name with its Route 53 zone), port 80 of the public ALB only redirects.
# app1 reaches app2 only through the internal ALB (APP2_URL), which admits app1's security group only.

locals {
  # Not a variable: the ECR repositories and CI roles of envs/global, the release tool and the AMI are relay's.
  project = "relay"
  name    = "${local.project}-${var.environment}"
  azs     = slice(data.aws_availability_zones.available.names, 0, var.az_count)

  tags = merge(var.tags, { Project = local.project, Environment = var.environment })
}

data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

# The repositories are shared by all stages and live in envs/global.
data "aws_ecr_repository" "app1" {
  name = "${local.project}/app1"
}

data "aws_ecr_repository" "app2" {
  name = "${local.project}/app2"
}

module "network" {
  source = "../network"

  name                    = local.name
  cidr_block              = var.vpc_cidr
  azs                     = local.azs
  single_nat_gateway      = var.single_nat_gateway
  nat                     = var.nat
  nat_instance_type       = var.nat_instance_type
  interface_endpoints     = var.interface_endpoints
  flow_log_retention_days = var.log_retention_days
  flow_log_kms_key_arn    = var.kms_key_arn
  tags                    = local.tags
}

module "public_alb" {
  source = "../alb"

  name                       = "${local.name}-public"
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.public_subnet_ids
  internal                   = false
  listener_port              = 80
  target_port                = 8080
  target_group_name_prefix   = "${substr(var.environment, 0, 1)}app1-"
  certificate_arn            = var.certificate_arn
  domain_name                = var.domain_name
  hosted_zone_id             = var.hosted_zone_id
  ingress_cidr_blocks        = var.public_ingress_cidr_blocks
  enable_deletion_protection = var.enable_deletion_protection
  access_logs_force_destroy  = !var.keep_access_logs_on_destroy
  tags                       = merge(local.tags, { Service = "app1" })
}

module "internal_alb" {
  source = "../alb"

  name                       = "${local.name}-internal"
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  internal                   = true
  listener_port              = 80
  target_port                = 8080
  target_group_name_prefix   = "${substr(var.environment, 0, 1)}app2-"
  allowed_security_group_ids = [module.app1.security_group_id]
  enable_deletion_protection = var.enable_deletion_protection
  access_logs_force_destroy  = !var.keep_access_logs_on_destroy
  tags                       = merge(local.tags, { Service = "app2" })
}

module "app1" {
  source = "../service"

  name                    = "${local.name}-app1"
  service_name            = "app1"
  alb_security_group_id   = module.public_alb.security_group_id
  target_group_arns       = [module.public_alb.target_group_arn]
  scaling_metric          = "ALBRequestCountPerTarget"
  target_group_dimensions = { load_balancer = module.public_alb.alb_arn_suffix, target_group = module.public_alb.target_group_arn_suffix }
  image_repository_url    = data.aws_ecr_repository.app1.repository_url
  ecr_repository_arn      = data.aws_ecr_repository.app1.arn
  image_tag               = var.app1_image_tag

  app_environment = {
    APP2_URL        = module.internal_alb.url
    APP2_TIMEOUT_MS = tostring(var.app2_timeout_ms)
    LOG_LEVEL       = var.log_level
  }

  extra_egress = [{
    port              = 80
    security_group_id = module.internal_alb.security_group_id
    description       = "app2 through the internal load balancer"
  }]

  environment               = var.environment
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.private_subnet_ids
  architecture              = var.architecture
  instance_type             = var.instance_type
  ami_id                    = var.ami_id
  root_volume_size          = var.root_volume_size
  detailed_monitoring       = var.detailed_monitoring
  spot_instances            = var.spot_instances
  scale_to_zero_schedule    = var.scale_to_zero_schedule
  min_size                  = var.min_size
  max_size                  = var.max_size
  health_check_grace_period = var.health_check_grace_period
  scaling_target_value      = var.requests_per_instance_per_minute
  log_retention_days        = var.log_retention_days
  kms_key_arn               = var.kms_key_arn
  tags                      = local.tags
}

module "app2" {
  source = "../service"

  name                    = "${local.name}-app2"
  service_name            = "app2"
  alb_security_group_id   = module.internal_alb.security_group_id
  target_group_arns       = [module.internal_alb.target_group_arn]
  scaling_metric          = "ALBRequestCountPerTarget"
  target_group_dimensions = { load_balancer = module.internal_alb.alb_arn_suffix, target_group = module.internal_alb.target_group_arn_suffix }
  image_repository_url    = data.aws_ecr_repository.app2.repository_url
  ecr_repository_arn      = data.aws_ecr_repository.app2.arn
  image_tag               = var.app2_image_tag

  app_environment = {
    LOG_LEVEL = var.log_level
  }

  environment               = var.environment
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.private_subnet_ids
  architecture              = var.architecture
  instance_type             = var.instance_type
  ami_id                    = var.ami_id
  root_volume_size          = var.root_volume_size
  detailed_monitoring       = var.detailed_monitoring
  spot_instances            = var.spot_instances
  scale_to_zero_schedule    = var.scale_to_zero_schedule
  min_size                  = var.min_size
  max_size                  = var.max_size
  health_check_grace_period = var.health_check_grace_period
  scaling_target_value      = var.requests_per_instance_per_minute
  log_retention_days        = var.log_retention_days
  kms_key_arn               = var.kms_key_arn
  tags                      = local.tags
}

module "monitoring" {
  source = "../monitoring"

  name_prefix           = local.name
  environment           = var.environment
  alarm_email           = var.alarm_email
  public_alb_arn_suffix = module.public_alb.alb_arn_suffix

  target_groups = {
    app1 = { arn_suffix = module.public_alb.target_group_arn_suffix, alb_arn_suffix = module.public_alb.alb_arn_suffix }
    app2 = { arn_suffix = module.internal_alb.target_group_arn_suffix, alb_arn_suffix = module.internal_alb.alb_arn_suffix }
  }

  asg_names = {
    app1 = module.app1.asg_name
    app2 = module.app2.asg_name
  }

  # Without detailed monitoring the instances report CPU every five minutes: the CPU alarms wait for that period.
  instance_metrics_period = var.detailed_monitoring ? 60 : 300

  tags = local.tags
}
