variable "name" {
  description = "Lowercase prefix for resource names, e.g. \"clientnest-dev\": the ALB and the ECS cluster are named after it, per-service resources \"<name>-<service>\"."
  type        = string

  validation {
    # The ALB name allows 32 characters.
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-32 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the ALB, the target groups and the tasks live in."
  type        = string
}

variable "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC; tasks may reach it on vpc_egress_ports (databases, caches)."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "The vpc_cidr_block must be a valid IPv4 CIDR block."
  }
}

variable "vpc_egress_ports" {
  description = "TCP ports tasks may reach inside the VPC CIDR, e.g. PostgreSQL and Redis. Everything else outside the VPC is limited to HTTPS (443)."
  type        = list(number)
  default     = [5432, 6379]

  validation {
    condition     = alltrue([for p in var.vpc_egress_ports : p >= 1 && p <= 65535 && floor(p) == p])
    error_message = "The vpc_egress_ports must be TCP port numbers (1-65535)."
  }
}

variable "public_subnet_ids" {
  description = "IDs of the public subnets for the internet-facing ALB, in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "The public_subnet_ids must hold at least two subnets (an ALB needs two availability zones)."
  }
}

variable "private_subnet_ids" {
  description = "IDs of the private subnets the tasks run in (no public IPs)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 1
    error_message = "The private_subnet_ids must hold at least one subnet."
  }
}

variable "certificate_arn" {
  description = "ARN of the ACM certificate of the HTTPS listener; it must be issued (validated) before the listener is created."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the KMS key (the environment's \"data\" key) encrypting the ECR repositories. Execution roles may also decrypt with it through Secrets Manager, for secrets encrypted with it (the database's master user secret)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of the KMS key (the environment's \"logs\" key) encrypting the services' log groups; its policy must let CloudWatch Logs use it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.log_kms_key_arn))
    error_message = "The log_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "log_retention_days" {
  description = "Retention of the services' log groups in days; one of the values CloudWatch Logs accepts (0 keeps logs forever)."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "access_logs_bucket" {
  description = "Name of the S3 bucket receiving the ALB access logs under the prefix \"alb\". Its policy must allow ELB log delivery and it must use SSE-S3 (ALB access logs do not support SSE-KMS)."
  type        = string
}

variable "enable_waf" {
  description = "Whether to associate web_acl_arn with the ALB. A separate switch because the ARN is usually unknown until apply."
  type        = bool
  default     = true
}

variable "web_acl_arn" {
  description = "ARN of a REGIONAL WAFv2 web ACL to associate with the ALB; required when enable_waf is true."
  type        = string
  default     = null

  validation {
    condition     = var.web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/.+$", var.web_acl_arn))
    error_message = "The web_acl_arn must be null or the ARN of a REGIONAL WAFv2 web ACL (arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>)."
  }
}

variable "deletion_protection" {
  description = "Whether the ALB has deletion protection and the ECR repositories refuse to be deleted while they hold images. Turn off only to tear an environment down."
  type        = bool
  default     = true
}

