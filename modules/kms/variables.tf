variable "name" {
  description = "Lowercase prefix for the key aliases, e.g. \"clientnest-dev\" gives \"alias/clientnest-dev-logs\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "keys" {
  description = "Keys to create, by purpose (\"logs\", \"data\", \"secrets\"...): description; services, the service principals (\"sns.amazonaws.com\") that use the key themselves on behalf of this account (kms:GenerateDataKey*, kms:Decrypt); cloudwatch_logs, whether CloudWatch Logs may encrypt this account's log groups in this region with it; via_services, services (\"secretsmanager\") through which any principal of this account may use it, as with an AWS managed key."
  type = map(object({
    description     = string
    services        = optional(list(string), [])
    cloudwatch_logs = optional(bool, false)
    via_services    = optional(list(string), [])
  }))

  validation {
    condition     = length(var.keys) > 0 && alltrue([for k in keys(var.keys) : can(regex("^[a-z][a-z0-9-]{0,23}$", k))])
    error_message = "The keys must name at least one purpose, each 1-24 lowercase letters, digits and hyphens, starting with a letter."
  }

  validation {
    condition     = alltrue(flatten([for k in values(var.keys) : [for s in k.services : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", s))]]))
    error_message = "Each of a key's services must be a service principal such as \"sns.amazonaws.com\"."
  }

  validation {
    condition     = alltrue(flatten([for k in values(var.keys) : [for s in k.via_services : can(regex("^[a-z0-9-]+$", s))]]))
    error_message = "Each of a key's via_services must be a service name such as \"secretsmanager\"."
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
