variable "name" {
  description = "Lowercase prefix of the bucket names, e.g. \"clientnest-dev\" gives \"clientnest-dev-assets\" and \"clientnest-dev-logs\"."
  type        = string

  validation {
    # 58 characters keep "<name>-logs" within S3's 63-character bucket name limit.
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,56}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-58 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key (the environment's \"data\" key) that encrypts the objects of the data buckets (SSE-KMS with an S3 bucket key). The log bucket uses SSE-S3."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "force_destroy" {
  description = "Whether destroying the module deletes the buckets even when they still hold objects (all versions). Meant for short-lived environments such as dev."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Days after which objects in the log bucket (S3 server access logs, ALB and CloudFront access logs) expire."
  type        = number
  default     = 365

  validation {
    condition     = var.log_retention_days >= 1 && floor(var.log_retention_days) == var.log_retention_days
    error_message = "The log_retention_days must be a whole number of at least 1."
  }
}

variable "buckets" {
  description = "Data buckets to create, keyed by a short lowercase name: the bucket is named \"<name>-<key>\". Per bucket: versioning (default true), lifecycle transitions to STANDARD_IA and GLACIER and expiry of current versions after N days (each optional), and expiry of noncurrent versions (default 90 days; null keeps them)."
  type = map(object({
    versioning                 = optional(bool, true)
    transition_to_ia_days      = optional(number)
    transition_to_glacier_days = optional(number)
    expiration_days            = optional(number)
    noncurrent_expiration_days = optional(number, 90)
  }))
  default = {}

  validation {
    condition     = alltrue([for k in keys(var.buckets) : can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", k)) && k != "logs"])
    error_message = "The bucket keys must be lowercase letters, digits and hyphens, starting and ending with a letter or digit, and must not be \"logs\" (the module creates \"<name>-logs\" itself)."
  }

  validation {
    # S3 refuses a transition to STANDARD_IA before 30 days.
    condition     = alltrue([for b in values(var.buckets) : b.transition_to_ia_days == null || try(b.transition_to_ia_days >= 30, false)])
    error_message = "The transition_to_ia_days must be at least 30."
  }

  validation {
    # S3 refuses a GLACIER transition less than 30 days after a STANDARD_IA one.
    condition = alltrue([for b in values(var.buckets) :
      b.transition_to_glacier_days == null || try(b.transition_to_glacier_days >= coalesce(b.transition_to_ia_days, -30) + 30 && b.transition_to_glacier_days >= 0, false)
    ])
    error_message = "The transition_to_glacier_days must be at least 0, and at least transition_to_ia_days + 30 when both are set."
  }

  validation {
    condition = alltrue([for b in values(var.buckets) :
      b.expiration_days == null || try(b.expiration_days > max(0, coalesce(b.transition_to_ia_days, 0), coalesce(b.transition_to_glacier_days, 0)), false)
    ])
    error_message = "The expiration_days must be at least 1 and greater than the transition days."
  }

  validation {
    condition     = alltrue([for b in values(var.buckets) : b.noncurrent_expiration_days == null || try(b.noncurrent_expiration_days >= 1, false)])
    error_message = "The noncurrent_expiration_days must be at least 1, or null."
  }
}

variable "replication" {
  description = "Cross-region replication, for disaster recovery: when set, every data bucket and the log bucket is replicated (deletes included) into a bucket of the aws.replica provider's region, \"<bucket>-<region>\", versioned, public access blocked, TLS-only, logged to \"<name>-logs-<region>\"; data replicas are encrypted with kms_key_arn (a key of that region) and stored as STANDARD_IA. null: no replication (pass the default provider as aws.replica)."
  type = object({
    kms_key_arn = string
  })
  default = null

  validation {
    condition     = var.replication == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", try(var.replication.kms_key_arn, "")))
    error_message = "The replication.kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>) of the replica region."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
