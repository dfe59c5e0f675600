variable "name" {
  description = "Lowercase prefix for the key aliases, e.g. \"clientnest-dev\" gives \"alias/clientnest-dev-logs\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "purposes" {
  description = "Keys to create, one per purpose: \"logs\" (CloudWatch Logs log groups), \"data\" (SNS topics and SQS queues) and \"secrets\" (Secrets Manager)."
  type        = list(string)
  default     = ["logs", "data", "secrets"]

  validation {
    condition     = length(var.purposes) > 0 && alltrue([for p in var.purposes : contains(["logs", "data", "secrets"], p)])
    error_message = "The purposes must be a non-empty list of \"logs\", \"data\" and \"secrets\"."
  }

  validation {
    condition     = length(distinct(var.purposes)) == length(var.purposes)
    error_message = "The purposes must not repeat a purpose."
  }
}

variable "deletion_window_in_days" {
  description = "Days a key waits, disabled, before it is deleted after a destroy (7-30); a deletion can be cancelled within this window."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "The deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
