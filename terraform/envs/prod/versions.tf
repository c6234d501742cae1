terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }

  # bucket and region come from `terraform init -backend-config=bucket=$TF_STATE_BUCKET
  # -backend-config=region=$AWS_REGION` (.ci/terraform.sh does this); see ../README.md.
  backend "s3" {
    key          = "prod/terraform.tfstate"
    use_lockfile = true
    encrypt      = true
  }
}
