variable "name" {
  description = "Lowercase prefix of the resource names, e.g. \"clientnest-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-40 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "host_groups" {
  description = "EC2 host groups, keyed by a short name (\"gpu\"): operating_system (AMAZON_LINUX_2023, AMAZON_LINUX_2 or UBUNTU), what (a description) and instance_profile (default true: the module makes the group's instance profile; false for hosts with a role of their own, which then needs AmazonSSMManagedInstanceCore and host_policy_json). Each group's hosts must be tagged \"Patch Group = <name>-<key>\" (patch_groups[key])."
  type = map(object({
    operating_system = optional(string, "AMAZON_LINUX_2023")
    what             = optional(string, "EC2 hosts")
    instance_profile = optional(bool, true)
  }))

  validation {
    condition     = length(var.host_groups) > 0 && alltrue([for k, g in var.host_groups : can(regex("^[a-z][a-z0-9-]{0,15}$", k)) && contains(["AMAZON_LINUX_2023", "AMAZON_LINUX_2", "UBUNTU"], g.operating_system)])
    error_message = "Give at least one host group, keyed by 1-16 lowercase letters, digits and hyphens, each with operating_system AMAZON_LINUX_2023, AMAZON_LINUX_2 or UBUNTU."
  }
}

variable "window" {
  description = "The maintenance window: schedule (a cron() expression, UTC), duration_hours (1-24) and cutoff_hours (no new task starts this close to the end), and how many hosts are patched at once (max_concurrency, a number or a percentage) and how many failures stop it (max_errors)."
  type = object({
    schedule        = optional(string, "cron(0 3 ? * SUN *)")
    duration_hours  = optional(number, 3)
    cutoff_hours    = optional(number, 1)
    max_concurrency = optional(string, "50%")
    max_errors      = optional(string, "1")
  })
  default = {}

  validation {
    condition     = can(regex("^cron\\(.+\\)$", var.window.schedule)) && var.window.duration_hours >= 1 && var.window.duration_hours <= 24 && var.window.cutoff_hours >= 0 && var.window.cutoff_hours < var.window.duration_hours
    error_message = "The window needs a cron() schedule, duration_hours of 1-24 and cutoff_hours under duration_hours."
  }
}

variable "approve_after_days" {
  description = "Days after its release a security or bug fix is approved and installed (0-360)."
  type        = number
  default     = 7

  validation {
    condition     = var.approve_after_days >= 0 && var.approve_after_days <= 360
    error_message = "The approve_after_days must be 0-360."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of the KMS key (the environment's \"logs\" key) that encrypts the session and patching log groups and the sessions themselves; its policy must let CloudWatch Logs use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "The log_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_retention_days" {
  description = "Retention of the session and patching log groups in days; one of the values CloudWatch Logs accepts."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ... 3653)."
  }
}

variable "session_idle_timeout_minutes" {
  description = "Minutes of inactivity after which Session Manager ends a session (1-60)."
  type        = number
  default     = 20

  validation {
    condition     = var.session_idle_timeout_minutes >= 1 && var.session_idle_timeout_minutes <= 60
    error_message = "The session_idle_timeout_minutes must be 1-60."
  }
}

variable "session_max_duration_minutes" {
  description = "Longest a session may last, in minutes (1-1440)."
  type        = number
  default     = 60

  validation {
    condition     = var.session_max_duration_minutes >= 1 && var.session_max_duration_minutes <= 1440
    error_message = "The session_max_duration_minutes must be 1-1440."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
