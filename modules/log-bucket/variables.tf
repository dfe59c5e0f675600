variable "name" {
  description = "Name of the bucket; globally unique, e.g. \"clientnest-prod-cloudtrail-111111111111\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name)) && !can(regex("\\.\\.|^\\d+\\.\\d+\\.\\d+\\.\\d+$", var.name))
    error_message = "The name must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no two adjacent dots, not an IP address."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key for the bucket's default encryption (SSE-KMS). Every service that writes into the bucket must be allowed to use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "policy_documents" {
  description = "IAM policy documents (JSON) whose statements are added to the bucket policy, e.g. what lets CloudTrail or AWS Config deliver. The module always adds a statement refusing requests without TLS."
  type        = list(string)
  default     = []
}

variable "transition_to_glacier_days" {
  description = "Days after which objects move to S3 Glacier Flexible Retrieval; null keeps them in S3 Standard."
  type        = number
  default     = 90

  validation {
    condition     = var.transition_to_glacier_days == null ? true : var.transition_to_glacier_days >= 1 && floor(var.transition_to_glacier_days) == var.transition_to_glacier_days
    error_message = "The transition_to_glacier_days must be null or a whole number of days, at least 1."
  }
}

variable "expiration_days" {
  description = "Days after which objects expire (are deleted; with versioning they become noncurrent first); null keeps them until they are deleted."
  type        = number
  default     = 2557

  validation {
    condition     = var.expiration_days == null ? true : var.expiration_days >= 1 && floor(var.expiration_days) == var.expiration_days
    error_message = "The expiration_days must be null or a whole number of days, at least 1."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days a deleted or overwritten object stays recoverable as a noncurrent version."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "The noncurrent_version_expiration_days must be a whole number of days, at least 1."
  }
}

variable "access_log_bucket" {
  description = "Name of an existing bucket that receives this bucket's S3 server access logs (under \"s3/<name>/\"); its policy must let logging.s3.amazonaws.com write there. null: no access logging."
  type        = string
  default     = null
}

variable "access_logging" {
  description = "Whether to log into access_log_bucket: a separate switch for callers whose log bucket name is unknown until apply (it waits for that bucket's policy). null: whenever access_log_bucket is set, which must then be known at plan time."
  type        = bool
  default     = null
}

variable "lambda_notifications" {
  description = "Lambda functions S3 invokes on object events of the bucket: function_arn (the function must already let s3.amazonaws.com invoke it for this bucket: pass the ARN through its aws_lambda_permission to order them), events such as \"s3:ObjectCreated:*\", and an optional filter_prefix. Empty: no notifications."
  type = list(object({
    function_arn  = string
    events        = list(string)
    filter_prefix = optional(string)
  }))
  default = []
}

variable "force_destroy" {
  description = "Whether destroying the module deletes the bucket even when it still holds objects (all versions). Keep false for audit logs; meant for throw-away accounts and tests."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
