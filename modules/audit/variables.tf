variable "name" {
  description = "Lowercase prefix for resource names, e.g. \"clientnest-prod\" gives the trail \"clientnest-prod-cloudtrail\" and the log group \"/clientnest-prod/cloudtrail\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "alerts_topic_arn" {
  description = "ARN of the SNS topic the CIS alarms notify (the account-alerts module's topic_arn). If the topic is encrypted, its key policy must let cloudwatch.amazonaws.com use the key."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alerts_topic_arn))
    error_message = "The alerts_topic_arn must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>)."
  }
}

variable "bucket_name" {
  description = "Name of the bucket the trail delivers to; null gives \"<name>-cloudtrail-<account id>\"."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days the trail's CloudWatch Logs log group keeps events (the copy the CIS metric filters read; the bucket keeps the log files for log_expiration_days). One of the values CloudWatch Logs accepts."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_transition_to_glacier_days" {
  description = "Days after which log files in the bucket move to S3 Glacier Flexible Retrieval; null keeps them in S3 Standard."
  type        = number
  default     = 90
}

variable "log_expiration_days" {
  description = "Days after which log files in the bucket expire; the default keeps them seven years."
  type        = number
  default     = 2557
}

variable "log_noncurrent_version_expiration_days" {
  description = "Days a deleted or overwritten log file stays recoverable as a noncurrent version."
  type        = number
  default     = 365
}

variable "access_log_bucket" {
  description = "Name of an existing bucket that receives the trail bucket's S3 server access logs (CIS 3.6); its policy must let logging.s3.amazonaws.com write under \"s3/<bucket name>/\". null: no access logging."
  type        = string
  default     = null
}

variable "s3_data_events" {
  description = "S3 object-level events the trail records for all buckets but its own: \"none\", \"write\" (CIS 3.8: PutObject, DeleteObject...) or \"all\" (also reads, CIS 3.9). Data events are charged per event."
  type        = string
  default     = "write"

  validation {
    condition     = contains(["none", "write", "all"], var.s3_data_events)
    error_message = "The s3_data_events must be \"none\", \"write\" or \"all\"."
  }
}

variable "cis_alarms" {
  description = "CIS monitoring alarms to create, each a metric filter on the trail's log group and an alarm to alerts_topic_arn on the first matching event. All of them by default."
  type        = list(string)
  default = [
    "unauthorized-api-calls",
    "console-signin-without-mfa",
    "root-account-usage",
    "iam-policy-changes",
    "cloudtrail-config-changes",
    "console-auth-failures",
    "kms-key-disable-or-deletion",
    "s3-bucket-policy-changes",
    "config-changes",
    "security-group-changes",
    "nacl-changes",
    "network-gateway-changes",
    "route-table-changes",
    "vpc-changes",
    "organizations-changes",
  ]

  validation {
    condition = alltrue([for a in var.cis_alarms : contains([
      "unauthorized-api-calls", "console-signin-without-mfa", "root-account-usage", "iam-policy-changes",
      "cloudtrail-config-changes", "console-auth-failures", "kms-key-disable-or-deletion",
      "s3-bucket-policy-changes", "config-changes", "security-group-changes", "nacl-changes",
      "network-gateway-changes", "route-table-changes", "vpc-changes", "organizations-changes",
    ], a)]) && length(distinct(var.cis_alarms)) == length(var.cis_alarms)
    error_message = "The cis_alarms must be distinct names from the default list (see the README)."
  }
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the CIS metrics."
  type        = string
  default     = "CISBenchmark"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metric_namespace)) && !startswith(var.metric_namespace, "AWS/")
    error_message = "The metric_namespace must be 1-255 characters of letters, digits and . _ / # : -, and must not start with \"AWS/\"."
  }
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
  description = "Whether destroying the module deletes the bucket even when it holds log files. Keep false: audit logs should outlive the trail. Meant for throw-away accounts and tests."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
