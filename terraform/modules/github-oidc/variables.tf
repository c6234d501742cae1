variable "name_prefix" {
  description = "Project name: prefix of the role names (PREFIX-ci-push, PREFIX-ci-plan, PREFIX-ci-packer, PREFIX-packer-build, PREFIX-deploy-<stage>) and of the stage resources the plan and deploy roles may read or change (PREFIX-<stage>-<service>, buckets PREFIX-*, parameters /PREFIX/...)."
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
  description = "Branch whose workflow runs may push images (ci-push) and build the AMI (ci-packer)."
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
  description = "The app repositories: ci-push may push to them, ci-plan and the deploy roles read their metadata (and nothing else of ECR)."
  type        = list(string)

  validation {
    condition     = length(var.ecr_repository_arns) > 0 && alltrue([for a in var.ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", a))])
    error_message = "ecr_repository_arns must list one or more ECR repository ARNs (arn:aws:ecr:<region>:<account>:repository/<name>)."
  }
}

variable "state_bucket_name" {
  description = "Name of the Terraform state bucket; ci-plan may read its *.tfstate objects (and write nothing: plans run with -lock=false)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be a valid S3 bucket name."
  }
}

variable "state_kms_key_arn" {
  description = "Customer managed KMS key of the state bucket, if any; ci-plan may then decrypt state with it."
  type        = string
  default     = null

  validation {
    condition     = var.state_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.state_kms_key_arn))
    error_message = "state_kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "create_packer_role" {
  description = "Create the ci-packer role, which builds the relay host AMI from the push branch (packer/README.md lists what it calls), and the build instance's PREFIX-packer-build role and instance profile."
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

variable "packer_subnet_id" {
  description = "Subnet the Packer build instance runs in (the packer workflow's PACKER_SUBNET_ID); ci-packer may launch into it only. null: into any subnet of the region."
  type        = string
  default     = null

  validation {
    condition     = var.packer_subnet_id == null || can(regex("^subnet-[0-9a-f]{8,17}$", var.packer_subnet_id))
    error_message = "packer_subnet_id must be null or a subnet ID (subnet-...)."
  }
}

variable "deploy_stages" {
  description = "Stages that get a deploy role, PREFIX-deploy-<stage>, assumed by workflow jobs of the GitHub environment of the same name."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for stage in var.deploy_stages : can(regex("^[a-z][a-z0-9-]{0,19}$", stage))]) && length(distinct(var.deploy_stages)) == length(var.deploy_stages)
    error_message = "deploy_stages must be distinct stage names of lowercase letters, digits and dashes, e.g. [\"dev\", \"staging\", \"prod\"]."
  }
}

variable "deploy_services" {
  description = "Services of each stage a deploy role releases: group and launch template PREFIX-<stage>-<service>, instance role PREFIX-<stage>-<service>-instance, parameters /PREFIX/<stage>/<service>/..."
  type        = list(string)
  default     = ["app1", "app2"]

  validation {
    condition     = length(var.deploy_services) > 0 && alltrue([for service in var.deploy_services : can(regex("^[a-z][a-z0-9-]{0,19}$", service))])
    error_message = "deploy_services must name one or more services of lowercase letters, digits and dashes."
  }
}

variable "tags" {
  description = "Tags added to every resource (merged with Name)."
  type        = map(string)
  default     = {}
}
