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

variable "alb" {
  description = "Load balancer to watch: arn_suffix is the ALB's arn_suffix (\"app/<name>/<id>\"), target_group_arn_suffixes maps a short key to a target group's arn_suffix (\"targetgroup/<name>/<id>\"). Values may be unknown at plan time; keys must not."
  type = object({
    enabled                   = bool
    arn_suffix                = optional(string)
    target_group_arn_suffixes = optional(map(string), {})
  })
  default = { enabled = false }

  validation {
    condition     = !var.alb.enabled || var.alb.arn_suffix != null
    error_message = "An enabled alb needs arn_suffix."
  }
}

variable "ecs" {
  description = "ECS services to watch: cluster_name, and service_names mapping a short key to a service name in that cluster. Values may be unknown at plan time; keys must not."
  type = object({
    enabled       = bool
    cluster_name  = optional(string)
    service_names = optional(map(string), {})
  })
  default = { enabled = false }

  validation {
    condition     = !var.ecs.enabled || var.ecs.cluster_name != null
    error_message = "An enabled ecs needs cluster_name."
  }
}

variable "rds" {
  description = "RDS instance to watch, by instance identifier (may be unknown at plan time)."
  type = object({
    enabled             = bool
    instance_identifier = optional(string)
  })
  default = { enabled = false }

  validation {
    condition     = !var.rds.enabled || var.rds.instance_identifier != null
    error_message = "An enabled rds needs instance_identifier."
  }
}

variable "redis" {
  description = "ElastiCache Redis replication group (cluster mode disabled) to watch. ElastiCache publishes its metrics per node, so alarms name the nodes \"<replication_group_id>-001\" .. \"-<num_cache_clusters>\"; num_cache_clusters must be known at plan time, replication_group_id need not be."
  type = object({
    enabled              = bool
    replication_group_id = optional(string)
    num_cache_clusters   = optional(number, 1)
  })
  default = { enabled = false }

  validation {
    condition     = !var.redis.enabled || var.redis.replication_group_id != null
    error_message = "An enabled redis needs replication_group_id."
  }

  validation {
    condition     = var.redis.num_cache_clusters >= 1 && var.redis.num_cache_clusters <= 6 && floor(var.redis.num_cache_clusters) == var.redis.num_cache_clusters
    error_message = "The redis.num_cache_clusters must be a whole number from 1 to 6 (a primary and up to five replicas)."
  }
}

variable "lambda" {
  description = "Lambda functions to watch: function_names maps a short key to a function name. Values may be unknown at plan time; keys must not."
  type = object({
    enabled        = bool
    function_names = optional(map(string), {})
  })
  default = { enabled = false }
}

variable "sqs" {
  description = "SQS queues to watch: queue_names maps a short key to a queue name. Values may be unknown at plan time; keys must not."
  type = object({
    enabled     = bool
    queue_names = optional(map(string), {})
  })
  default = { enabled = false }
}

variable "thresholds" {
  description = "Alarm thresholds. Counts are per 5 minutes; alb_unhealthy_hosts alarms when a target group has more unhealthy targets than this."
  type = object({
    alb_5xx_count              = optional(number, 10)
    alb_p95_latency_seconds    = optional(number, 1.5)
    alb_unhealthy_hosts        = optional(number, 0)
    ecs_cpu_percent            = optional(number, 80)
    ecs_memory_percent         = optional(number, 80)
    rds_cpu_percent            = optional(number, 80)
    rds_free_storage_bytes     = optional(number, 2147483648)
    rds_connections            = optional(number, 80)
    redis_cpu_percent          = optional(number, 75)
    redis_evictions            = optional(number, 100)
    lambda_errors              = optional(number, 1)
    lambda_throttles           = optional(number, 1)
    sqs_oldest_message_seconds = optional(number, 300)
  })
  default = {}
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
