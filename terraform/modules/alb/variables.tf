variable "name" {
  description = "Name of the load balancer, e.g. relay-dev-public; the Name tag of its target group and the beginning of its security group's name."
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
  description = "Port of the plain HTTP listener: forwards to the targets, or only redirects to HTTPS on 443 when certificate_arn or domain_name is set."
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
  description = "Existing ACM certificate (in the load balancer's region) for HTTPS: a listener on 443 and listener_port redirecting to it. Null: none, or the one requested for domain_name."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/...)."
  }
}

variable "domain_name" {
  description = "Domain to serve HTTPS on, e.g. api.example.com: the module requests an ACM certificate for it, validates it through DNS in hosted_zone_id and points the domain at the load balancer (alias record). Null: no domain."
  type        = string
  default     = null

  validation {
    condition     = var.domain_name == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$", var.domain_name)) && length(coalesce(var.domain_name, "-")) <= 253
    error_message = "domain_name must be a lowercase DNS name such as api.example.com (no wildcard, no trailing dot)."
  }

  validation {
    condition     = var.domain_name == null || var.certificate_arn == null
    error_message = "Set certificate_arn (an existing certificate) or domain_name (a certificate requested for it), not both."
  }
}

variable "hosted_zone_id" {
  description = "ID of the public Route 53 hosted zone domain_name belongs to (e.g. Z0123456789ABCDEFGHIJ): the certificate's validation record and the alias record go there. Required with domain_name."
  type        = string
  default     = null

  validation {
    condition     = var.hosted_zone_id == null || can(regex("^Z[A-Z0-9]{1,31}$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ (aws route53 list-hosted-zones-by-name)."
  }

  validation {
    condition     = var.domain_name == null || var.hosted_zone_id != null
    error_message = "domain_name needs hosted_zone_id: the ID of the public Route 53 hosted zone the domain belongs to (aws route53 list-hosted-zones-by-name --dns-name <zone>)."
  }
}

variable "ssl_policy" {
  description = "Security policy of the HTTPS listener; only TLS 1.3 policies with TLS 1.2 or 1.3 as the lowest version are accepted."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"

  validation {
    condition     = can(regex("^ELBSecurityPolicy-TLS13-1-[23]-", var.ssl_policy))
    error_message = "ssl_policy must be an ELBSecurityPolicy-TLS13-1-2-* or ELBSecurityPolicy-TLS13-1-3-* policy (TLS 1.2 at least, TLS 1.3 offered)."
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

variable "target_group_name_prefix" {
  description = "Beginning of the target group's generated name, 1-6 characters (the rest is a unique suffix), e.g. dapp1-. Null: the first five characters of name and a hyphen."
  type        = string
  default     = null

  validation {
    condition     = var.target_group_name_prefix == null || can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,5}$", coalesce(var.target_group_name_prefix, "-")))
    error_message = "target_group_name_prefix must be 1-6 letters, digits and hyphens, starting with a letter or digit (the provider adds 26 characters, and a target group name ends at 32)."
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
