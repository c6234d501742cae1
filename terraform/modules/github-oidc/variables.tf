variable "name_prefix" {
  description = "Prefix of the role names: PREFIX-ci-push, PREFIX-ci-plan and PREFIX-ci-packer."
  type        = string
  default     = "relay"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,50}$", var.name_prefix))
    error_message = "name_prefix must be 1-50 characters valid in IAM role names."
  }
}

variable "github_repository" {
  description = "GitHub repository allowed to assume the roles, as owner/name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must be owner/name, e.g. my-org/relay."
  }
}

variable "push_branch" {
  description = "Branch whose workflow runs may push images (the ci-push role) and plan."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.push_branch)) && !strcontains(var.push_branch, "*")
    error_message = "push_branch must be a plain branch name (no wildcards)."
  }
}

variable "create_oidc_provider" {
  description = "Create the account's GitHub OIDC provider. false: use oidc_provider_arn (an account holds one provider per URL)."
  type        = bool
  default     = true
}

variable "oidc_provider_arn" {
  description = "ARN of an existing token.actions.githubusercontent.com provider; required when create_oidc_provider is false."
  type        = string
  default     = null

  validation {
    condition     = var.oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be the ARN of a token.actions.githubusercontent.com OIDC provider."
  }

  validation {
    condition     = var.create_oidc_provider || var.oidc_provider_arn != null
    error_message = "Set oidc_provider_arn when create_oidc_provider is false."
  }
}

variable "ecr_repository_arns" {
  description = "ECR repositories the ci-push role may push to (and nothing else)."
  type        = list(string)

  validation {
    condition     = length(var.ecr_repository_arns) > 0 && alltrue([for a in var.ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", a))])
    error_message = "ecr_repository_arns must list one or more ECR repository ARNs (arn:aws:ecr:<region>:<account>:repository/<name>)."
  }
}

variable "state_bucket_name" {
  description = "Name of the Terraform state bucket the ci-plan role reads state from and writes lock files to."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be a valid S3 bucket name."
  }
}

variable "state_kms_key_arn" {
  description = "Customer managed KMS key of the state bucket, if any; ci-plan may then decrypt state and encrypt lock files with it."
  type        = string
  default     = null

  validation {
    condition     = var.state_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.state_kms_key_arn))
    error_message = "state_kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "create_packer_role" {
  description = "Create the ci-packer role, which builds the relay host AMI from the push branch (packer/README.md lists what it calls)."
  type        = bool
  default     = true
}

variable "packer_kms_key_arn" {
  description = "Customer managed KMS key the AMI's snapshots are encrypted with, if any (Packer's kms_key_id); ci-packer may then use it."
  type        = string
  default     = null

  validation {
    condition     = var.packer_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.packer_kms_key_arn))
    error_message = "packer_kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "tags" {
  description = "Tags added to every resource (merged with Name)."
  type        = map(string)
  default     = {}
}
