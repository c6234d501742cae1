# The development stage: smallest and cheapest, one NAT gateway, two AZs.
# The wiring is modules/stack, shared by every stage; the sizes are in terraform.tfvars; the images come from
# -var or TF_VAR_app1_image_tag / TF_VAR_app2_image_tag.

module "stack" {
  source = "../../modules/stack"

  environment    = "dev"
  app1_image_tag = var.app1_image_tag
  app2_image_tag = var.app2_image_tag

  vpc_cidr            = var.vpc_cidr
  az_count            = var.az_count
  single_nat_gateway  = var.single_nat_gateway
  interface_endpoints = var.interface_endpoints

  architecture  = var.architecture
  instance_type = var.instance_type
  min_size      = var.min_size
  max_size      = var.max_size

  certificate_arn            = var.certificate_arn
  enable_deletion_protection = var.enable_deletion_protection
  log_retention_days         = var.log_retention_days
  log_level                  = var.log_level
  alarm_email                = var.alarm_email
}
