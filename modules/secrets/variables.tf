variable "name" {
  description = "Lowercase prefix of the secret names, e.g. \"clientnest-dev\" gives \"clientnest-dev/<key>\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the secrets (the \"secrets\" key of the kms module). May be unknown at plan time."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored: 0 deletes at once, otherwise 7-30."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30 && floor(var.recovery_window_in_days) == var.recovery_window_in_days)
    error_message = "The recovery_window_in_days must be 0 or a whole number from 7 to 30."
  }
}

variable "secrets" {
  description = "Secrets to declare, by key (the secret is named \"<name>/<key>\"). rotate switches rotation on with the Lambda function rotation_lambda_arn every rotation_days days; rotate must be a literal because it decides whether a rotation resource exists, while the ARN may be unknown at plan time."
  type = map(object({
    description         = string
    rotate              = optional(bool, false)
    rotation_lambda_arn = optional(string)
    rotation_days       = optional(number, 30)
  }))
  default = {}

  validation {
    condition     = alltrue([for key in keys(var.secrets) : can(regex("^[A-Za-z0-9_+=.@-]+(/[A-Za-z0-9_+=.@-]+)*$", key))])
    error_message = "The secrets keys may hold only letters, digits and _+=.@- (with / between parts)."
  }

  validation {
    condition     = alltrue([for s in values(var.secrets) : !s.rotate || s.rotation_lambda_arn != null])
    error_message = "Every secret with rotate = true needs a rotation_lambda_arn."
  }

  validation {
    condition     = alltrue([for s in values(var.secrets) : s.rotation_days >= 1 && s.rotation_days <= 1000 && floor(s.rotation_days) == s.rotation_days])
    error_message = "The rotation_days must be a whole number from 1 to 1000."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
