variable "arch" {
  type        = string
  description = "CPU architecture of the AMI: x86_64 or arm64."
  default     = "x86_64"

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
  description = "Subnet for the build instance; empty picks a default subnet of the default VPC. It needs a route to the SSM, EC2 messages and S3 endpoints (NAT, VPC endpoints or a public IP)."
  default     = ""
}

variable "associate_public_ip_address" {
  type        = bool
  description = "Give the build instance a public IP for outbound traffic (set false in a private subnet with NAT or VPC endpoints). No inbound rule exists either way."
  default     = true
}

variable "root_volume_size_gb" {
  type        = number
  description = "Size of the encrypted gp3 root volume."
  default     = 10
}

variable "kms_key_id" {
  type        = string
  description = "KMS key for the root volume and AMI snapshot; empty uses the account's default EBS key (aws/ebs)."
  default     = ""
}
