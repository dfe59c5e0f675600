variable "name" {
  description = "Lowercase prefix for resource names, e.g. \"clientnest-prod\" gives the roles \"clientnest-prod-admin\" and \"clientnest-prod-readonly\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "account_alias" {
  description = "The account's alias, shown in the sign-in URL (https://<alias>.signin.aws.amazon.com/console); globally unique."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])$", var.account_alias)) && !can(regex("--", var.account_alias))
    error_message = "The account_alias must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit."
  }
}

variable "password_policy" {
  description = "The account password policy: minimum length and maximum age. Every character class is always required, the last 24 passwords (the most AWS allows) cannot be reused, and users may change their own password."
  type = object({
    minimum_length = optional(number, 14)
    max_age_days   = optional(number, 90)
  })
  default = {}

  validation {
    condition     = var.password_policy.minimum_length >= 14 && var.password_policy.minimum_length <= 128
    error_message = "The password_policy.minimum_length must be from 14 (CIS 1.8) to 128."
  }

  validation {
    condition     = var.password_policy.max_age_days >= 1 && var.password_policy.max_age_days <= 90
    error_message = "The password_policy.max_age_days must be from 1 to 90."
  }
}

variable "admin_principal_arns" {
  description = "IAM principals that may assume the admin role, with MFA: an identity account's root (\"arn:aws:iam::<account>:root\", delegating to its IAM policies) or specific roles there."
  type        = list(string)

  validation {
    condition     = length(var.admin_principal_arns) > 0 && alltrue([for p in var.admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", p))])
    error_message = "The admin_principal_arns must be a non-empty list of account root, role or user ARNs (arn:<partition>:iam::<account>:root, :role/<name> or :user/<name>)."
  }
}

variable "readonly_principal_arns" {
  description = "IAM principals that may assume the read-only role: an identity account's root or specific users or roles there."
  type        = list(string)

  validation {
    condition     = length(var.readonly_principal_arns) > 0 && alltrue([for p in var.readonly_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", p))])
    error_message = "The readonly_principal_arns must be a non-empty list of account root, role or user ARNs (arn:<partition>:iam::<account>:root, :role/<name> or :user/<name>)."
  }
}

variable "readonly_require_mfa" {
  description = "Whether assuming the read-only role requires MFA too (the admin role always does)."
  type        = bool
  default     = true
}

variable "readonly_policy_name" {
  description = "AWS managed policy of the read-only role: \"ReadOnlyAccess\" (reads configuration and data) or \"ViewOnlyAccess\" (lists and describes, reads no data)."
  type        = string
  default     = "ReadOnlyAccess"

  validation {
    condition     = contains(["ReadOnlyAccess", "ViewOnlyAccess"], var.readonly_policy_name)
    error_message = "The readonly_policy_name must be \"ReadOnlyAccess\" or \"ViewOnlyAccess\"."
  }
}

variable "admin_max_session_duration" {
  description = "Longest session of the admin role, in seconds (3600-43200)."
  type        = number
  default     = 3600

  validation {
    condition     = var.admin_max_session_duration >= 3600 && var.admin_max_session_duration <= 43200
    error_message = "The admin_max_session_duration must be from 3600 to 43200 seconds."
  }
}

variable "readonly_max_session_duration" {
  description = "Longest session of the read-only role, in seconds (3600-43200)."
  type        = number
  default     = 14400

  validation {
    condition     = var.readonly_max_session_duration >= 3600 && var.readonly_max_session_duration <= 43200
    error_message = "The readonly_max_session_duration must be from 3600 to 43200 seconds."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
