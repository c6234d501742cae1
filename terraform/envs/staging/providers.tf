provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Environment = local.environment
      Project     = "relay"
      Repository  = var.github_repository
      ManagedBy   = "terraform"
    }
  }
}
