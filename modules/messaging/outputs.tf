output "queue_urls" {
  description = "URLs of the queues, by key."
  value       = { for key, queue in aws_sqs_queue.this : key => queue.url }
}

output "queue_arns" {
  description = "ARNs of the queues, by key."
  value       = { for key, queue in aws_sqs_queue.this : key => queue.arn }
}

output "queue_names" {
  description = "Names of the queues (\"<name>-<key>\"), by key."
  value       = { for key, queue in aws_sqs_queue.this : key => queue.name }
}

output "dlq_arns" {
  description = "ARNs of the dead-letter queues, by queue key."
  value       = { for key, queue in aws_sqs_queue.dlq : key => queue.arn }
}

output "dlq_names" {
  description = "Names of the dead-letter queues (\"<name>-<key>-dlq\"), by queue key."
  value       = { for key, queue in aws_sqs_queue.dlq : key => queue.name }
}

output "topic_arns" {
  description = "ARNs of the topics, by key."
  value       = { for key, topic in aws_sns_topic.this : key => topic.arn }
}
