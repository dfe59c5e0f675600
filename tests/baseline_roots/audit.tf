# The alerts topic comes from the account-alerts module in a baseline; a plain topic
# keeps this root to the audit module.
resource "aws_sns_topic" "alerts" {
  name = "clientnest-nonprod-alerts"
}

module "audit" {
  source = "./modules/audit"

  name                    = "clientnest-nonprod"
  alerts_topic_arn        = aws_sns_topic.alerts.arn
  deletion_window_in_days = 7
  force_destroy           = true
  tags                    = { Component = "baseline" }
}

output "trail_arn" {
  value = module.audit.trail_arn
}

output "alarm_names" {
  value = module.audit.alarm_names
}
