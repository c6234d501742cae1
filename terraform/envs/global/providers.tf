provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Environment = "global"
      Project     = "relay"
      Repository  = var.github_repository
    }
  }
}
