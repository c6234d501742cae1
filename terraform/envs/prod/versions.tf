terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }

  # bucket and region come from `terraform init -backend-config=bucket=... -backend-config=region=...`
  # (scripts/terraform.sh); the key is this stage's own and is given nowhere else.
  backend "s3" {
    key          = "prod/terraform.tfstate"
    use_lockfile = true
    encrypt      = true
  }
}
