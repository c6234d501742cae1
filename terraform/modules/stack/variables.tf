variable "environment" {
  description = "Stage name, e.g. dev: 1-17 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (relay-<environment>-internal names a load balancer, at most 32 characters). Part of every resource name (relay-<environment>-...) and the apps' ENVIRONMENT."
  type        = string

  # The longest name made from it, the internal load balancer's relay-<environment>-internal, may have 32 characters.
  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,15}[a-z0-9])?$", var.environment))
    error_message = "environment must be a stage name: 1-17 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (relay-<environment>-internal names a load balancer, at most 32 characters)."
  }
}

variable "app1_image_tag" {
  description = "Image of relay/app1 to start the stage with (the full git commit SHA CI tagged it with, or a sha256 digest; checked by the service module); only when the stage is created. Afterwards make release records the tag in /relay/<environment>/app1/image-tag and Terraform renders that one: null, or the recorded tag."
  type        = string
  default     = null
}

variable "app2_image_tag" {
  description = "Image of relay/app2 to start the stage with (the full git commit SHA CI tagged it with, or a sha256 digest; checked by the service module); only when the stage is created. Afterwards make release records the tag in /relay/<environment>/app2/image-tag and Terraform renders that one: null, or the recorded tag."
  type        = string
  default     = null
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the stage's VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "az_count" {
  description = "Number of availability zones to spread subnets, load balancers and instances over."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count == floor(var.az_count) && var.az_count >= 2 && var.az_count <= 6
    error_message = "az_count must be a whole number from 2 (an ALB needs two AZs) to 6."
  }
}

variable "single_nat_gateway" {
  description = "One NAT (gateway or instance) for all AZs (cheaper; outbound traffic stops if its AZ fails) instead of one per AZ."
  type        = bool
  default     = true
}

variable "nat" {
  description = "How the private subnets reach the internet: \"gateway\" (NAT gateways) or \"instance\" (NAT instances, cheaper; see the network module). Checked by the network module."
  type        = string
  default     = "gateway"
}

variable "nat_instance_type" {
  description = "Graviton instance type of the NAT instances when nat is \"instance\". Checked by the network module."
  type        = string
  default     = "t4g.nano"
}

variable "interface_endpoints" {
  description = "Interface VPC endpoints to create (ssm, ssmmessages, ec2messages, ecr.api, ecr.dkr, logs, monitoring); each costs per AZ and hour."
  type        = list(string)
  default     = []
}

variable "certificate_arn" {
  description = "Existing ACM certificate (in the stage's region) for HTTPS on the public load balancer; port 80 then only redirects. Null: none, or the one requested for domain_name."
  type        = string
  default     = null
}

variable "domain_name" {
  description = "Domain of the public API, e.g. api.example.com: an ACM certificate is requested for it and validated through DNS in hosted_zone_id, the domain becomes an alias of the public load balancer, port 80 only redirects, and public_url is https://<domain_name>. Null: no domain."
  type        = string
  default     = null

  validation {
    condition     = var.domain_name == null || var.certificate_arn == null
    error_message = "Set certificate_arn (an existing ACM certificate) or domain_name (a certificate is requested for it), not both."
  }
}

variable "hosted_zone_id" {
  description = "ID of the public Route 53 hosted zone domain_name is in (aws route53 list-hosted-zones-by-name); required with domain_name."
  type        = string
  default     = null

  validation {
    condition     = var.domain_name == null || var.hosted_zone_id != null
    error_message = "domain_name needs hosted_zone_id: the ID of the public Route 53 hosted zone the domain is in (aws route53 list-hosted-zones-by-name --dns-name <zone>)."
  }
}

variable "require_https" {
  description = "Refuse to plan unless the public load balancer serves HTTPS (certificate_arn or domain_name is set). Prod sets it; a stage that may run on plain HTTP sets false."
  type        = bool
  default     = true

  validation {
    condition     = !var.require_https || var.certificate_arn != null || var.domain_name != null
    error_message = "This stage requires HTTPS (require_https): set domain_name and hosted_zone_id (a certificate is requested and validated in that Route 53 zone) or certificate_arn (an existing ACM certificate in the stage's region) in the stage's terraform.tfvars."
  }
}

variable "public_ingress_cidr_blocks" {
  description = "IPv4 CIDRs that may reach the public load balancer. Null: the whole internet."
  type        = list(string)
  default     = null
}

