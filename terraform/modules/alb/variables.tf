variable "name" {
  description = "Name of the load balancer, its target group and security group, e.g. relay-dev-public."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.name)) && !startswith(var.name, "internal-")
    error_message = "name must be 2-32 lowercase letters, digits and hyphens, start with a letter, end with a letter or digit, and not start with internal-."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the load balancer and its targets live in."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets of the load balancer, in at least two AZs: public subnets for a public ALB, private ones for an internal ALB."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must list at least two subnets (an ALB spans two or more AZs)."
  }
}

variable "internal" {
  description = "true: an internal ALB reachable only from allowed_security_group_ids. false: an internet-facing ALB reachable from ingress_cidr_blocks."
  type        = bool
  default     = false
}

variable "listener_port" {
  description = "Port of the plain HTTP listener (forwards to the targets, or redirects to HTTPS on 443 when certificate_arn is set)."
  type        = number
  default     = 80

  validation {
    condition     = var.listener_port >= 1 && var.listener_port <= 65535 && floor(var.listener_port) == var.listener_port && var.listener_port != 443
    error_message = "listener_port must be a whole number from 1 to 65535 other than 443 (443 is the HTTPS listener's)."
  }
}

variable "target_port" {
  description = "Port the targets (instances) serve HTTP on."
  type        = number
  default     = 8080

  validation {
    condition     = var.target_port >= 1 && var.target_port <= 65535 && floor(var.target_port) == var.target_port
    error_message = "target_port must be a whole number from 1 to 65535."
  }
}

variable "certificate_arn" {
  description = "ACM certificate ARN. Set: an HTTPS listener on 443 (TLS 1.2/1.3 policy) and listener_port redirects to it. Null: HTTP only."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/...)."
  }
}

variable "ingress_cidr_blocks" {
  description = "IPv4 CIDRs that may reach a public ALB's listeners. Null: 0.0.0.0/0 for a public ALB. Must stay null or empty for an internal ALB."
  type        = list(string)
  default     = null

  validation {
    condition     = var.ingress_cidr_blocks == null || alltrue([for c in coalesce(var.ingress_cidr_blocks, []) : can(cidrhost(c, 0))])
    error_message = "ingress_cidr_blocks must hold valid IPv4 CIDRs."
  }

  validation {
    condition     = !var.internal || length(coalesce(var.ingress_cidr_blocks, [])) == 0
    error_message = "An internal ALB admits security groups only (allowed_security_group_ids), never CIDR blocks."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups whose members may reach the listeners. Required for an internal ALB (its only way in)."
  type        = list(string)
  default     = []

  validation {
    condition     = !var.internal || length(var.allowed_security_group_ids) > 0
    error_message = "An internal ALB needs at least one entry in allowed_security_group_ids, or nothing can reach it."
  }
}

variable "health_check_path" {
  description = "Path the target group checks on each target; a 200 answer marks it healthy."
  type        = string
  default     = "/health"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with /."
  }
}

variable "health_check_interval" {
  description = "Seconds between two health checks of a target."
  type        = number
  default     = 10

  validation {
    condition     = var.health_check_interval >= 5 && var.health_check_interval <= 300
    error_message = "health_check_interval must be between 5 and 300 seconds."
  }
}

variable "deregistration_delay" {
  description = "Seconds the ALB lets in-flight requests finish on a target being removed (the AWS default of 300 slows every rollout)."
  type        = number
  default     = 30

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600
    error_message = "deregistration_delay must be between 0 and 3600 seconds."
  }
}

variable "idle_timeout" {
  description = "Seconds a connection may stay idle. Keep it below the targets' keep-alive timeout, or the ALB may answer 502."
  type        = number
  default     = 60

  validation {
    condition     = var.idle_timeout >= 1 && var.idle_timeout <= 4000
    error_message = "idle_timeout must be between 1 and 4000 seconds."
  }
}

variable "enable_deletion_protection" {
  description = "Refuse to delete the load balancer until this is turned off again (use in prod)."
  type        = bool
  default     = false
}

variable "access_logs_expiration_days" {
  description = "Days after which access log objects are deleted from the log bucket."
  type        = number
  default     = 90

  validation {
    condition     = var.access_logs_expiration_days >= 1 && floor(var.access_logs_expiration_days) == var.access_logs_expiration_days
    error_message = "access_logs_expiration_days must be a whole number of at least 1."
  }
}

variable "access_logs_force_destroy" {
  description = "Let terraform destroy delete the access log bucket with its logs (handy for short-lived stages)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource (merged with Name)."
  type        = map(string)
  default     = {}
}
