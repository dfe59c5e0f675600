variable "name" {
  description = "Lowercase prefix of the resource names, e.g. \"clientnest-prod\": the vaults and the plan take it as their name, the role \"<name>-backup\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key (the environment's \"data\" key) that encrypts the vault's recovery points."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "rules" {
  description = "Backup rules, keyed by name (\"daily\", \"monthly\"): schedule (a cron() expression, UTC), retention_days, cold_storage_after_days (optional; retention must then be at least 90 days longer), start_window_minutes and completion_window_minutes, continuous (point-in-time recovery for the services that support it, at most 35 days), copy (whether recovery points are also copied to the DR vault, when copy is set)."
  type = map(object({
    schedule                  = string
    retention_days            = number
    cold_storage_after_days   = optional(number)
    start_window_minutes      = optional(number, 60)
    completion_window_minutes = optional(number, 360)
    continuous                = optional(bool, false)
    copy                      = optional(bool, true)
  }))

  validation {
    condition     = length(var.rules) > 0 && alltrue([for k, r in var.rules : can(regex("^[A-Za-z0-9_.-]{1,50}$", k)) && can(regex("^cron\\(.+\\)$", r.schedule)) && r.retention_days >= 1])
    error_message = "Give at least one rule; names are 1-50 letters, digits, _ . -; each needs a cron() schedule and retention_days of at least 1."
  }

  validation {
    condition     = alltrue([for r in values(var.rules) : r.cold_storage_after_days == null || try(r.retention_days >= r.cold_storage_after_days + 90, false)])
    error_message = "A rule with cold_storage_after_days must keep recovery points at least 90 days longer (cold storage's minimum)."
  }

  validation {
    condition     = alltrue([for r in values(var.rules) : !r.continuous || r.retention_days <= 35])
    error_message = "Continuous backups are kept at most 35 days."
  }
}

variable "resource_types" {
  description = "Resource types the selection covers, among \"RDS\", \"DynamoDB\", \"EBS\" and \"S3\" (S3 buckets need versioning). A resource must also carry every selection tag."
  type        = list(string)
  default     = ["RDS", "DynamoDB", "EBS", "S3"]

  validation {
    condition     = length(var.resource_types) > 0 && alltrue([for t in var.resource_types : contains(["RDS", "DynamoDB", "EBS", "S3"], t)])
    error_message = "The resource_types must be among \"RDS\", \"DynamoDB\", \"EBS\" and \"S3\"."
  }
}

variable "selection_tags" {
  description = "Tags (key => value) a resource must all carry to be backed up, e.g. {Backup = \"true\"}; empty selects every resource of resource_types in the region."
  type        = map(string)
  default     = {}
}

variable "not_resources" {
  description = "ARNs (wildcards allowed) left out of the selection, e.g. log buckets."
  type        = list(string)
  default     = []
}

variable "vault_lock" {
  description = "Vault Lock on the vaults: recovery points must be kept min_retention_days to max_retention_days; after changeable_for_days (at least 3) the lock is in compliance mode and can no longer be changed or removed by anyone. null: no lock."
  type = object({
    min_retention_days  = number
    max_retention_days  = number
    changeable_for_days = number
  })
  default = null

  validation {
    condition     = var.vault_lock == null || try(var.vault_lock.min_retention_days >= 1 && var.vault_lock.min_retention_days <= var.vault_lock.max_retention_days && var.vault_lock.max_retention_days <= 36500 && var.vault_lock.changeable_for_days >= 3, false)
    error_message = "The vault_lock needs 1 <= min_retention_days <= max_retention_days <= 36500 and changeable_for_days of at least 3 (compliance mode)."
  }
}

variable "copy" {
  description = "Copies to a vault of the same name in the aws.dr provider's region (disaster recovery), encrypted with kms_key_arn, a key of that region; each rule's recovery points are copied there (unless its copy is false) and kept as long. null: no copies (pass the default provider as aws.dr)."
  type = object({
    kms_key_arn = string
  })
  default = null

  validation {
    condition     = var.copy == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", try(var.copy.kms_key_arn, "")))
    error_message = "The copy.kms_key_arn must be a KMS key ARN of the DR region."
  }
}

variable "restore_testing" {
  description = "Restore testing: on schedule (a cron() expression), AWS Backup restores the latest snapshot of each selected resource type (those with the selection tags) from the last selection_window_days, gives validation_window_hours to check it, then deletes it. null: none."
  type = object({
    schedule                = string
    resource_types          = optional(list(string), ["RDS", "S3"])
    selection_window_days   = optional(number, 7)
    validation_window_hours = optional(number, 4)
  })
  default = null

  validation {
    condition     = var.restore_testing == null || try(can(regex("^cron\\(.+\\)$", var.restore_testing.schedule)) && alltrue([for t in var.restore_testing.resource_types : contains(["RDS", "DynamoDB", "EBS", "S3"], t)]) && var.restore_testing.selection_window_days >= 1 && var.restore_testing.selection_window_days <= 365 && var.restore_testing.validation_window_hours >= 1 && var.restore_testing.validation_window_hours <= 168, false)
    error_message = "The restore_testing needs a cron() schedule, resource_types among RDS, DynamoDB, EBS and S3, selection_window_days of 1-365 and validation_window_hours of 1-168."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
