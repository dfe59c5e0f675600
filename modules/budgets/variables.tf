variable "name" {
  description = "Lowercase prefix for budget, monitor and subscription names, e.g. \"clientnest-prod\" gives the budget \"clientnest-prod-monthly\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "monthly_limit_usd" {
  description = "Monthly cost budget of the whole account, in USD."
  type        = number

  validation {
    condition     = var.monthly_limit_usd > 0
    error_message = "The monthly_limit_usd must be greater than 0."
  }
}

variable "environment_budgets" {
  description = "Monthly cost budgets in USD per environment, keyed by the value of the cost allocation tag (e.g. { dev = 300, staging = 500 }). Empty: no per-environment budgets."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for env, limit in var.environment_budgets : limit > 0 && can(regex("^[A-Za-z0-9_.:/=+@-]{1,64}$", env))])
    error_message = "Each environment_budgets entry must have a limit greater than 0 and a key of 1-64 tag value characters."
  }
}

variable "cost_allocation_tag" {
  description = "Tag whose value names the environment of a resource (activated as a user-defined cost allocation tag); the per-environment budgets filter on it."
  type        = string
  default     = "Environment"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.:/=+@ -]{1,128}$", var.cost_allocation_tag)) && !startswith(var.cost_allocation_tag, "aws:")
    error_message = "The cost_allocation_tag must be a tag key of 1-128 characters not starting with \"aws:\"."
  }
}

variable "forecast_threshold_percent" {
  description = "Percentage of a budget that a FORECASTED cost above it triggers a notification."
  type        = number
  default     = 80

  validation {
    condition     = var.forecast_threshold_percent > 0 && var.forecast_threshold_percent <= 1000
    error_message = "The forecast_threshold_percent must be greater than 0 and at most 1000."
  }
}

variable "actual_threshold_percent" {
  description = "Percentage of a budget that an ACTUAL cost above it triggers a notification."
  type        = number
  default     = 100

  validation {
    condition     = var.actual_threshold_percent > 0 && var.actual_threshold_percent <= 1000
    error_message = "The actual_threshold_percent must be greater than 0 and at most 1000."
  }
}

variable "alerts_topic_arn" {
  description = "ARN of the SNS topic budget notifications and cost anomalies are sent to (the account-alerts module's topic_arn). Its policy, and its key's policy if encrypted, must let budgets.amazonaws.com and costalerts.amazonaws.com publish."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alerts_topic_arn))
    error_message = "The alerts_topic_arn must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>)."
  }
}

variable "emails" {
  description = "Email addresses notified directly by the budgets (at most 10) and sent a daily summary of cost anomalies."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.emails) <= 10 && alltrue([for e in var.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "The emails must be at most 10 email addresses (a budget notification has at most 10 email subscribers)."
  }
}

variable "anomaly_threshold_usd" {
  description = "Smallest total cost impact of an anomaly, in USD, that is reported."
  type        = number
  default     = 50

  validation {
    condition     = var.anomaly_threshold_usd >= 0
    error_message = "The anomaly_threshold_usd must not be negative."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
