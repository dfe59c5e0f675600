variable "name" {
  description = "Lowercase prefix for the topic and key alias, e.g. \"clientnest-prod\" gives the topic \"clientnest-prod-alerts\" and the alias \"alias/clientnest-prod-alerts\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "emails" {
  description = "Email addresses subscribed to the alerts topic; each must confirm its subscription from the message AWS sends."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "Each emails entry must be an email address."
  }
}

variable "deletion_window_in_days" {
  description = "Days the topic's KMS key waits, disabled, before it is deleted after a destroy (7-30); a deletion can be cancelled within this window."
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
