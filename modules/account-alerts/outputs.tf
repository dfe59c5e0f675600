output "topic_arn" {
  description = "ARN of the alerts SNS topic; give it to the audit, threat-detection and budgets modules."
  value       = aws_sns_topic.this.arn
}

output "topic_name" {
  description = "Name of the alerts SNS topic (\"<name>-alerts\")."
  value       = aws_sns_topic.this.name
}

output "kms_key_arn" {
  description = "ARN of the customer managed KMS key that encrypts the topic."
  value       = aws_kms_key.this.arn
}

output "kms_alias_name" {
  description = "Alias of the topic's KMS key (\"alias/<name>-alerts\")."
  value       = aws_kms_alias.this.name
}
