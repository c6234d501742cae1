variable "name_prefix" {
  description = "Prefix of the topic, alarm and dashboard names, e.g. relay-dev."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.name_prefix))
    error_message = "name_prefix must be 1-64 letters, digits, hyphens or underscores (what dashboard names allow)."
  }
}

variable "environment" {
  description = "Stage name; the Environment dimension of the apps' metrics."
  type        = string

  validation {
    # The stage names the apps accept as ENVIRONMENT (packages/service-kit/src/env.ts) and modules/stack takes.
    condition     = can(regex("^[a-z]([a-z0-9-]{0,15}[a-z0-9])?$", var.environment))
    error_message = "environment must be a stage name: 1-17 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic (AWS sends a confirmation mail first). Null: no subscription."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address."
  }
}

variable "kms_key_arn" {
  description = "KMS key to encrypt the alarm topic with; its policy must let cloudwatch.amazonaws.com use it. Null: the module creates one (the AWS managed alias/aws/sns key cannot be used by CloudWatch alarms)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "public_alb_arn_suffix" {
  description = "ARN suffix (app/NAME/ID) of the public load balancer: its 5xx rate is alarmed and its traffic graphed."
  type        = string
}

variable "target_groups" {
  description = "Target groups to alarm on and graph, by a short name (e.g. app1, app2): their ARN suffix and their load balancer's ARN suffix."
  type = map(object({
    arn_suffix     = string
    alb_arn_suffix = string
  }))
  default = {}
}

variable "asg_names" {
  description = "Auto Scaling groups whose average CPU is alarmed and graphed, by a short name (e.g. app1, app2)."
  type        = map(string)
  default     = {}
}

variable "services" {
  description = "Values of the Service dimension the apps publish their metrics under."
  type        = list(string)
  default     = ["app1", "app2"]

  validation {
    condition     = length(var.services) > 0
    error_message = "services must name at least one service."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the apps' own metrics."
  type        = string
  default     = "Relay"
}

variable "thresholds" {
  description = "Alarm thresholds; omitted fields keep their defaults."
  type = object({
    alb_5xx_rate_percent      = optional(number, 5)
    target_5xx_count          = optional(number, 10)
    unhealthy_host_count      = optional(number, 0)
    p99_response_time_seconds = optional(number, 2)
    asg_cpu_percent           = optional(number, 80)
  })
  default = {}

  validation {
    condition     = var.thresholds.alb_5xx_rate_percent > 0 && var.thresholds.alb_5xx_rate_percent <= 100
    error_message = "thresholds.alb_5xx_rate_percent must be above 0 and at most 100."
  }

  validation {
    condition     = var.thresholds.asg_cpu_percent > 0 && var.thresholds.asg_cpu_percent <= 100
    error_message = "thresholds.asg_cpu_percent must be above 0 and at most 100."
  }

  validation {
    condition     = var.thresholds.target_5xx_count >= 0 && var.thresholds.unhealthy_host_count >= 0 && var.thresholds.p99_response_time_seconds > 0
    error_message = "thresholds.target_5xx_count and unhealthy_host_count must not be negative; p99_response_time_seconds must be positive."
  }
}

variable "evaluation_periods" {
  description = "Consecutive periods a threshold must be breached before an alarm fires: one minute each, except the CPU alarm's instance_metrics_period (five minutes without detailed monitoring)."
  type        = number
  default     = 3

  validation {
    condition     = var.evaluation_periods >= 1 && var.evaluation_periods <= 60 && floor(var.evaluation_periods) == var.evaluation_periods
    error_message = "evaluation_periods must be a whole number from 1 to 60."
  }
}

variable "instance_metrics_period" {
  description = "Seconds between the instances' EC2 data points (CPU alarm and graph): 60 with EC2 detailed monitoring, 300 without (an alarm on one-minute periods would see data in one of five and never fire)."
  type        = number
  default     = 60

  validation {
    condition     = contains([60, 300], var.instance_metrics_period)
    error_message = "instance_metrics_period must be 60 (detailed monitoring) or 300 (basic monitoring)."
  }
}

variable "tags" {
  description = "Tags added to every resource (merged with Name)."
  type        = map(string)
  default     = {}
}
