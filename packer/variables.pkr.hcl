variable "arch" {
  type        = string
  description = "CPU architecture of the AMI: arm64 (Graviton, what the stages run; the default) or x86_64."
  default     = "arm64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.arch)
    error_message = "The arch variable must be x86_64 or arm64."
  }
}

variable "git_commit" {
  type        = string
  description = "Full git commit SHA the AMI is built from; stored in the GitCommit tag."

  validation {
    condition     = can(regex("^[0-9a-f]{40}$", var.git_commit))
    error_message = "The git_commit variable must be a full 40-character lowercase commit SHA."
  }
}

variable "region" {
  type        = string
  description = "AWS region to build in and register the AMI in."
  default     = env("AWS_REGION")
}

variable "instance_types" {
  type        = map(string)
  description = "Build instance type per architecture."
  default = {
    x86_64 = "t3.small"
    arm64  = "t4g.small"
  }
}

variable "subnet_id" {
  type        = string
  description = "Subnet for the build instance; empty picks a default subnet of the default VPC (many accounts have none). It needs a route out to SSM and the package repositories: a NAT, or a public IP (associate_public_ip_address) in a subnet routed to an internet gateway."
  default     = ""

  validation {
    condition     = var.subnet_id == "" || can(regex("^subnet-[0-9a-f]{8,17}$", var.subnet_id))
    error_message = "The subnet_id variable must be a subnet ID (subnet-0123456789abcdef0) or empty for the default VPC."
  }
}

variable "associate_public_ip_address" {
  type        = bool
  description = "Give the build instance a public IP for outbound traffic in a public subnet (set false in a private subnet with NAT). No inbound rule exists either way."
  default     = true
}

variable "iam_instance_profile" {
  type        = string
  description = "Instance profile of the build instance: Session Manager only. terraform/envs/global creates relay-packer-build (output packer_instance_profile_name)."
  default     = "relay-packer-build"
}

variable "root_volume_size_gb" {
  type        = number
  description = "Size of the encrypted gp3 root volume."
  default     = 10
}

variable "kms_key_id" {
  type        = string
  description = "KMS key of the root volume, and so of the AMI's snapshot; empty uses the account's default EBS key (aws/ebs)."
  default     = ""
}
