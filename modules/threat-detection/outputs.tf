output "guardduty_detector_id" {
  description = "ID of the GuardDuty detector."
  value       = aws_guardduty_detector.this.id
}

output "securityhub_standards_arns" {
  description = "ARNs of the Security Hub standards subscribed to, by key."
  value       = { for k, s in aws_securityhub_standards_subscription.this : k => s.standards_arn }
}

output "event_rule_names" {
  description = "Names of the EventBridge rules that forward findings to the alerts topic."
  value       = concat([aws_cloudwatch_event_rule.guardduty.name], aws_cloudwatch_event_rule.securityhub[*].name)
}
