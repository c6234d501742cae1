variable "aws_region" {
  description = "AWS region of the stage: envs/global's, where the state bucket and the ECR repositories are. The AWS provider refuses a region it does not know."
  type        = string
}

variable "github_repository" {
  description = "GitHub repository (owner/name) of this code, recorded in the Repository tag of every resource."
  type        = string
}

variable "domain_name" {
  description = "Domain of the stage's public API in one of the account's public Route 53 zones, e.g. api.example.com: HTTPS with a certificate requested for it (checked by modules/stack). Null: no domain."
  type        = string
  default     = null
}

variable "hosted_zone_id" {
  description = "ID of the public Route 53 hosted zone domain_name is in (aws route53 list-hosted-zones-by-name --dns-name <zone>)."
  type        = string
  default     = null
}

variable "certificate_arn" {
  description = "Existing ACM certificate in aws_region for HTTPS, instead of domain_name. Null: none."
  type        = string
  default     = null
}

variable "alarm_email" {
  description = "E-mail address that receives the stage's alarms once it confirms the subscription mail from AWS Notifications. Null: the alarms notify nobody (plans warn)."
  type        = string
  default     = null
}

variable "app1_image_tag" {
  description = "Image of relay/app1 to create the stage with: the full git commit SHA CI tagged it with, or a sha256 digest (checked by modules/service); TF_VAR_app1_image_tag. Later plans need none: make release ships versions."
  type        = string
  default     = null
}

variable "app2_image_tag" {
  description = "Image of relay/app2 to create the stage with: the full git commit SHA CI tagged it with, or a sha256 digest (checked by modules/service); TF_VAR_app2_image_tag. Later plans need none: make release ships versions."
  type        = string
  default     = null
}
