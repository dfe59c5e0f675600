variable "name" {
  description = "Lowercase prefix of the queue and topic names, e.g. \"clientnest-dev\" gives \"clientnest-dev-<key>\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$", var.name))
    error_message = "The name must be 1-48 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the queues and topics (the \"data\" key of the kms module). May be unknown at plan time."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)."
  }
}

variable "queues" {
  description = "Standard SQS queues by key: each becomes \"<name>-<key>\" with a dead-letter queue \"<name>-<key>-dlq\" that receives a message after max_receive_count failed receives. Times are in seconds."
  type = map(object({
    visibility_timeout_seconds = optional(number, 30)
    message_retention_seconds  = optional(number, 345600)
    max_receive_count          = optional(number, 5)
    dlq_retention_seconds      = optional(number, 1209600)
    delay_seconds              = optional(number, 0)
  }))
  default = {}

  validation {
    condition     = alltrue([for key in keys(var.queues) : can(regex("^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$", key))])
    error_message = "The queues keys must be lowercase letters, digits, hyphens and underscores, starting and ending with a letter or digit."
  }

  validation {
    condition = alltrue([for q in values(var.queues) : (
      q.visibility_timeout_seconds >= 0 && q.visibility_timeout_seconds <= 43200 &&
      q.message_retention_seconds >= 60 && q.message_retention_seconds <= 1209600 &&
      q.dlq_retention_seconds >= 60 && q.dlq_retention_seconds <= 1209600 &&
      q.delay_seconds >= 0 && q.delay_seconds <= 900 &&
      q.max_receive_count >= 1 && q.max_receive_count <= 1000
    )])
    error_message = "Each queue needs visibility_timeout_seconds 0-43200, message_retention_seconds and dlq_retention_seconds 60-1209600, delay_seconds 0-900 and max_receive_count 1-1000."
  }

  validation {
    # A message keeps its original enqueue time in the dead-letter queue, so a shorter
    # retention there would drop failed messages before anyone can look at them.
    condition     = alltrue([for q in values(var.queues) : q.dlq_retention_seconds >= q.message_retention_seconds])
    error_message = "Each queue's dlq_retention_seconds must be at least its message_retention_seconds."
  }
}

variable "topics" {
  description = "SNS topics by key: each becomes \"<name>-<key>\". subscriptions are external endpoints (protocol email, email-json, https, lambda, sms, sqs or application); queue_subscriptions names keys of var.queues that receive the topic's messages (raw delivery)."
  type = map(object({
    subscriptions = optional(list(object({
      protocol = string
      endpoint = string
    })), [])
    queue_subscriptions = optional(list(string), [])
  }))
  default = {}

  validation {
    condition     = alltrue([for key in keys(var.topics) : can(regex("^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$", key))])
    error_message = "The topics keys must be lowercase letters, digits, hyphens and underscores, starting and ending with a letter or digit."
  }

  validation {
    # Plain http would deliver messages unencrypted; firehose needs a role this module does not take.
    condition = alltrue(flatten([for t in values(var.topics) : [
      for s in t.subscriptions : contains(["email", "email-json", "https", "lambda", "sms", "sqs", "application"], s.protocol)
    ]]))
    error_message = "Each subscription protocol must be one of email, email-json, https, lambda, sms, sqs or application."
  }

  validation {
    condition     = alltrue([for t in values(var.topics) : length(distinct(t.queue_subscriptions)) == length(t.queue_subscriptions)])
    error_message = "A topic's queue_subscriptions must not repeat a queue."
  }
}

variable "tags" {
  description = "Tags merged into the tags of every resource."
  type        = map(string)
  default     = {}
}
