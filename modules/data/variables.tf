variable "name" {
  description = "Lowercase prefix of resource names, e.g. \"clientnest-dev\": buckets \"<name>-raw\", \"<name>-curated\" and \"<name>-data-work\", Glue databases \"<name with underscores>_raw\" and \"_curated\", the Athena workgroup \"<name>\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,35}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-37 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key (the \"data\" key) encrypting the buckets, the Kinesis streams, the Glue job bookmarks and the Athena query results."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of the KMS key (the \"logs\" key) encrypting the log groups (Firehose, the ETL function, Glue's logs through the security configuration); its policy must let CloudWatch Logs use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "The log_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_retention_days" {
  description = "Retention of the module's log groups in days; one of the values CloudWatch Logs accepts."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "access_log_bucket" {
  description = "Name of the environment's log bucket, which receives the buckets' S3 server access logs under \"s3/<bucket>/\" (its policy must let logging.s3.amazonaws.com write there)."
  type        = string
}

variable "vpc_id" {
  description = "ID of the VPC of the ETL function's security group."
  type        = string
}

variable "subnet_ids" {
  description = "IDs of the private subnets the ETL function runs in; their number must be known at plan time."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "The subnet_ids must hold at least one subnet."
  }
}

variable "force_destroy" {
  description = "Whether destroying the module deletes buckets that still hold objects, and the Athena workgroup with its saved queries. Off for production data."
  type        = bool
  default     = false
}

variable "raw_transition_to_glacier_days" {
  description = "Days after which raw objects move to S3 Glacier Flexible Retrieval (Athena and the crawler no longer read them); null keeps them in S3 Standard."
  type        = number
  default     = null
}

variable "raw_expiration_days" {
  description = "Days after which raw objects expire; null keeps them."
  type        = number
  default     = null
}

variable "crawler_schedule" {
  description = "When the raw zone's crawler runs (a Glue cron expression); null: only when started."
  type        = string
  default     = "cron(0 2 * * ? *)"

  validation {
    condition     = var.crawler_schedule == null || can(regex("^cron\\(.+\\)$", var.crawler_schedule))
    error_message = "The crawler_schedule must be null or a cron(...) expression."
  }
}

variable "jobs" {
  description = "Glue Spark ETL jobs (raw zone to curated zone) by key, each \"<name>-<key>\": script_path is the script in the generated root (uploaded to the work bucket when it changes), worker_type (G.1X, G.2X, G.4X, G.8X), number_of_workers, timeout in minutes, and extra job arguments (\"--key\" = value)."
  type = map(object({
    script_path       = string
    worker_type       = optional(string, "G.1X")
    number_of_workers = optional(number, 2)
    timeout           = optional(number, 60)
    arguments         = optional(map(string), {})
  }))
  default = {}

  validation {
    condition     = alltrue([for k, j in var.jobs : can(regex("^[a-z][a-z0-9-]{0,23}$", k)) && endswith(j.script_path, ".py")])
    error_message = "The jobs keys must be 1-24 lowercase letters, digits and hyphens, starting with a letter; each script_path must be a .py file."
  }

  validation {
    condition     = alltrue([for j in values(var.jobs) : contains(["G.1X", "G.2X", "G.4X", "G.8X"], j.worker_type) && j.number_of_workers >= 2 && j.timeout >= 1 && j.timeout <= 2880])
    error_message = "Each job needs worker_type G.1X, G.2X, G.4X or G.8X, at least 2 workers and a timeout of 1-2880 minutes."
  }
}

variable "etl_function" {
  description = "The Lambda ETL function run for every object written to the raw zone under landing/ or streams/: package_path is a zip built by the generator; it writes to the curated zone (CURATED_BUCKET)."
  type = object({
    package_path         = string
    handler              = string
    runtime              = optional(string, "python3.12")
    memory_size          = optional(number, 512)
    timeout              = optional(number, 120)
    reserved_concurrency = optional(number, 5)
  })
}

variable "streams" {
  description = "Kinesis data streams (on demand, KMS) by key, each \"<name>-<key>\", delivered by a Firehose stream into the raw zone under streams/<key>/ (failed records under firehose-errors/<key>/): retention_hours of the stream, and Firehose's buffer in MiB and seconds."
  type = map(object({
    retention_hours        = optional(number, 24)
    buffering_size_mib     = optional(number, 64)
    buffering_interval_sec = optional(number, 300)
  }))
  default = {}

  validation {
    condition     = alltrue([for k, s in var.streams : can(regex("^[a-z][a-z0-9-]{0,23}$", k)) && s.retention_hours >= 24 && s.retention_hours <= 8760])
    error_message = "The streams keys must be 1-24 lowercase letters, digits and hyphens, starting with a letter; retention_hours must be 24-8760."
  }

  validation {
    condition     = alltrue([for s in values(var.streams) : s.buffering_size_mib >= 1 && s.buffering_size_mib <= 128 && s.buffering_interval_sec >= 0 && s.buffering_interval_sec <= 900])
    error_message = "Each stream's buffering_size_mib must be 1-128 and buffering_interval_sec 0-900."
  }
}

variable "athena_bytes_scanned_cutoff" {
  description = "Most bytes one Athena query of the workgroup may scan before it is cancelled (at least 10 MiB)."
  type        = number
  default     = 10737418240

  validation {
    condition     = var.athena_bytes_scanned_cutoff >= 10485760
    error_message = "The athena_bytes_scanned_cutoff must be at least 10485760 (10 MiB), Athena's minimum."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
