variable "name" {
  description = "Name of the service's resources (ASG, launch template, IAM role, security group), e.g. relay-dev-app1."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "service_name" {
  description = "Service name inside the project (app1 or app2); the SERVICE_NAME the host's container unit gets."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.service_name))
    error_message = "service_name must be up to 31 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Stage name, e.g. dev: the ENVIRONMENT of the container and part of the log group and image tag parameter names."
  type        = string

  validation {
    # The stage names the apps accept as ENVIRONMENT (packages/service-kit/src/env.ts) and modules/stack takes.
    condition     = can(regex("^[a-z]([a-z0-9-]{0,15}[a-z0-9])?$", var.environment))
    error_message = "environment must be a stage name: 1-17 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "vpc_id" {
  description = "VPC of the instances' security group."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Private subnets the Auto Scaling group launches instances into (one per AZ)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "subnet_ids must hold at least one subnet ID (subnet-...)."
  }
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer in front of the service: the only source allowed to reach container_port."
  type        = string

  validation {
    condition     = can(regex("^sg-[0-9a-f]+$", var.alb_security_group_id))
    error_message = "alb_security_group_id must look like sg-0123456789abcdef0."
  }
}

variable "target_group_arns" {
  description = "Target groups the Auto Scaling group registers its instances with."
  type        = list(string)

  validation {
    condition     = length(var.target_group_arns) > 0 && alltrue([for arn in var.target_group_arns : can(regex("^arn:aws[a-z-]*:elasticloadbalancing:", arn))])
    error_message = "target_group_arns must hold at least one target group ARN."
  }
}

variable "container_port" {
  description = "Port the container listens on with host networking (PORT in its environment) and the target group forwards to."
  type        = number
  default     = 8080

  validation {
    condition     = var.container_port == floor(var.container_port) && var.container_port >= 1024 && var.container_port <= 65535
    error_message = "container_port must be a whole number from 1024 to 65535 (the container runs unprivileged)."
  }
}

variable "image_repository_url" {
  description = "ECR repository URL of the service's image, without tag, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/relay/app1."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9][a-z0-9._/-]*$", var.image_repository_url))
    error_message = "image_repository_url must be an ECR repository URL without tag (<account>.dkr.ecr.<region>.amazonaws.com/<name>)."
  }
}

variable "image_tag" {
  description = "Image the service starts with: the full 40-character git commit SHA CI tagged it with, or its sha256:<64 hex> digest (never latest); written to its SSM parameter when Terraform creates it. Afterwards make release changes the parameter and Terraform reads it; a tag other than the recorded one is refused. Null: the recorded tag (required when the service is created)."
  type        = string
  default     = null

  # The rule make release applies to the tags it ships (tools/release/src/image.ts).
  validation {
    condition     = var.image_tag == null || can(regex("^([0-9a-f]{40}|sha256:[0-9a-f]{64})$", var.image_tag))
    error_message = "image_tag must be null, a full 40-character lowercase git commit SHA or a sha256:<64 hex> digest (never latest)."
  }
}

variable "ecr_repository_arn" {
  description = "ARN of the ECR repository the instances may pull from (and only from)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", var.ecr_repository_arn))
    error_message = "ecr_repository_arn must be an ECR repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>)."
  }
}

variable "app_environment" {
  description = "Extra environment for the container (written to /etc/relay/app.env), e.g. { APP2_URL = \"http://...\" }. PORT, ENVIRONMENT, METRICS_NAMESPACE and AWS_REGION are set by the module. Not for secrets: user data is readable by anyone with ec2:DescribeInstanceAttribute."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key in keys(var.app_environment) : can(regex("^[A-Z_][A-Z0-9_]*$", key))])
    error_message = "app_environment keys must be upper-case environment variable names ([A-Z_][A-Z0-9_]*)."
  }

  validation {
    condition     = length(setintersection(keys(var.app_environment), ["PORT", "ENVIRONMENT", "METRICS_NAMESPACE", "AWS_REGION"])) == 0
    error_message = "app_environment must not set PORT, ENVIRONMENT, METRICS_NAMESPACE or AWS_REGION: the module sets them."
  }

  validation {
    condition     = alltrue([for value in values(var.app_environment) : !can(regex("[\\r\\n]", value))])
    error_message = "app_environment values must be single lines (docker --env-file reads one VAR=value per line)."
  }
}

