variable "name" {
  description = "Lowercase prefix for resource names, e.g. \"clientnest-dev\"; the web ACL is named \"<name>-<scope in lower case>\"."
  type        = string

  validation {
    # 100 characters leave room for "-cloudfront" within the web ACL's 128-character name limit.
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-100 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "scope" {
  description = "Where the web ACL is used: \"REGIONAL\" (ALB, API Gateway) or \"CLOUDFRONT\". A CLOUDFRONT web ACL must be created in us-east-1: pass a us-east-1 provider to the module."
  type        = string
  default     = "REGIONAL"

  validation {
    condition     = contains(["REGIONAL", "CLOUDFRONT"], var.scope)
    error_message = "The scope must be \"REGIONAL\" or \"CLOUDFRONT\"."
  }
}

variable "managed_rule_groups" {
  description = "Names of the AWS managed rule groups to apply, in evaluation order, each as its own rule with the group's own actions (no override)."
  type        = list(string)
  default = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesSQLiRuleSet",
  ]

  validation {
    condition     = length(distinct(var.managed_rule_groups)) == length(var.managed_rule_groups) && alltrue([for g in var.managed_rule_groups : can(regex("^AWSManagedRules[A-Za-z0-9]+$", g))])
    error_message = "The managed_rule_groups must be distinct AWS managed rule group names, e.g. \"AWSManagedRulesCommonRuleSet\"."
  }
}

variable "rate_limit" {
  description = "Requests one client IP may send in any 5-minute window before further requests are blocked."
  type        = number
  default     = 2000

  validation {
    condition     = var.rate_limit >= 10 && var.rate_limit <= 2000000000 && floor(var.rate_limit) == var.rate_limit
    error_message = "The rate_limit must be a whole number from 10 to 2000000000."
  }
}

variable "log_retention_days" {
  description = "Retention of the WAF log group in days; one of the values CloudWatch Logs accepts (0 keeps logs forever)."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of the KMS key encrypting the WAF log group. It must be in the web ACL's region (us-east-1 for CLOUDFRONT) and its policy must let CloudWatch Logs use it for this log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "The log_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
