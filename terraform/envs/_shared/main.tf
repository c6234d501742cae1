# The wiring of a stage is modules/stack, the same for every stage; the stage's name comes from its stage.tf,
# its sizes from its terraform.tfvars, the images from -var or TF_VAR_app1_image_tag / TF_VAR_app2_image_tag.

module "stack" {
  source = "../../modules/stack"

  environment    = local.environment
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