variable "architecture" {
  description = "CPU architecture of the instances and the AMI: arm64 (Graviton) or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "instance_type" {
  description = "EC2 instance type; must run architecture (Graviton families such as t4g, m7g for arm64; t3, m7i for x86_64) and the AMI's architecture, which the plan checks against AWS's data on the type."
  type        = string
  default     = "t4g.micro"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\\.(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)$", var.instance_type))
    error_message = "instance_type must be an EC2 instance type such as t3.micro or m7g.large."
  }

  validation {
    # A quick check before any AWS call: Graviton families carry a "g" right after the generation digit (t4g, m7g,
    # c7gn); a1 is the first Graviton. The plan then checks the type's real architectures (data.aws_ec2_instance_type).
    condition     = can(regex("^([a-z]+[0-9]+g[a-z]*|a1)\\.", var.instance_type)) == (var.architecture == "arm64")
    error_message = "instance_type does not match architecture: arm64 needs a Graviton type (e.g. t4g.micro), x86_64 a non-Graviton one (e.g. t3.micro)."
  }
}

variable "ami_id" {
  description = "AMI to launch, of the architecture instance_type runs (checked at plan). When null, the newest own AMI named relay-host-al2023-<architecture>-* tagged Project=relay, Role=container-host is used."
  type        = string
  default     = null

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be null or an AMI ID (ami-...)."
  }
}

variable "root_volume_size" {
  description = "Size in GiB of the encrypted gp3 root volume, which holds the system and the Docker images: at least the AMI's root snapshot (the relay host AMI's is 10 GiB), checked at plan."
  type        = number
  default     = 10

  validation {
    condition     = var.root_volume_size == floor(var.root_volume_size) && var.root_volume_size >= 1 && var.root_volume_size <= 1024
    error_message = "root_volume_size must be a whole number of GiB, at most 1024."
  }
}

variable "min_size" {
  description = "Minimum number of instances."
  type        = number
  default     = 1

  validation {
    condition     = var.min_size == floor(var.min_size) && var.min_size >= 0
    error_message = "min_size must be a whole number >= 0."
  }
}

variable "max_size" {
  description = "Maximum number of instances the scaling policy may run."
  type        = number
  default     = 2

  validation {
    condition     = var.max_size == floor(var.max_size) && var.max_size >= 1 && var.max_size >= var.min_size
    error_message = "max_size must be a whole number >= 1 and >= min_size."
  }
}

variable "desired_capacity" {
  description = "Number of instances at creation (min_size when null). Afterwards the scaling policy owns it: Terraform ignores drift of desired capacity."
  type        = number
  default     = null

  validation {
    condition     = var.desired_capacity == null || try(var.desired_capacity == floor(var.desired_capacity) && var.desired_capacity >= var.min_size && var.desired_capacity <= var.max_size, false)
    error_message = "desired_capacity must be a whole number with min_size <= desired_capacity <= max_size."
  }
}

variable "health_check_grace_period" {
  description = "Seconds after launch before failed health checks count, and the instance warm-up for scaling and instance refresh. Covers boot, image pull and app start. Creating the group waits this long plus five minutes for its instances to become healthy targets."
  type        = number
  default     = 300

  validation {
    condition     = var.health_check_grace_period == floor(var.health_check_grace_period) && var.health_check_grace_period >= 60 && var.health_check_grace_period <= 3600
    error_message = "health_check_grace_period must be a whole number of seconds from 60 to 3600."
  }
}

variable "scaling_metric" {
  description = "Target-tracking metric: ALBRequestCountPerTarget (needs target_group_dimensions), ASGAverageCPUUtilization, or null for a fixed size."
  type        = string
  default     = "ASGAverageCPUUtilization"

  validation {
    condition     = var.scaling_metric == null || contains(["ALBRequestCountPerTarget", "ASGAverageCPUUtilization"], coalesce(var.scaling_metric, "-"))
    error_message = "scaling_metric must be ALBRequestCountPerTarget, ASGAverageCPUUtilization or null."
  }
}

variable "scaling_target_value" {
  description = "Target of the scaling metric: average CPU percent, or requests per target per minute."
  type        = number
  default     = 60

  validation {
    condition     = var.scaling_target_value > 0
    error_message = "scaling_target_value must be greater than 0."
  }
}

