variable "name" {
  description = "Lowercase prefix of the environment's resource names, e.g. \"clientnest-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of a KMS key in the DR region (the aws.dr provider's) that encrypts the replicated database backups; required with replicate_db_backups."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be null or a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "replicate_db_backups" {
  description = "Whether to replicate the automated backups of db_instance_arn to the DR region (a separate switch because the ARN is unknown until apply)."
  type        = bool
  default     = false
}

variable "db_instance_arn" {
  description = "ARN of the RDS DB instance whose automated backups are replicated; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.db_instance_arn == null || can(regex("^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:db:.+$", var.db_instance_arn))
    error_message = "The db_instance_arn must be null or an RDS DB instance ARN (arn:<partition>:rds:<region>:<account>:db:<identifier>)."
  }
}

variable "db_backup_retention_days" {
  description = "Days the replicated automated backups are kept in the DR region (1-35): how far back a restore there can go."
  type        = number
  default     = 7

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35 && floor(var.db_backup_retention_days) == var.db_backup_retention_days
    error_message = "The db_backup_retention_days must be a whole number from 1 to 35."
  }
}

variable "ecr_repository_prefix" {
  description = "Name prefix of the ECR repositories to replicate to the DR region, e.g. \"clientnest-prod-\"; null replicates none. The replication configuration is the registry's (one per account and region)."
  type        = string
  default     = null

  validation {
    condition     = var.ecr_repository_prefix == null || can(regex("^[a-z0-9][a-z0-9._/-]{1,255}$", var.ecr_repository_prefix))
    error_message = "The ecr_repository_prefix must be null or the start of ECR repository names (lowercase letters, digits, . _ - /)."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
