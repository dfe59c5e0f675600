resource "aws_sns_topic" "alerts" {
  name = "clientnest-nonprod-alerts"
}

module "budgets" {
  source = "./modules/budgets"

  name                = "clientnest-nonprod"
  monthly_limit_usd   = 1500
  environment_budgets = { dev = 400, staging = 600 }
  alerts_topic_arn    = aws_sns_topic.alerts.arn
  emails              = ["cloud@clientnest.example", "finance@clientnest.example"]
  tags                = { Component = "baseline" }
}

output "anomaly_monitor_arn" {
  value = module.budgets.anomaly_monitor_arn
}
