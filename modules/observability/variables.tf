variable "name" {
  description = "Lowercase prefix for resource names (alerts topic, alarms, dashboard), e.g. \"clientnest-dev\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key (the \"data\" key) that encrypts the alerts SNS topic. Its key policy must let cloudwatch.amazonaws.com use it (kms:GenerateDataKey*, kms:Decrypt), or alarms cannot publish."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of the KMS key (the \"logs\" key) that encrypts the log groups in log_groups. Its key policy must let CloudWatch Logs use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "The log_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_retention_days" {
  description = "Retention of the log groups in log_groups in days; one of the values CloudWatch Logs accepts (0 keeps logs forever)."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_groups" {
  description = "Names of extra application log groups to create, e.g. \"/clientnest/dev/app\"."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for g in var.log_groups : can(regex("^[A-Za-z0-9_./#-]{1,512}$", g)) && !startswith(g, "aws/")])
    error_message = "Each log_groups entry must be 1-512 characters of letters, digits, '_', '-', '.', '/' and '#', and must not start with \"aws/\"."
  }
}

variable "alert_emails" {
  description = "Email addresses subscribed to the alerts topic; each must confirm its subscription."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "Each alert_emails entry must be an email address."
  }
}

variable "alarms" {
  description = "Alarms to create, keyed by the alarm name's suffix (\"<name>-<key>\"); each notifies the alerts topic on ALARM and on OK. Either one metric (namespace, metric_name, dimensions, and statistic or extended_statistic) or metric math (metrics by id, and an expression over them). notify = false for an alarm that only feeds composite_alarms (a burn-rate window, say): it then notifies nobody itself. Keys must be known at plan time; values (dimensions) need not be."
  type = map(object({
    description         = string
    threshold           = number
    comparison_operator = optional(string, "GreaterThanThreshold")
    evaluation_periods  = optional(number, 3)
    datapoints_to_alarm = optional(number)
    period              = optional(number, 300)
    treat_missing_data  = optional(string, "missing")
    namespace           = optional(string)
    metric_name         = optional(string)
    dimensions          = optional(map(string), {})
    statistic           = optional(string)
    extended_statistic  = optional(string)
    expression          = optional(string)
    metrics = optional(map(object({
      namespace   = string
      metric_name = string
      stat        = string
      dimensions  = optional(map(string), {})
      period      = optional(number, 300)
    })), {})
    notify = optional(bool, true)
  }))
  default = {}

  validation {
    condition     = alltrue([for a in values(var.alarms) : a.expression != null ? length(a.metrics) > 0 : a.namespace != null && a.metric_name != null])
    error_message = "Each alarm needs either namespace and metric_name, or an expression with its metrics."
  }

  validation {
    condition     = alltrue([for a in values(var.alarms) : contains(["GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"], a.comparison_operator)])
    error_message = "Each alarm's comparison_operator must be GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold or LessThanOrEqualToThreshold."
  }

  validation {
    condition     = alltrue([for a in values(var.alarms) : contains(["missing", "notBreaching", "breaching", "ignore"], a.treat_missing_data)])
    error_message = "Each alarm's treat_missing_data must be missing, notBreaching, breaching or ignore."
  }
}

variable "composite_alarms" {
  description = "Composite alarms, keyed by the alarm name's suffix: description, and rule, an alarm rule over the full names of alarms of this module (ALARM(\"<name>-<key>\") OR ...)."
  type = map(object({
    description = string
    rule        = string
  }))
  default = {}
}

variable "graphs" {
  description = "Dashboard graphs, in order: title, stat (\"Average\", \"Sum\", \"p95\"...), and rows, each a CloudWatch metric array (namespace, metric name, then dimension name and value pairs; values may be unknown at plan time) with a label, or a metric math expression with a label. A metric row that only feeds expressions has an id, its own stat and visible = false."
  type = list(object({
    title = string
    stat  = string
    rows = list(object({
      metric     = optional(list(string), [])
      label      = optional(string)
      id         = optional(string)
      stat       = optional(string)
      visible    = optional(bool, true)
      expression = optional(string)
    }))
  }))
  default = []
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
