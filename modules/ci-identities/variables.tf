variable "name" {
  description = "Lowercase prefix for the role names, e.g. \"tfgen\" gives \"tfgen-prod-plan\" and \"tfgen-prod-apply\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "github_repository" {
  description = "The GitHub repository whose workflows may assume the roles, as \"ORG/REPO\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "The github_repository must be \"ORG/REPO\" (no wildcards)."
  }
}

variable "environments" {
  description = "Per environment deployed from this account: its Terraform state bucket and lock table ARNs (read by the plan role), the state's KMS key if any, and the GitHub environments whose jobs may assume the plan and apply roles (the environment's own name by default)."
  type = map(object({
    state_bucket_arn         = string
    lock_table_arn           = string
    state_kms_key_arn        = optional(string)
    plan_github_environment  = optional(string)
    apply_github_environment = optional(string)
  }))

  validation {
    condition     = length(var.environments) > 0 && alltrue([for env in keys(var.environments) : can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", env))])
    error_message = "The environments must have at least one entry, each keyed by a 1-32 character lowercase name (letters, digits, hyphens)."
  }

  validation {
    condition     = alltrue([for e in values(var.environments) : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", e.state_bucket_arn))])
    error_message = "Each state_bucket_arn must be an S3 bucket ARN (arn:<partition>:s3:::<bucket>)."
  }

  validation {
    condition     = alltrue([for e in values(var.environments) : can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$", e.lock_table_arn))])
    error_message = "Each lock_table_arn must be a DynamoDB table ARN (arn:<partition>:dynamodb:<region>:<account>:table/<name>)."
  }

  validation {
    condition     = alltrue([for e in values(var.environments) : e.state_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", e.state_kms_key_arn))])
    error_message = "Each state_kms_key_arn must be null or a KMS key ARN."
  }

  validation {
    condition = alltrue(flatten([for e in values(var.environments) : [
      for g in [e.plan_github_environment, e.apply_github_environment] : g == null ? true : can(regex("^[^*?:\"]{1,255}$", g))
    ]]))
    error_message = "A GitHub environment name must be 1-255 characters without wildcards (* ?), colons or quotes."
  }
}

variable "github_thumbprints" {
  description = "Certificate thumbprints of token.actions.githubusercontent.com. AWS no longer checks them for GitHub (it trusts the issuer's CA), but the API requires at least one."
  type        = list(string)
  default     = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"]

  validation {
    condition     = length(var.github_thumbprints) > 0 && alltrue([for t in var.github_thumbprints : can(regex("^[0-9a-f]{40}$", t))])
    error_message = "The github_thumbprints must be a non-empty list of 40 lowercase hex characters each."
  }
}

variable "max_session_duration" {
  description = "Longest session of the CI roles, in seconds (3600-43200); a job longer than this must re-authenticate."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "The max_session_duration must be from 3600 to 43200 seconds."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
