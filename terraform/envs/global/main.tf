# Shared by every stage, created once per account and region: the state bucket, the image repositories and
# the roles GitHub Actions assume (push images, plan, build the AMI, release to each stage).

locals {
  ecr_repository_names = ["relay/app1", "relay/app2"]

  # A stage is a root module next to this one (../<stage>/versions.tf): each gets a deploy role, with nothing to
  # list here.
  deploy_stages = sort([for file in fileset("${path.module}/..", "*/versions.tf") : dirname(file) if dirname(file) != "global"])
}

module "state_bucket" {
  source = "../../modules/state-bucket"

  bucket_name = var.state_bucket_name
}

module "ecr" {
  source = "../../modules/ecr"

  repository_names = local.ecr_repository_names
  keep_last_images = var.ecr_keep_last_images
}

module "github_oidc" {
  source = "../../modules/github-oidc"

  name_prefix          = "relay"
  github_repository    = var.github_repository
  create_oidc_provider = var.create_github_oidc_provider
  oidc_provider_arn    = var.github_oidc_provider_arn
  ecr_repository_arns  = [for name in local.ecr_repository_names : module.ecr.repository_arns[name]]
  state_bucket_name    = module.state_bucket.bucket_name
  packer_subnet_id     = var.packer_subnet_id
  deploy_stages        = local.deploy_stages
}
