variable "name" {
  description = "Lowercase prefix for resource names, e.g. \"clientnest-dev\" gives the replication group \"clientnest-dev-redis\"."
  type        = string

  validation {
    # ElastiCache IDs start with a letter and hold no "--"; 32 characters keep
    # "<name>-default" within the 40-character limit of user IDs.
    condition     = can(regex("^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$", var.name)) && !can(regex("--", var.name))
    error_message = "The name must be 1-32 characters of lowercase letters, digits and hyphens, start with a letter, end with a letter or digit and hold no \"--\"."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the cache security group belongs to."
  type        = string
}

variable "subnet_ids" {
  description = "IDs of the private subnets of the cache subnet group, in different availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "The subnet_ids must hold at least one subnet."
  }
}

variable "allowed_security_group_ids" {
  description = "IDs of the security groups (e.g. the service's) allowed to connect to Redis on port 6379; IDs created in the same apply are fine, as only the list's length must be known at plan time."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "ARN of the KMS key (the \"data\" key) encrypting the cache data at rest and its snapshots."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "engine_version" {
  description = "Redis OSS version as major.minor, e.g. \"7.1\"; IAM authentication needs 7.0 or later."
  type        = string
  default     = "7.1"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+$", var.engine_version)) && tonumber(split(".", var.engine_version)[0]) >= 7
    error_message = "The engine_version must be \"<major>.<minor>\" from 7.0 on (IAM authentication needs Redis OSS 7), e.g. \"7.1\"."
  }
}

variable "node_type" {
  description = "Cache node type, e.g. \"cache.t4g.micro\"."
  type        = string
  default     = "cache.t4g.micro"

  validation {
    condition     = can(regex("^cache\\.[a-z0-9-]+\\.[a-z0-9]+$", var.node_type))
    error_message = "The node_type must look like \"cache.<family>.<size>\", e.g. \"cache.t4g.micro\"."
  }
}

variable "num_cache_clusters" {
  description = "Number of nodes: one primary plus read replicas (1-6)."
  type        = number
  default     = 2

  validation {
    condition     = var.num_cache_clusters >= 1 && var.num_cache_clusters <= 6 && floor(var.num_cache_clusters) == var.num_cache_clusters
    error_message = "The num_cache_clusters must be a whole number from 1 to 6."
  }
}

variable "automatic_failover" {
  description = "Whether a replica is promoted when the primary fails; needs num_cache_clusters >= 2."
  type        = bool
  default     = true
}

variable "multi_az" {
  description = "Whether replicas are placed in other availability zones than the primary and failover favours them; needs num_cache_clusters >= 2 and automatic_failover."
  type        = bool
  default     = true
}

variable "snapshot_retention_limit" {
  description = "Days automatic snapshots are kept (0 turns snapshots off, at most 35)."
  type        = number
  default     = 7

  validation {
    condition     = var.snapshot_retention_limit >= 0 && var.snapshot_retention_limit <= 35 && floor(var.snapshot_retention_limit) == var.snapshot_retention_limit
    error_message = "The snapshot_retention_limit must be a whole number from 0 to 35."
  }
}

variable "maintenance_window" {
  description = "Weekly maintenance window, UTC, \"ddd:hh24:mi-ddd:hh24:mi\"; must not overlap snapshot_window."
  type        = string
  default     = "sun:05:00-sun:06:00"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]$", var.maintenance_window))
    error_message = "The maintenance_window must look like \"sun:05:00-sun:06:00\"."
  }
}

variable "snapshot_window" {
  description = "Daily window, UTC, \"hh24:mi-hh24:mi\", in which the automatic snapshot is taken; at least 60 minutes."
  type        = string
  default     = "03:00-04:00"

  validation {
    condition     = can(regex("^[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]$", var.snapshot_window))
    error_message = "The snapshot_window must look like \"03:00-04:00\"."
  }
}

variable "log_retention_days" {
  description = "Retention in days of the slow-log and engine-log CloudWatch log groups; one of the values CloudWatch Logs accepts (0 keeps logs forever)."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of the KMS key (the \"logs\" key) encrypting the log groups; its policy must let CloudWatch Logs use it."
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
