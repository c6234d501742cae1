variable "name" {
  description = "Name prefix of every resource, e.g. relay-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR block of the VPC, a /16 to /24 from a private range (RFC 1918)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition = (
      can(cidrhost(var.cidr_block, 0)) &&
      try(tonumber(split("/", var.cidr_block)[1]) >= 16 && tonumber(split("/", var.cidr_block)[1]) <= 24, false) &&
      can(regex("^(10\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.|192\\.168\\.)", var.cidr_block))
    )
    error_message = "cidr_block must be a valid /16 to /24 IPv4 CIDR in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16."
  }
}

variable "azs" {
  description = "Availability zones to spread the subnets over (at least 2, distinct), e.g. [\"eu-west-1a\", \"eu-west-1b\"]."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2 && length(distinct(var.azs)) == length(var.azs)
    error_message = "azs must list at least 2 distinct availability zones (an ALB needs subnets in two AZs)."
  }
}

variable "public_subnet_cidrs" {
  description = "CIDRs of the public subnets, one per AZ in the order of azs. Null: carved from cidr_block (blocks 0..n-1 of 16)."
  type        = list(string)
  default     = null

  validation {
    condition     = var.public_subnet_cidrs == null || try(length(var.public_subnet_cidrs) == length(var.azs) && alltrue([for c in var.public_subnet_cidrs : can(cidrhost(c, 0))]), false)
    error_message = "public_subnet_cidrs must hold one valid CIDR per availability zone in azs."
  }
}

variable "private_subnet_cidrs" {
  description = "CIDRs of the private subnets, one per AZ in the order of azs. Null: carved from cidr_block (blocks 8..8+n-1 of 16)."
  type        = list(string)
  default     = null

  validation {
    condition     = var.private_subnet_cidrs == null || try(length(var.private_subnet_cidrs) == length(var.azs) && alltrue([for c in var.private_subnet_cidrs : can(cidrhost(c, 0))]), false)
    error_message = "private_subnet_cidrs must hold one valid CIDR per availability zone in azs."
  }
}

variable "single_nat_gateway" {
  description = "true: one NAT (gateway or instance) shared by all private subnets (cheaper, dev). false: one per AZ (survives an AZ outage, prod)."
  type        = bool
  default     = false
}

variable "nat" {
  description = "How the private subnets reach the internet: \"gateway\" (managed NAT gateways) or \"instance\" (one t4g-class instance per NAT behind a fixed network interface; cheaper, slower, minutes of outage when replaced)."
  type        = string
  default     = "gateway"

  validation {
    condition     = contains(["gateway", "instance"], var.nat)
    error_message = "nat must be \"gateway\" or \"instance\"."
  }
}

variable "nat_instance_type" {
  description = "EC2 instance type of the NAT instances (nat = \"instance\"): a Graviton (arm64) type, as their image is Amazon Linux 2023 for arm64."
  type        = string
  default     = "t4g.nano"

  validation {
    condition     = can(regex("^[a-z]+[0-9]+g[a-z]*\\.[a-z0-9]+$", var.nat_instance_type))
    error_message = "nat_instance_type must be a Graviton (arm64) instance type such as t4g.nano, t4g.micro or c7gn.medium."
  }
}

variable "interface_endpoints" {
  description = "AWS services to reach through interface VPC endpoints (private DNS) instead of the NAT (gateway or instance). Each costs per AZ and hour."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.interface_endpoints : contains(["ssm", "ssmmessages", "ec2messages", "ecr.api", "ecr.dkr", "logs", "monitoring"], s)])
    error_message = "interface_endpoints may only contain ssm, ssmmessages, ec2messages, ecr.api, ecr.dkr, logs and monitoring."
  }

  validation {
    condition     = length(distinct(var.interface_endpoints)) == length(var.interface_endpoints)
    error_message = "interface_endpoints must not repeat a service."
  }
}

variable "flow_log_retention_days" {
  description = "Days CloudWatch keeps the VPC flow logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "flow_log_kms_key_arn" {
  description = "ARN of a KMS key to encrypt the flow log group with. Null: CloudWatch's default encryption. Its key policy must let the CloudWatch Logs service principal use it."
  type        = string
  default     = null

  validation {
    condition     = var.flow_log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.flow_log_kms_key_arn))
    error_message = "flow_log_kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "flow_log_traffic_type" {
  description = "Which traffic the flow logs record: ACCEPT, REJECT or ALL."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type must be ACCEPT, REJECT or ALL."
  }
}

variable "tags" {
  description = "Tags added to every resource (merged with Name)."
  type        = map(string)
  default     = {}
}
