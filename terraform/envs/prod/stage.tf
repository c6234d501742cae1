# What makes this directory the production stage: its name and its state key. Its sizes are in
# terraform.tfvars; every other .tf file is a link to ../_shared, the same for every stage.

locals {
  environment = "prod"
}

# bucket and region come from `terraform init -backend-config=bucket=$TF_STATE_BUCKET
# -backend-config=region=$AWS_REGION` (scripts/terraform.sh does this); see ../README.md.
terraform {
  backend "s3" {
    key          = "prod/terraform.tfstate"
    use_lockfile = true
    encrypt      = true
  }
}
