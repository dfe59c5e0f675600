variable "name" {
  description = "Lowercase prefix for resource names, e.g. \"clientnest-prod\" gives the recorder \"clientnest-prod-recorder\" and the bucket \"clientnest-prod-config-<account id>\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "is_home_region" {
  description = "Whether this is the account's home region: only there does the recorder record global resources (IAM users, roles, policies) and do the account-wide rules (root user, password policy, access keys, account public access block) run, so that they are not evaluated once per region."
  type        = bool
  default     = true
}

variable "bucket_name" {
  description = "Name of an existing bucket to deliver to (e.g. the home region's Config bucket, for another region); its policy or this account's ownership must let the recorder's role write. null: the module creates a hardened bucket \"<name>-config-<account id>\" and a KMS key for it."
  type        = string
  default     = null
}

variable "bucket_kms_key_arn" {
  description = "ARN of the KMS key Config encrypts deliveries with when bucket_name is given (the role is allowed to use it). Ignored when the module creates the bucket: it uses its own key."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.bucket_kms_key_arn))
    error_message = "The bucket_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "bucket_key_prefix" {
  description = "Prefix (without a trailing slash) under which Config writes in the bucket; null writes at the top (AWSLogs/<account>/Config/...)."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_key_prefix == null ? true : can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", var.bucket_key_prefix)) && !startswith(coalesce(var.bucket_key_prefix, "x"), "AWSLogs")
    error_message = "The bucket_key_prefix must be S3 key characters without leading or trailing slashes, and must not start with \"AWSLogs\"."
  }
}

variable "bucket_transition_to_glacier_days" {
  description = "Days after which snapshots and history in the module's bucket move to S3 Glacier Flexible Retrieval; null keeps them in S3 Standard."
  type        = number
  default     = 90
}

variable "bucket_expiration_days" {
  description = "Days after which snapshots and history in the module's bucket expire; the default keeps them seven years."
  type        = number
  default     = 2557
}

variable "bucket_noncurrent_version_expiration_days" {
  description = "Days a deleted or overwritten object in the module's bucket stays recoverable as a noncurrent version."
  type        = number
  default     = 365
}

variable "access_log_bucket" {
  description = "Name of an existing bucket that receives the module bucket's S3 server access logs; its policy must let logging.s3.amazonaws.com write under \"s3/<bucket name>/\". null: no access logging."
  type        = string
  default     = null
}

variable "snapshot_delivery_frequency" {
  description = "How often Config delivers a configuration snapshot to the bucket."
  type        = string
  default     = "TwentyFour_Hours"

  validation {
    condition     = contains(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], var.snapshot_delivery_frequency)
    error_message = "The snapshot_delivery_frequency must be One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours."
  }
}

variable "password_policy" {
  description = "The password policy the iam-password-policy rule expects (every character class, 24 passwords remembered); keep it equal to the identity module's password_policy."
  type = object({
    minimum_length = optional(number, 14)
    max_age_days   = optional(number, 90)
  })
  default = {}

  validation {
    condition     = var.password_policy.minimum_length >= 14 && var.password_policy.minimum_length <= 128 && var.password_policy.max_age_days >= 1 && var.password_policy.max_age_days <= 90
    error_message = "The password_policy must have minimum_length 14-128 (CIS 1.8) and max_age_days 1-90."
  }
}

variable "access_key_max_age_days" {
  description = "Age in days after which an active access key is non-compliant (access-keys-rotated)."
  type        = number
  default     = 90

  validation {
    condition     = var.access_key_max_age_days >= 1 && var.access_key_max_age_days <= 90
    error_message = "The access_key_max_age_days must be from 1 to 90 (CIS 1.14)."
  }
}

variable "unused_credentials_max_age_days" {
  description = "Days without use after which an IAM user's password or access key is non-compliant (iam-user-unused-credentials-check)."
  type        = number
  default     = 45

  validation {
    condition     = var.unused_credentials_max_age_days >= 1 && var.unused_credentials_max_age_days <= 45
    error_message = "The unused_credentials_max_age_days must be from 1 to 45 (CIS 1.12)."
  }
}

variable "excluded_rules" {
  description = "Names of rules of the module's set not to create (see the README), e.g. when Security Hub's CIS standard already evaluates the same control."
  type        = list(string)
  default     = []
}

variable "deletion_window_in_days" {
  description = "Days the module's KMS key waits, disabled, before it is deleted after a destroy (7-30); a deletion can be cancelled within this window."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "The deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "force_destroy" {
  description = "Whether destroying the module deletes its bucket even when it holds snapshots. Meant for throw-away accounts and tests."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
