output "alerts_topic_arn" {
  description = "ARN of the alerts SNS topic that every alarm notifies."
  value       = aws_sns_topic.this.arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "alarm_names" {
  description = "Names of all CloudWatch alarms the module creates."
  value = concat(
    [for a in values(aws_cloudwatch_metric_alarm.this) : a.alarm_name],
    [for a in values(aws_cloudwatch_metric_alarm.math) : a.alarm_name],
    [for a in values(aws_cloudwatch_composite_alarm.this) : a.alarm_name],
  )
}

output "log_group_names" {
  description = "Names of the log groups created from log_groups, keyed by the requested name (reference an entry to depend on the group's creation)."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}