variable "enable_deletion_protection" {
  description = "Protect both load balancers from deletion (turn off and apply before destroying the stage)."
  type        = bool
  default     = false
}

variable "keep_access_logs_on_destroy" {
  description = "Keep the load balancers' access log buckets, with their logs, when the stage is destroyed (terraform destroy then fails on them until they are emptied by hand). False: destroy deletes them with their logs."
  type        = bool
  default     = false
}

variable "architecture" {
  description = "CPU architecture of the instances and the relay host AMI: arm64 (Graviton) or x86_64."
  type        = string
  default     = "arm64"
}

variable "instance_type" {
  description = "EC2 instance type of both services; must run architecture and the AMI's (checked by the service module at plan)."
  type        = string
  default     = "t4g.micro"
}

variable "ami_id" {
  description = "AMI for both services, of the instance type's architecture. Null: the newest relay-host-al2023-<architecture>-* AMI built by packer/."
  type        = string
  default     = null
}

variable "root_volume_size" {
  description = "Root volume of both services' instances, in GiB (gp3, encrypted): at least the AMI's root snapshot, 10 GiB for the relay host AMI. Checked by the service module at plan."
  type        = number
  default     = 10
}

variable "detailed_monitoring" {
  description = "EC2 detailed monitoring of both services' instances (one-minute EC2 metrics, billed as custom metrics, see terraform/envs/README.md#stages-and-cost); false: five-minute metrics, free, and the CPU alarms on five-minute periods. Scaling follows the load balancers' request counts either way."
  type        = bool
  default     = true
}

variable "spot_instances" {
  description = "Run both services on Spot Instances (see the service module): the Spot price, capped at the on-demand price, for instances EC2 may reclaim with two minutes' notice; a service at one instance then answers nothing until its replacement is healthy. False: on-demand."
  type        = bool
  default     = false
}

variable "scale_to_zero_schedule" {
  description = "Stop both services on a schedule and start them again, e.g. { stop = \"0 20 * * MON-FRI\", start = \"0 7 * * MON-FRI\", time_zone = \"Europe/Berlin\" } (cron, IANA time zone; see the service module). The load balancers and NAT keep running. Null: always on."
  type = object({
    stop      = string
    start     = string
    time_zone = string
  })
  default = null
}

variable "min_size" {
  description = "Minimum number of instances per service."
  type        = number
  default     = 1

  validation {
    condition     = var.min_size >= 1
    error_message = "min_size must be at least 1: a stage without an instance of each service answers nothing."
  }
}

variable "max_size" {
  description = "Maximum number of instances per service."
  type        = number
  default     = 2
}

variable "requests_per_instance_per_minute" {
  description = "Target of the request-count scaling of both services: requests per instance per minute."
  type        = number
  default     = 6000

  validation {
    condition     = var.requests_per_instance_per_minute >= 1
    error_message = "requests_per_instance_per_minute must be at least 1."
  }
}

variable "health_check_grace_period" {
  description = "Seconds a new instance gets for boot, image pull and app start before health checks count."
  type        = number
  default     = 300
}

variable "log_retention_days" {
  description = "Retention in days of the container logs and the VPC flow logs."
  type        = number
  default     = 30
}

variable "log_level" {
  description = "LOG_LEVEL of both apps."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be debug, info, warn or error."
  }
}

variable "app2_timeout_ms" {
  description = "APP2_TIMEOUT_MS of app1: how long it waits for app2 before answering 504."
  type        = number
  default     = 2000

  validation {
    condition     = var.app2_timeout_ms == floor(var.app2_timeout_ms) && var.app2_timeout_ms >= 100 && var.app2_timeout_ms <= 55000
    error_message = "app2_timeout_ms must be a whole number from 100 to 55000 (below the load balancer's 60 s idle timeout)."
  }
}

variable "alarm_email" {
  description = "E-mail address that receives the alarms, once its owner confirms the subscription mail AWS sends. Null: the alarms notify nobody (the alarm_notifications output and a plan warning say so)."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for logs and root volumes. Null: AWS managed keys."
  type        = string
  default     = null
}

variable "tags" {
  description = "Extra tags for every resource (Project = relay and Environment are added)."
  type        = map(string)
  default     = {}
}
