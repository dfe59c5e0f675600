variable "name" {
  description = "Lowercase prefix for resource names (log group, IAM role, KMS alias), e.g. \"clientnest-dev\"."
  type        = string

  validation {
    # 48 characters keep "<name>-vpc-flow-logs" within IAM's 64-character role name limit.
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "name_tag_prefix" {
  description = "Prefix of the Name tags, e.g. \"ClientNest-Dev\" gives \"ClientNest-Dev-VPC\"."
  type        = string

  validation {
    condition     = length(trimspace(var.name_tag_prefix)) > 0
    error_message = "The name_tag_prefix must not be empty."
  }
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC, e.g. \"10.0.0.0/16\"."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr, 0))
    error_message = "The cidr must be a valid IPv4 CIDR block."
  }
}

variable "public_subnets" {
  description = "CIDR blocks of the public subnets, one per availability zone used."
  type        = list(string)

  validation {
    condition     = length(var.public_subnets) > 0 && alltrue([for c in var.public_subnets : can(cidrhost(c, 0))])
    error_message = "The public_subnets must hold at least one valid IPv4 CIDR block."
  }
}

variable "private_subnets" {
  description = "CIDR blocks of the private subnets, one per availability zone used; same length as public_subnets."
  type        = list(string)

  validation {
    condition     = length(var.private_subnets) > 0 && alltrue([for c in var.private_subnets : can(cidrhost(c, 0))])
    error_message = "The private_subnets must hold at least one valid IPv4 CIDR block."
  }
}

variable "azs" {
  description = "Availability zone names to use, one per subnet pair. When empty, the first length(public_subnets) available zones of the region are used."
  type        = list(string)
  default     = []
}

variable "nat_gateway_mode" {
  description = "NAT layout: \"single\" (one NAT gateway in the first public subnet for all private subnets), \"per_az\" (one NAT gateway and private route table per AZ) or \"none\" (private subnets get no default route)."
  type        = string
  default     = "single"

  validation {
    condition     = contains(["single", "per_az", "none"], var.nat_gateway_mode)
    error_message = "The nat_gateway_mode must be one of \"single\", \"per_az\" or \"none\"."
  }
}

variable "enable_flow_logs" {
  description = "Whether to send VPC flow logs (all traffic) to a KMS-encrypted CloudWatch log group."
  type        = bool
  default     = true
}

variable "flow_log_retention_days" {
  description = "Retention of the flow log group in days; one of the values CloudWatch Logs accepts (0 keeps logs forever)."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "The flow_log_retention_days must be one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "flow_log_kms_key_arn" {
  description = "ARN of an existing KMS key to encrypt the flow log group. When null, the module creates its own key with an alias named after var.name, e.g. \"alias/clientnest-dev-flow-logs\". Must be known at plan time."
  type        = string
  default     = null

  validation {
    condition     = var.flow_log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.flow_log_kms_key_arn))
    error_message = "The flow_log_kms_key_arn must be null or a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "manage_default_security_group" {
  description = "Whether to take over the VPC's default security group and remove all of its rules."
  type        = bool
  default     = true
}

variable "manage_network_acls" {
  description = "Whether to give the public and the private subnets a network ACL each (and to adopt the VPC's default ACL with no rules). The default rules deny SSH (22) and RDP (3389) from anywhere first; public subnets admit HTTP(S) from anywhere, the VPC, and answers on ephemeral ports; private subnets admit the VPC and answers on ephemeral ports, and send to the VPC and HTTPS only."
  type        = bool
  default     = true
}

variable "public_inbound_acl_rules" {
  description = "Inbound rules of the public subnets' network ACL, replacing the module's defaults (null): each rule_number, rule_action (\"allow\" or \"deny\"), protocol, from_port, to_port and cidr_block."
  type = list(object({
    rule_number = number
    rule_action = string
    protocol    = string
    from_port   = number
    to_port     = number
    cidr_block  = string
  }))
  default = null

  validation {
    condition     = alltrue([for r in(var.public_inbound_acl_rules == null ? [] : var.public_inbound_acl_rules) : contains(["allow", "deny"], r.rule_action) && r.rule_number >= 1 && r.rule_number <= 32766])
    error_message = "Each rule needs rule_action \"allow\" or \"deny\" and a rule_number from 1 to 32766."
  }
}

variable "public_outbound_acl_rules" {
  description = "Outbound rules of the public subnets' network ACL, replacing the module's defaults (null); as public_inbound_acl_rules."
  type = list(object({
    rule_number = number
    rule_action = string
    protocol    = string
    from_port   = number
    to_port     = number
    cidr_block  = string
  }))
  default = null

  validation {
    condition     = alltrue([for r in(var.public_outbound_acl_rules == null ? [] : var.public_outbound_acl_rules) : contains(["allow", "deny"], r.rule_action) && r.rule_number >= 1 && r.rule_number <= 32766])
    error_message = "Each rule needs rule_action \"allow\" or \"deny\" and a rule_number from 1 to 32766."
  }
}

variable "private_inbound_acl_rules" {
  description = "Inbound rules of the private subnets' network ACL, replacing the module's defaults (null); as public_inbound_acl_rules."
  type = list(object({
    rule_number = number
    rule_action = string
    protocol    = string
    from_port   = number
    to_port     = number
    cidr_block  = string
  }))
  default = null

  validation {
    condition     = alltrue([for r in(var.private_inbound_acl_rules == null ? [] : var.private_inbound_acl_rules) : contains(["allow", "deny"], r.rule_action) && r.rule_number >= 1 && r.rule_number <= 32766])
    error_message = "Each rule needs rule_action \"allow\" or \"deny\" and a rule_number from 1 to 32766."
  }
}

variable "private_outbound_acl_rules" {
  description = "Outbound rules of the private subnets' network ACL, replacing the module's defaults (null); as public_inbound_acl_rules."
  type = list(object({
    rule_number = number
    rule_action = string
    protocol    = string
    from_port   = number
    to_port     = number
    cidr_block  = string
  }))
  default = null

  validation {
    condition     = alltrue([for r in(var.private_outbound_acl_rules == null ? [] : var.private_outbound_acl_rules) : contains(["allow", "deny"], r.rule_action) && r.rule_number >= 1 && r.rule_number <= 32766])
    error_message = "Each rule needs rule_action \"allow\" or \"deny\" and a rule_number from 1 to 32766."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
