variable "name" {
  description = "Lowercase prefix for the EventBridge rule names, e.g. \"clientnest-prod\" gives \"clientnest-prod-guardduty-findings\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "alerts_topic_arn" {
  description = "ARN of the SNS topic findings are sent to (the account-alerts module's topic_arn). Its policy, and its key's policy if encrypted, must let events.amazonaws.com publish."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alerts_topic_arn))
    error_message = "The alerts_topic_arn must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>)."
  }
}

variable "finding_publishing_frequency" {
  description = "How often GuardDuty publishes updates of existing findings to EventBridge (new findings are published within minutes regardless)."
  type        = string
  default     = "FIFTEEN_MINUTES"

  validation {
    condition     = contains(["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"], var.finding_publishing_frequency)
    error_message = "The finding_publishing_frequency must be FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS."
  }
}

variable "ec2_runtime_agent_management" {
  description = "Whether GuardDuty Runtime Monitoring also manages its agent on EC2 instances (ECS Fargate agent management is always on)."
  type        = bool
  default     = false
}

variable "additional_guardduty_features" {
  description = "Further GuardDuty protection plans to enable, besides S3 protection, EBS malware protection and Runtime Monitoring: \"RDS_LOGIN_EVENTS\", \"LAMBDA_NETWORK_LOGS\", \"EKS_AUDIT_LOGS\"."
  type        = list(string)
  default     = ["RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS"]

  validation {
    condition     = alltrue([for f in var.additional_guardduty_features : contains(["RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS", "EKS_AUDIT_LOGS"], f)]) && length(distinct(var.additional_guardduty_features)) == length(var.additional_guardduty_features)
    error_message = "The additional_guardduty_features must be distinct values of \"RDS_LOGIN_EVENTS\", \"LAMBDA_NETWORK_LOGS\" and \"EKS_AUDIT_LOGS\"."
  }
}

variable "securityhub_standards" {
  description = "Security Hub standards to subscribe to: \"cis-v3\" (CIS AWS Foundations Benchmark v3.0.0) and \"aws-fsbp-v1\" (AWS Foundational Security Best Practices v1.0.0)."
  type        = list(string)
  default     = ["cis-v3", "aws-fsbp-v1"]

  validation {
    condition     = alltrue([for s in var.securityhub_standards : contains(["cis-v3", "aws-fsbp-v1"], s)])
    error_message = "The securityhub_standards must be values of \"cis-v3\" and \"aws-fsbp-v1\"."
  }
}

variable "min_finding_severity" {
  description = "Lowest severity of GuardDuty and Security Hub findings sent to the alerts topic: LOW, MEDIUM, HIGH or CRITICAL."
  type        = string
  default     = "MEDIUM"

  validation {
    condition     = contains(["LOW", "MEDIUM", "HIGH", "CRITICAL"], var.min_finding_severity)
    error_message = "The min_finding_severity must be LOW, MEDIUM, HIGH or CRITICAL."
  }
}

variable "forward_securityhub_findings" {
  description = "Whether new Security Hub findings (failed controls of the standards, Inspector, Access Analyzer...) are sent to the alerts topic too, besides GuardDuty's."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
