variable "name" {
  description = "Lowercase prefix for resource names, e.g. \"clientnest-dev\" gives the DB instance \"clientnest-dev-postgres\"."
  type        = string

  validation {
    # RDS identifiers start with a letter and hold no "--"; 48 characters keep
    # "<name>-rds-monitoring" within IAM's 64-character role name limit.
    condition     = can(regex("^[a-z]([a-z0-9-]{0,46}[a-z0-9])?$", var.name)) && !can(regex("--", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, start with a letter, end with a letter or digit and hold no \"--\"."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the database security group belongs to."
  type        = string
}

variable "subnet_ids" {
  description = "IDs of the private subnets of the DB subnet group; at least two, in different availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "The subnet_ids must hold at least two subnets (RDS needs two availability zones)."
  }
}

variable "allowed_security_group_ids" {
  description = "IDs of the security groups (e.g. the service's) allowed to connect to PostgreSQL on port 5432; IDs created in the same apply are fine, as only the list's length must be known at plan time."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "ARN of the KMS key (the \"data\" key) encrypting storage, Performance Insights and the RDS-managed master user secret."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "engine_version" {
  description = "PostgreSQL version. A major version alone (\"16\") lets RDS pick the newest minor version and apply minor upgrades without Terraform trying to roll them back; the parameter group family follows the major version."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^[0-9]{2}(\\.[0-9]+)?$", var.engine_version)) && tonumber(split(".", var.engine_version)[0]) >= 13
    error_message = "The engine_version must be a PostgreSQL major version from 13 on, optionally with a minor version, e.g. \"16\" or \"16.4\"."
  }
}

variable "instance_class" {
  description = "DB instance class, e.g. \"db.t4g.micro\"."
  type        = string
  default     = "db.t4g.micro"

  validation {
    condition     = can(regex("^db\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "The instance_class must look like \"db.<family>.<size>\", e.g. \"db.t4g.micro\"."
  }
}

variable "allocated_storage" {
  description = "Initial gp3 storage in GiB (20-65536)."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536 && floor(var.allocated_storage) == var.allocated_storage
    error_message = "The allocated_storage must be a whole number of GiB from 20 to 65536."
  }
}

variable "max_allocated_storage" {
  description = "Upper limit in GiB for storage autoscaling, above allocated_storage; 0 turns storage autoscaling off."
  type        = number
  default     = 100

  validation {
    condition     = var.max_allocated_storage == 0 || (var.max_allocated_storage >= 21 && var.max_allocated_storage <= 65536 && floor(var.max_allocated_storage) == var.max_allocated_storage)
    error_message = "The max_allocated_storage must be 0 or a whole number of GiB from 21 to 65536."
  }
}

variable "db_name" {
  description = "Name of the database created with the instance."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,62}$", var.db_name))
    error_message = "The db_name must be 1-63 letters, digits or underscores, starting with a letter."
  }
}

variable "master_username" {
  description = "Master user name. Its password is generated and kept in Secrets Manager by RDS, never by Terraform."
  type        = string
  default     = "app_admin"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,62}$", var.master_username)) && !contains(["postgres", "rdsadmin", "admin"], lower(var.master_username))
    error_message = "The master_username must be 1-63 letters, digits or underscores, start with a letter and not be a reserved name (postgres, rdsadmin, admin)."
  }
}

variable "multi_az" {
  description = "Whether to run a synchronous standby in a second availability zone."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days automated backups are kept (1-35)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35 && floor(var.backup_retention_days) == var.backup_retention_days
    error_message = "The backup_retention_days must be a whole number from 1 to 35."
  }
}

variable "deletion_protection" {
  description = "Whether the instance refuses deletion. When false, a destroy deletes it without a final snapshot; when true, a final snapshot named after the instance followed by \"-final\" is taken once protection is lifted."
  type        = bool
  default     = true
}

variable "performance_insights_retention_days" {
  description = "Days Performance Insights data is kept: 7 (free tier), 731, or a multiple of 31."
  type        = number
  default     = 7

  validation {
    condition     = var.performance_insights_retention_days == 7 || var.performance_insights_retention_days == 731 || (var.performance_insights_retention_days >= 31 && var.performance_insights_retention_days <= 713 && var.performance_insights_retention_days % 31 == 0)
    error_message = "The performance_insights_retention_days must be 7, 731 or a multiple of 31 up to 713."
  }
}

variable "monitoring_interval" {
  description = "Seconds between Enhanced Monitoring samples; 0 turns Enhanced Monitoring (and its IAM role) off."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "The monitoring_interval must be one of 0, 1, 5, 10, 15, 30, 60."
  }
}

variable "log_retention_days" {
  description = "Retention in days of the CloudWatch log groups the PostgreSQL and upgrade logs are exported to; one of the values CloudWatch Logs accepts (0 keeps logs forever)."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of the KMS key (the \"logs\" key) encrypting the exported log groups; its policy must let CloudWatch Logs use it."
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
