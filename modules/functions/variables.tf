variable "name" {
  description = "Lowercase prefix for resource names (functions, roles, queues, log groups, API), e.g. \"clientnest-dev\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key (the \"data\" key) that encrypts the functions' environment variables and their dead-letter queues. Its key policy must let Lambda and SQS use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of the KMS key (the \"logs\" key) that encrypts the function and API access log groups. Its key policy must let CloudWatch Logs use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "The log_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_retention_days" {
  description = "Retention of the function and API access log groups in days; one of the values CloudWatch Logs accepts (0 keeps logs forever)."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "functions" {
  description = "Lambda functions keyed by a short lowercase name; each becomes \"<name>-<key>\". package_path is a zip built by the generator. subnet_ids attaches the function to a VPC (then security_group_ids is required); the number of subnets must be known at plan time."
  type = map(object({
    package_path         = string
    runtime              = optional(string, "python3.12")
    handler              = string
    memory_size          = optional(number, 256)
    timeout              = optional(number, 30)
    reserved_concurrency = optional(number, 5)
    environment          = optional(map(string), {})
    subnet_ids           = optional(list(string), [])
    security_group_ids   = optional(list(string), [])
  }))

  validation {
    # "<name>-<key>-lambda" must fit IAM's 64-character role name limit; checked in full by a precondition.
    condition     = alltrue([for k in keys(var.functions) : can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", k))])
    error_message = "The functions keys must be 1-32 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }

  validation {
    condition     = alltrue([for f in values(var.functions) : endswith(f.package_path, ".zip")])
    error_message = "Each function's package_path must be the path of a .zip file."
  }

  validation {
    condition     = alltrue([for f in values(var.functions) : f.memory_size >= 128 && f.memory_size <= 10240 && f.timeout >= 1 && f.timeout <= 900])
    error_message = "Each function needs memory_size between 128 and 10240 MB and timeout between 1 and 900 seconds."
  }

  validation {
    # Unreserved (-1) would let one function starve the account; 0 disables a function.
    condition     = alltrue([for f in values(var.functions) : f.reserved_concurrency >= 1])
    error_message = "Each function's reserved_concurrency must be at least 1."
  }

  validation {
    condition     = alltrue([for f in values(var.functions) : length(f.subnet_ids) == 0 || length(f.security_group_ids) > 0])
    error_message = "A function with subnet_ids also needs security_group_ids."
  }
}

variable "api" {
  description = "HTTP API in front of the functions. routes is keyed by route key (\"GET /items\", \"$default\"); each names a function key and an authorization type, \"JWT\" (default) or \"AWS_IAM\" — public routes are not allowed. JWT routes need jwt_issuer and jwt_audience."
  type = object({
    enabled = bool
    routes = optional(map(object({
      function      = string
      authorization = optional(string, "JWT")
    })), {})
    jwt_issuer             = optional(string)
    jwt_audience           = optional(list(string), [])
    cors_allow_origins     = optional(list(string), [])
    throttling_burst_limit = optional(number, 100)
    throttling_rate_limit  = optional(number, 50)
  })
  default = { enabled = false }

  validation {
    condition     = alltrue([for r in values(var.api.routes) : contains(["JWT", "AWS_IAM"], r.authorization)])
    error_message = "Each route's authorization must be \"JWT\" or \"AWS_IAM\"; routes without authorization (NONE) are not allowed."
  }

  validation {
    condition = alltrue([for r in values(var.api.routes) : r.authorization != "JWT"]) || (
      var.api.jwt_issuer != null && can(regex("^https://", var.api.jwt_issuer)) && length(var.api.jwt_audience) > 0
    )
    error_message = "Routes with JWT authorization need api.jwt_issuer (an https:// URL) and at least one api.jwt_audience."
  }

  validation {
    condition     = alltrue([for k in keys(var.api.routes) : k == "$default" || can(regex("^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /", k))])
    error_message = "Each route key must be \"$default\" or \"<METHOD> /<path>\" with METHOD one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS."
  }

  validation {
    condition     = !var.api.enabled || length(var.api.routes) > 0
    error_message = "An enabled API needs at least one route."
  }

  validation {
    condition     = var.api.throttling_burst_limit >= 0 && var.api.throttling_rate_limit >= 0
    error_message = "The API throttling limits must not be negative."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
