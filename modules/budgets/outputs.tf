output "account_budget_name" {
  description = "Name of the account's monthly cost budget."
  value       = aws_budgets_budget.account.name
}

output "environment_budget_names" {
  description = "Names of the per-environment monthly budgets, by environment."
  value       = { for env, b in aws_budgets_budget.environment : env => b.name }
}

output "anomaly_monitor_arn" {
  description = "ARN of the cost anomaly monitor over all AWS services."
  value       = aws_ce_anomaly_monitor.services.arn
}
