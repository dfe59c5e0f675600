variable "name" {
  description = "Lowercase prefix of the table names, e.g. \"clientnest-dev\" gives \"clientnest-dev-<key>\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer managed KMS key (the \"data\" key of the kms module) that encrypts every table, its backups and its point-in-time recovery data. May be unknown at plan time."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "tables" {
  description = "DynamoDB tables by key: each becomes \"<name>-<key>\". hash_key and the optional range_key name the key attributes, of type S, N or B. billing_mode \"PAY_PER_REQUEST\" (on demand) or \"PROVISIONED\", which then needs read_capacity and write_capacity ranges (min, max) that Application Auto Scaling keeps target_utilization percent used. ttl_attribute names an attribute holding expiry times (epoch seconds). deletion_protection refuses DeleteTable while it is on."
  type = map(object({
    hash_key            = string
    hash_key_type       = optional(string, "S")
    range_key           = optional(string)
    range_key_type      = optional(string, "S")
    billing_mode        = optional(string, "PAY_PER_REQUEST")
    read_capacity       = optional(object({ min = number, max = number }))
    write_capacity      = optional(object({ min = number, max = number }))
    target_utilization  = optional(number, 70)
    ttl_attribute       = optional(string)
    deletion_protection = optional(bool, true)
  }))
  default = {}

  validation {
    # "<name>-<key>" must fit DynamoDB's 255 characters; keys also name alarms and policies.
    condition     = alltrue([for k in keys(var.tables) : can(regex("^[a-z][a-z0-9-]{0,23}$", k))])
    error_message = "The tables keys must be 1-24 lowercase letters, digits and hyphens, starting with a letter."
  }

  validation {
    condition     = alltrue([for t in values(var.tables) : contains(["S", "N", "B"], t.hash_key_type) && contains(["S", "N", "B"], t.range_key_type)])
    error_message = "Each table's hash_key_type and range_key_type must be S, N or B."
  }

  validation {
    condition     = alltrue([for t in values(var.tables) : contains(["PAY_PER_REQUEST", "PROVISIONED"], t.billing_mode)])
    error_message = "Each table's billing_mode must be PAY_PER_REQUEST or PROVISIONED."
  }

  validation {
    condition = alltrue([for t in values(var.tables) : t.billing_mode == "PAY_PER_REQUEST" ? t.read_capacity == null && t.write_capacity == null : (
      t.read_capacity != null && t.write_capacity != null &&
      try(t.read_capacity.min >= 1 && t.read_capacity.min <= t.read_capacity.max, false) &&
      try(t.write_capacity.min >= 1 && t.write_capacity.min <= t.write_capacity.max, false)
    )])
    error_message = "A PROVISIONED table needs read_capacity and write_capacity with 1 <= min <= max; a PAY_PER_REQUEST table takes neither."
  }

  validation {
    condition     = alltrue([for t in values(var.tables) : t.target_utilization >= 20 && t.target_utilization <= 90])
    error_message = "Each table's target_utilization must be a percentage from 20 to 90."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
