variable "name" {
  description = "Lowercase prefix for resource names, e.g. \"clientnest-prod\" gives the key alias \"alias/clientnest-prod-ebs\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "instance_metadata_hop_limit" {
  description = "Default hop limit of instance metadata responses (1-64). 1 keeps them on the instance itself; containers on EC2 that must reach the metadata service need 2."
  type        = number
  default     = 1

  validation {
    condition     = var.instance_metadata_hop_limit >= 1 && var.instance_metadata_hop_limit <= 64 && floor(var.instance_metadata_hop_limit) == var.instance_metadata_hop_limit
    error_message = "The instance_metadata_hop_limit must be a whole number from 1 to 64."
  }
}

variable "deletion_window_in_days" {
  description = "Days the EBS key waits, disabled, before it is deleted after a destroy (7-30); a deletion can be cancelled within this window. Volumes encrypted with it become unreadable once it is deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "The deletion_window_in_days must be a whole number from 7 to 30."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
