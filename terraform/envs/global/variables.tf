variable "aws_region" {
  description = "AWS region of the shared resources (and of the stages that use them), e.g. eu-west-1. The AWS provider refuses a region it does not know."
  type        = string
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows push images and run plans; checked by modules/github-oidc, whose trust policies name it."
  type        = string
}

variable "state_bucket_name" {
  description = "Globally unique name of the Terraform state bucket; the same value is given to every backend as -backend-config=bucket=... (TF_STATE_BUCKET)."
  type        = string
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider; false when the account already has one (then set github_oidc_provider_arn)."
  type        = bool
  default     = true
}

variable "github_oidc_provider_arn" {
  description = "ARN of the account's existing GitHub OIDC provider, when create_github_oidc_provider is false."
  type        = string
  default     = null
}

variable "ecr_keep_last_images" {
  description = "How many images each ECR repository keeps (one per push to main); enough that every image a stage runs or may roll back to stays."
  type        = number
  default     = 300
}

variable "packer_subnet_id" {
  description = "Subnet of the Packer build instance, the same as the repository variable PACKER_SUBNET_ID: relay-ci-packer may launch into it only. null: into any subnet of the region (set it once the subnet exists)."
  type        = string
  default     = null
}

