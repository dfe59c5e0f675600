variable "name" {
  description = "Lowercase prefix for resource names, e.g. \"clientnest-dev\" gives the origin bucket \"clientnest-dev-web\"."
  type        = string

  validation {
    # 59 characters keep "<name>-web" within S3's 63-character bucket name limit.
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,57}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-59 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "domain_name" {
  description = "Domain the site is served on, e.g. \"app.dev.clientnest.app\": the distribution's alias, the name on its certificate and the name of its DNS records."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name)) && length(var.domain_name) <= 253
    error_message = "The domain_name must be a lowercase domain name such as \"app.dev.clientnest.app\", without a trailing dot."
  }
}

variable "zone_id" {
  description = "ID of the public Route 53 hosted zone that holds domain_name (the dns module's zone_id): the certificate validation record and the alias records go there."
  type        = string

  validation {
    condition     = length(trimspace(var.zone_id)) > 0
    error_message = "The zone_id must not be empty."
  }
}

variable "kms_key_arn" {
  description = "ARN of a KMS key to encrypt the origin bucket with (SSE-KMS). When null (the default) the bucket uses SSE-S3. A KMS key only works if its key policy lets cloudfront.amazonaws.com use kms:Decrypt for this distribution (see the README); the module cannot edit the key policy."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be null or a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "web_acl_arn" {
  description = "ARN of the WAFv2 web ACL (scope CLOUDFRONT, created in us-east-1) that protects the distribution; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global/webacl/.+$", var.web_acl_arn))
    error_message = "The web_acl_arn must be null or the ARN of a CLOUDFRONT-scope WAFv2 web ACL (arn:<partition>:wafv2:us-east-1:<account>:global/webacl/...)."
  }
}

variable "log_bucket_domain_name" {
  description = "Domain name (\"<bucket>.s3.amazonaws.com\") of the log bucket that receives the CloudFront access logs under \"cloudfront/\" (the storage module's log_bucket_domain_name). Its policy must let delivery.logs.amazonaws.com write there."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\\.s3(\\.[a-z0-9-]+)?\\.amazonaws\\.com$", var.log_bucket_domain_name))
    error_message = "The log_bucket_domain_name must be an S3 bucket domain name such as \"clientnest-dev-logs.s3.amazonaws.com\"."
  }
}

variable "price_class" {
  description = "CloudFront price class: which edge locations serve the site (\"PriceClass_100\": North America and Europe)."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "The price_class must be one of \"PriceClass_100\", \"PriceClass_200\" or \"PriceClass_All\"."
  }
}

variable "force_destroy" {
  description = "Whether destroying the module deletes the origin bucket even when it still holds objects (all versions). Meant for short-lived environments such as dev."
  type        = bool
  default     = false
}

variable "default_root_object" {
  description = "Object returned for requests to the root URL; also the page served, with status 200, for 403 and 404 errors so a single-page application can route client-side."
  type        = string
  default     = "index.html"

  validation {
    condition     = can(regex("^[^/].*$", var.default_root_object))
    error_message = "The default_root_object must be an object key without a leading slash, e.g. \"index.html\"."
  }
}

variable "github_deploy" {
  description = "When set, a deploy role (role_name) for the frontend team's GitHub Actions pipeline: sync the site bucket and invalidate the distribution, trusted through the account's GitHub OIDC provider (oidc_provider_arn) for the token subject only (\"repo:<owner/name>:environment:<env>\")."
  type = object({
    oidc_provider_arn = string
    subject           = string
    role_name         = string
  })
  default = null

  validation {
    condition     = var.github_deploy == null || can(regex("^repo:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+:environment:[A-Za-z0-9_.-]+$", var.github_deploy.subject))
    error_message = "The github_deploy.subject must read \"repo:<owner>/<name>:environment:<environment>\"."
  }
}

variable "failover" {
  description = "Origin failover, for disaster recovery: when set, the site bucket is replicated (deletes included) into \"<name>-web-<region>\" in the aws.failover provider's region (versioned, public access blocked, readable by this distribution only, TLS-only), and the distribution reads through an origin group that turns to the replica when the primary answers 500, 502, 503 or 504. kms_key_arn: a key of that region for the replica, required exactly when the origin bucket is SSE-KMS (kms_key_arn). null: one origin (pass the default provider as aws.failover)."
  type = object({
    kms_key_arn = optional(string)
  })
  default = null

  validation {
    condition     = try(var.failover.kms_key_arn, null) == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", try(var.failover.kms_key_arn, "")))
    error_message = "The failover.kms_key_arn must be null or a KMS key ARN of the failover region."
  }
}

variable "health_check" {
  description = "A Route 53 health check of https://<domain_name><path> (SNI), from Route 53's checkers in several regions every request_interval seconds (10 or 30), unhealthy after failure_threshold failures in a row (1-10). Its HealthCheckStatus metric (us-east-1) is what an alarm watches. null: none."
  type = object({
    path              = optional(string, "/")
    request_interval  = optional(number, 30)
    failure_threshold = optional(number, 3)
  })
  default = null

  validation {
    condition     = var.health_check == null || try(startswith(var.health_check.path, "/") && contains([10, 30], var.health_check.request_interval) && var.health_check.failure_threshold >= 1 && var.health_check.failure_threshold <= 10, false)
    error_message = "The health_check needs a path starting with \"/\", a request_interval of 10 or 30 and a failure_threshold of 1-10."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