variable "services" {
  description = "Services to run, keyed by a short lowercase name such as \"api\". Per service: image (full image reference; default: this module's ECR repository at image_tag), image_tag (default \"bootstrap\"; tags are immutable, so deploy by setting a new one), cpu and memory (a valid Fargate pair), desired_count, min_count and max_count (auto scaling range; no scaling target when they are equal), container_port (default 8080), health_check_path (default \"/health\"), cpu_target_percent (auto scaling target, default 60), environment (plain variables), secrets (variable name => Secrets Manager secret ARN, optionally followed by \":<json-key>::\"), path_patterns (ALB path patterns, default [\"/*\"]), priority (listener rule priority, unique), calls (keys of the services it calls: only those paths are opened, caller to callee on the callee's container_port), tracing (sidecar \"xray\" for the X-Ray daemon or \"adot\" for the AWS Distro for OpenTelemetry collector, with its X-Ray sampling rule: reservoir_per_second requests a second, then sample_rate of the rest), gpu (GPUs per task: the service then runs on gpu_capacity_provider's EC2 instances, default 0: Fargate) and table_arns (DynamoDB tables its task role may read and write, and only those)."
  type = map(object({
    image              = optional(string)
    image_tag          = optional(string, "bootstrap")
    cpu                = number
    memory             = number
    desired_count      = number
    min_count          = number
    max_count          = number
    container_port     = optional(number, 8080)
    health_check_path  = optional(string, "/health")
    cpu_target_percent = optional(number, 60)
    environment        = optional(map(string), {})
    secrets            = optional(map(string), {})
    path_patterns      = optional(list(string), ["/*"])
    priority           = number
    gpu                = optional(number, 0)
    table_arns         = optional(list(string), [])
    calls              = optional(list(string), [])
    tracing = optional(object({
      sidecar              = string
      sample_rate          = optional(number, 0.05)
      reservoir_per_second = optional(number, 1)
    }))
  }))

  validation {
    condition     = length(var.services) > 0 && alltrue([for k in keys(var.services) : can(regex("^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$", k))])
    error_message = "The services must hold at least one service; keys must be 1-20 characters of lowercase letters, digits and hyphens."
  }

  validation {
    # Fargate's CPU/memory table (MiB); 8 and 16 vCPU need more than this module allows.
    condition = alltrue([for s in values(var.services) : contains(lookup({
      256  = [512, 1024, 2048]
      512  = [1024, 2048, 3072, 4096]
      1024 = [for m in range(2048, 8193, 1024) : m]
      2048 = [for m in range(4096, 16385, 1024) : m]
      4096 = [for m in range(8192, 30721, 1024) : m]
    }, s.cpu, []), s.memory)])
    error_message = "Each service needs a Fargate cpu/memory pair: 256 with 512, 1024 or 2048; 512 with 1024-4096; 1024 with 2048-8192; 2048 with 4096-16384; 4096 with 8192-30720 (memory in steps of 1024)."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : 0 <= s.min_count && s.min_count <= s.desired_count && s.desired_count <= s.max_count])
    error_message = "Each service needs 0 <= min_count <= desired_count <= max_count."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.container_port >= 1 && s.container_port <= 65535 && s.cpu_target_percent > 0 && s.cpu_target_percent <= 100])
    error_message = "Each service's container_port must be 1-65535 and cpu_target_percent 1-100."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.priority >= 1 && s.priority <= 50000]) && length(distinct([for s in values(var.services) : s.priority])) == length(var.services)
    error_message = "Each service needs its own listener rule priority, 1-50000."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : length(s.path_patterns) >= 1 && length(s.path_patterns) <= 5 && startswith(s.health_check_path, "/")])
    error_message = "Each service needs 1-5 path_patterns and a health_check_path starting with \"/\"."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.gpu >= 0 && s.gpu <= 8 && floor(s.gpu) == s.gpu])
    error_message = "Each service's gpu must be a whole number of GPUs from 0 to 8."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : length(setintersection(keys(s.environment), keys(s.secrets))) == 0])
    error_message = "A variable name must not be both in a service's environment and in its secrets."
  }

  validation {
    condition     = alltrue([for k, s in var.services : alltrue([for c in s.calls : contains(keys(var.services), c) && c != k])])
    error_message = "A service's calls must name other services of this module."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.tracing == null || try(contains(["xray", "adot"], s.tracing.sidecar) && s.tracing.sample_rate >= 0 && s.tracing.sample_rate <= 1 && s.tracing.reservoir_per_second >= 0, false)])
    error_message = "A service's tracing needs sidecar \"xray\" or \"adot\", a sample_rate from 0 to 1 and a reservoir_per_second of at least 0."
  }
}

variable "service_connect" {
  description = "Whether the services join a Service Connect namespace (an HTTP Cloud Map namespace named name): each is reachable by the others as http://<service key>:<container_port>, through the Service Connect proxy ECS adds to its tasks, where the security groups let it (calls)."
  type        = bool
  default     = true
}

variable "zone_id" {
  description = "ID of the Route 53 hosted zone of domain_name."
  type        = string
  default     = null
}

variable "domain_name" {
  description = "Name the API is served on, e.g. \"api.dev.clientnest.app\": an alias record (A) to the load balancer in zone_id; it must be on certificate_arn. null: no record."
  type        = string
  default     = null

  validation {
    condition     = var.domain_name == null || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "The domain_name must be null or a lowercase domain name such as \"api.dev.clientnest.app\"."
  }
}

variable "health_check" {
  description = "A Route 53 health check of https://<domain_name><path> (SNI), from Route 53's checkers in several regions every request_interval seconds (10 or 30), unhealthy after failure_threshold failures in a row (1-10); needs domain_name. Its HealthCheckStatus metric (us-east-1) is what an alarm watches. null: none."
  type = object({
    path              = optional(string, "/health")
    request_interval  = optional(number, 30)
    failure_threshold = optional(number, 3)
  })
  default = null

  validation {
    condition     = var.health_check == null || try(startswith(var.health_check.path, "/") && contains([10, 30], var.health_check.request_interval) && var.health_check.failure_threshold >= 1 && var.health_check.failure_threshold <= 10, false)
    error_message = "The health_check needs a path starting with \"/\", a request_interval of 10 or 30 and a failure_threshold of 1-10."
  }
}

variable "gpu_capacity_provider" {
  description = "Name of the ECS capacity provider of GPU instances (the gpu module's) that services with gpu > 0 run on; the cluster must have it among its capacity providers."
  type        = string
  default     = null
}

variable "github_deploy" {
  description = "When set, a deploy role per service for its team's GitHub Actions pipeline (push the image to the service's repository, register a task definition, roll out the service): named role_name_prefix plus the service's key, trusted through the account's GitHub OIDC provider (oidc_provider_arn) for the token subject only (\"repo:<owner/name>:environment:<env>\"). The services then take their running task definition from those deploys, not from terraform."
  type = object({
    oidc_provider_arn = string
    subject           = string
    role_name_prefix  = string
  })
  default = null

  validation {
    condition     = var.github_deploy == null || can(regex("^repo:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+:environment:[A-Za-z0-9_.-]+$", var.github_deploy.subject))
    error_message = "The github_deploy.subject must read \"repo:<owner>/<name>:environment:<environment>\"."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
