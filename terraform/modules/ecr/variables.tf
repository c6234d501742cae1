variable "repository_names" {
  description = "Names of the repositories to create, e.g. [\"relay/app1\", \"relay/app2\"]."
  type        = list(string)

  validation {
    condition = length(var.repository_names) > 0 && alltrue([
      for n in var.repository_names : length(n) >= 2 && length(n) <= 256 && can(regex("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$", n))
    ])
    error_message = "repository_names must hold 1 or more ECR names: lowercase letters and digits, separated by ., _, - or /, 2-256 characters."
  }

  validation {
    condition     = length(distinct(var.repository_names)) == length(var.repository_names)
    error_message = "repository_names must not repeat a name."
  }
}

variable "kms_key_arn" {
  description = "KMS key to encrypt the images with. Null: AES256 (S3-managed keys, no extra cost)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:...)."
  }
}

variable "keep_last_images" {
  description = "How many tagged images each repository keeps; older ones are expired with their per-platform images. Every push to main adds one (an image index tagged with the commit SHA), and expiry cannot tell which tags a stage still runs, so keep enough that the oldest image any stage may run or roll back to stays inside the window."
  type        = number
  default     = 300

  validation {
    condition     = var.keep_last_images >= 1 && var.keep_last_images <= 10000 && floor(var.keep_last_images) == var.keep_last_images
    error_message = "keep_last_images must be a whole number from 1 to 10000."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images are expired: leftovers of failed pushes, and the per-platform images of an expired image index (never those of an index that is kept)."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_expiry_days >= 1 && floor(var.untagged_expiry_days) == var.untagged_expiry_days
    error_message = "untagged_expiry_days must be a whole number of at least 1."
  }
}

variable "force_delete" {
  description = "Let terraform destroy delete repositories that still hold images."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource (merged with Name)."
  type        = map(string)
  default     = {}
}
