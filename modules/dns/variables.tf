variable "name" {
  description = "Lowercase prefix for resource names and Name tags, e.g. \"clientnest-dev\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-64 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "domain_name" {
  description = "Domain of the environment's public hosted zone, e.g. \"dev.clientnest.app\"; lowercase, without a trailing dot."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name)) && length(var.domain_name) <= 253
    error_message = "The domain_name must be a lowercase domain name such as \"dev.clientnest.app\", without a trailing dot."
  }
}

variable "certificate_names" {
  description = "Subdomains of domain_name that the regional ACM certificate (for the load balancer) covers, e.g. [\"api\"] gives \"api.dev.clientnest.app\". The first is the certificate's domain name, the others its subject alternative names; \"*\" requests a wildcard. Empty: no certificate."
  type        = list(string)
  default     = []

  validation {
    condition     = length(distinct(var.certificate_names)) == length(var.certificate_names)
    error_message = "The certificate_names must not repeat a name."
  }

  validation {
    condition     = alltrue([for n in var.certificate_names : can(regex("^(\\*|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$", n))])
    error_message = "Each certificate name must be a lowercase subdomain label (or dotted labels) such as \"api\", or \"*\" for a wildcard."
  }
}

variable "wait_for_validation" {
  description = "Whether the apply waits until ACM has issued the certificate (and certificate_arn is the validated certificate). On AWS this only completes once the parent domain delegates to the zone's name servers, so set it to false for the first apply of a new zone."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