variable "target_group_dimensions" {
  description = "CloudWatch dimensions of the service's target group: load_balancer (app/<name>/<id>) and target_group (targetgroup/<name>/<id>), the ARN suffixes. Enables request-count scaling and the rollout alarm."
  type = object({
    load_balancer = string
    target_group  = string
  })
  default = null

  validation {
    condition = var.target_group_dimensions == null || try(
      can(regex("^app/[^/]+/[0-9a-f]+$", var.target_group_dimensions.load_balancer)) &&
      can(regex("^targetgroup/[^/]+/[0-9a-f]+$", var.target_group_dimensions.target_group)),
      false
    )
    error_message = "target_group_dimensions must be null or { load_balancer = \"app/<name>/<id>\", target_group = \"targetgroup/<name>/<id>\" }."
  }

  validation {
    condition     = var.scaling_metric != "ALBRequestCountPerTarget" || var.target_group_dimensions != null
    error_message = "scaling_metric ALBRequestCountPerTarget needs target_group_dimensions."
  }
}

variable "instance_refresh_5xx_threshold" {
  description = "Target 5xx responses per minute that, two minutes in a row, put the rollout alarm into ALARM: during a release's instance refresh that fails the refresh and rolls it back. Needs target_group_dimensions."
  type        = number
  default     = 10

  validation {
    condition     = var.instance_refresh_5xx_threshold >= 0
    error_message = "instance_refresh_5xx_threshold must not be negative."
  }
}

variable "extra_egress" {
  description = "Additional egress from the instances to other security groups, e.g. app1 to the internal load balancer: [{ port = 80, security_group_id = \"sg-...\", description = \"...\" }]."
  type = list(object({
    port              = number
    security_group_id = string
    description       = string
  }))
  default = []

  validation {
    condition     = alltrue([for rule in var.extra_egress : rule.port == floor(rule.port) && rule.port >= 1 && rule.port <= 65535 && rule.port != 22])
    error_message = "extra_egress ports must be whole numbers from 1 to 65535, and not 22."
  }
}

variable "log_retention_days" {
  description = "Retention of the container log group in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace the app publishes metrics to (METRICS_NAMESPACE); the instance role may put metrics there only."
  type        = string
  default     = "Relay"

  validation {
    condition     = can(regex("^[A-Za-z0-9./_#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 characters of letters, digits and . / _ # : - and not start with AWS/."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the log group and the root volume; null uses the AWS managed keys. The key policy must allow CloudWatch Logs and EC2 Auto Scaling."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "enable_instance_metadata_tags" {
  description = "Expose the instance's tags through the instance metadata service."
  type        = bool
  default     = false
}

variable "detailed_monitoring" {
  description = "EC2 detailed monitoring: the instances' EC2 metrics (CPU, network, status checks) every minute, billed as custom metrics (see terraform/envs/README.md#stages-and-cost). False: every five minutes, free; CPU alarms and CPU target tracking then see five-minute data."
  type        = bool
  default     = true
}

variable "spot_instances" {
  description = "Launch the instances as Spot Instances: the launch template requests them (one-time, terminated on interruption, no maximum price: the Spot price, capped at the on-demand price). EC2 may reclaim one with two minutes' notice; the group then launches a replacement, and a service at one instance answers nothing until it is healthy. False: on-demand instances."
  type        = bool
  default     = false
}

variable "scale_to_zero_schedule" {
  description = "Stop the service on a schedule, e.g. { stop = \"0 20 * * MON-FRI\", start = \"0 7 * * MON-FRI\", time_zone = \"Europe/Berlin\" }: cron expressions (minute hour day-of-month month day-of-week) in an IANA time zone. stop sets the group's min, max and desired capacity to 0; start restores min_size, max_size and desired_capacity (min_size when null). Null: no schedule."
  type = object({
    stop      = string
    start     = string
    time_zone = string
  })
  default = null

  validation {
    condition = var.scale_to_zero_schedule == null || try(alltrue([
      for cron in [var.scale_to_zero_schedule.stop, var.scale_to_zero_schedule.start] : can(regex("^[0-9A-Za-z*/,-]+( [0-9A-Za-z*/,-]+){4}$", cron))
    ]) && var.scale_to_zero_schedule.stop != var.scale_to_zero_schedule.start, false)
    error_message = "scale_to_zero_schedule.stop and .start must be two different cron expressions of five fields (minute hour day-of-month month day-of-week), e.g. \"0 20 * * MON-FRI\"."
  }

  validation {
    condition     = var.scale_to_zero_schedule == null || try(can(regex("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$", var.scale_to_zero_schedule.time_zone)), false)
    error_message = "scale_to_zero_schedule.time_zone must be an IANA time zone name such as Europe/Berlin or UTC (not an offset)."
  }
}

variable "tags" {
  description = "Tags for every resource; also propagated to the instances at launch."
  type        = map(string)
  default     = {}
}
