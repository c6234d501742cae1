terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # bucket and region come from `terraform init -backend-config=...` (see README.md); the very first apply
  # runs with local state, since this root module creates the bucket.
  # Encrypted by the bucket's default SSE-KMS; `encrypt = true` would ask for SSE-S3 instead, which the bucket
  # refuses (modules/state-bucket/README.md).
  backend "s3" {
    key          = "global/terraform.tfstate"
    use_lockfile = true
  }
}
