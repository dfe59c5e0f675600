output "trail_arn" {
  description = "ARN of the multi-region trail."
  value       = aws_cloudtrail.this.arn
}

output "trail_name" {
  description = "Name of the trail (\"<name>-cloudtrail\")."
  value       = aws_cloudtrail.this.name
}

output "bucket_name" {
  description = "Name of the bucket holding the log files."
  value       = module.bucket.id
}

output "bucket_arn" {
  description = "ARN of the bucket holding the log files."
  value       = module.bucket.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the log files, the bucket and the log group; readers of the logs need kms:Decrypt on it."
  value       = aws_kms_key.this.arn
}

output "log_group_name" {
  description = "Name of the CloudWatch Logs log group receiving the trail's events."
  value       = aws_cloudwatch_log_group.this.name
}

output "alarm_names" {
  description = "Names of the CIS alarms, by key (e.g. \"root-account-usage\")."
  value       = { for k, a in aws_cloudwatch_metric_alarm.cis : k => a.alarm_name }
}
