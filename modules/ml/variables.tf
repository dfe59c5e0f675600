variable "name" {
  description = "Lowercase prefix of resource names, e.g. \"clientnest-prod\": the bucket \"<name>-ml\", per endpoint key the endpoint and model package group \"<name>-<key>\", the image repository \"<name>-model-<key>\", models \"<name>-<key>-<version>\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key (the \"data\" key) encrypting the model artifacts and captured data, the image repositories and the endpoints' ML storage volumes."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of the KMS key (the \"logs\" key) encrypting the endpoints' log groups; its policy must let CloudWatch Logs use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "The log_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_retention_days" {
  description = "Retention of the endpoints' log groups in days; one of the values CloudWatch Logs accepts."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "access_log_bucket" {
  description = "Name of the environment's log bucket, which receives the artifact bucket's S3 server access logs under \"s3/<bucket>/\"."
  type        = string
}

variable "vpc_id" {
  description = "ID of the VPC the endpoints run in."
  type        = string
}

variable "subnet_ids" {
  description = "IDs of the private subnets the endpoints' instances attach to (at least two availability zones for production endpoints)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "The subnet_ids must hold at least one subnet."
  }
}

variable "force_destroy" {
  description = "Whether destroying the module deletes the artifact bucket and image repositories while they still hold artifacts and images."
  type        = bool
  default     = false
}

variable "endpoints" {
  description = "Real-time inference endpoints by key. versions: the model versions (image_tag of the endpoint's image repository, artifact at s3://<name>-ml/models/<key>/<version>/model.tar.gz, network_isolation: no network for the model container, environment variables). variants: the production variants, each serving a version with a traffic weight (A/B tests: shift the weights), instance_type, and instance counts for auto scaling on invocations_per_instance. data_capture_percent of requests and responses go to s3://<name>-ml/capture/<key>/ (0: none)."
  type = map(object({
    versions = map(object({
      image_tag         = string
      network_isolation = optional(bool, true)
      environment       = optional(map(string), {})
    }))
    variants = map(object({
      version       = string
      weight        = number
      instance_type = string
      min_instances = optional(number, 1)
      max_instances = optional(number, 1)
    }))
    invocations_per_instance = optional(number, 100)
    data_capture_percent     = optional(number, 0)
  }))
  default = {}

  validation {
    condition     = alltrue(flatten([for k, e in var.endpoints : concat([can(regex("^[a-z][a-z0-9-]{0,15}$", k))], [for v in keys(e.versions) : can(regex("^[a-z0-9][a-z0-9-]{0,15}$", v))], [for v in keys(e.variants) : can(regex("^[a-z0-9][a-z0-9-]{0,15}$", v))])]))
    error_message = "Endpoint keys must be 1-16 lowercase letters, digits and hyphens starting with a letter; version and variant keys 1-16 lowercase letters, digits and hyphens."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : length(e.variants) >= 1 && alltrue([for v in values(e.variants) : contains(keys(e.versions), v.version)])])
    error_message = "Each endpoint needs at least one variant, and each variant must name one of its endpoint's versions."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : alltrue([for v in values(e.variants) : v.weight >= 0]) && anytrue([for v in values(e.variants) : v.weight > 0])])
    error_message = "Variant weights must be 0 or more, and at least one variant of each endpoint must get traffic."
  }

  validation {
    condition     = alltrue(flatten([for e in values(var.endpoints) : [for v in values(e.variants) : startswith(v.instance_type, "ml.") && v.min_instances >= 1 && v.min_instances <= v.max_instances]]))
    error_message = "Each variant needs an ml.* instance_type and 1 <= min_instances <= max_instances."
  }

  validation {
    condition     = alltrue([for e in values(var.endpoints) : e.invocations_per_instance >= 1 && e.data_capture_percent >= 0 && e.data_capture_percent <= 100])
    error_message = "Each endpoint needs invocations_per_instance of 1 or more and a data_capture_percent of 0-100."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
