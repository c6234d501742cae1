variable "aws_region" {
  description = "AWS region of the stage; the same as envs/global's, where the ECR repositories live."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as eu-west-1."
  }
}

variable "github_repository" {
  description = "GitHub repository (owner/name) of this code, recorded in the Repository tag of every resource."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must be owner/name, e.g. my-org/relay."
  }
}

variable "app1_image_tag" {
  description = "Image of relay/app1 to run: the full git commit SHA it was tagged with by CI, or a sha256 digest. No default: give it with -var or TF_VAR_app1_image_tag."
  type        = string

  validation {
    condition     = can(regex("^([0-9a-f]{40}|sha256:[0-9a-f]{64})$", var.app1_image_tag))
    error_message = "app1_image_tag must be a full 40-character git commit SHA or a sha256:<64 hex> digest (never latest)."
  }
}

variable "app2_image_tag" {
  description = "Image of relay/app2 to run: the full git commit SHA it was tagged with by CI, or a sha256 digest. No default: give it with -var or TF_VAR_app2_image_tag."
  type        = string

  validation {
    condition     = can(regex("^([0-9a-f]{40}|sha256:[0-9a-f]{64})$", var.app2_image_tag))
    error_message = "app2_image_tag must be a full 40-character git commit SHA or a sha256:<64 hex> digest (never latest)."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the stage's VPC; give each stage its own range so they could be peered later."
  type        = string
}

variable "az_count" {
  description = "Number of availability zones the stage spans."
  type        = number

  validation {
    condition     = var.az_count == floor(var.az_count) && var.az_count >= 2 && var.az_count <= 6
    error_message = "az_count must be a whole number from 2 (an ALB needs two AZs) to 6."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for the whole stage (cheaper) instead of one per AZ (survives the loss of an AZ)."
  type        = bool
}

variable "interface_endpoints" {
  description = "Interface VPC endpoints (ssm, ssmmessages, ec2messages, ecr.api, ecr.dkr, logs, monitoring) that keep AWS API traffic off the NAT gateway; each costs per AZ and hour."
  type        = list(string)
  default     = []
}

variable "architecture" {
  description = "CPU architecture of the instances: x86_64 or arm64 (needs linux/arm64 images and an arm64 relay host AMI)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "instance_type" {
  description = "EC2 instance type of both services; a Graviton type (t4g, m7g, ...) for arm64."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\\.(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)$", var.instance_type))
    error_message = "instance_type must be an EC2 instance type such as t3.micro."
  }
}

variable "min_size" {
  description = "Minimum number of instances per service."
  type        = number

  validation {
    condition     = var.min_size == floor(var.min_size) && var.min_size >= 1
    error_message = "min_size must be a whole number of at least 1."
  }
}

variable "max_size" {
  description = "Maximum number of instances per service."
  type        = number

  validation {
    condition     = var.max_size == floor(var.max_size) && var.max_size >= var.min_size
    error_message = "max_size must be a whole number >= min_size."
  }
}

variable "enable_deletion_protection" {
  description = "Protect the load balancers from deletion and keep their access logs on destroy."
  type        = bool
}

variable "log_retention_days" {
  description = "Retention in days of the container logs and the VPC flow logs."
  type        = number
}

variable "log_level" {
  description = "LOG_LEVEL of both apps: debug, info, warn or error."
  type        = string
  default     = "info"
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS on the public load balancer. Null: HTTP only."
  type        = string
  default     = null
}

variable "alarm_email" {
  description = "E-mail address that receives the stage's alarms. Null: no subscription (subscribe to the topic yourself)."
  type        = string
  default     = null
}
