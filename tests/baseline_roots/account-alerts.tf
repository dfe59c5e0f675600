module "alerts" {
  source = "./modules/account-alerts"

  name                    = "clientnest-nonprod"
  emails                  = ["cloud@clientnest.example", "oncall@clientnest.example"]
  deletion_window_in_days = 7
  tags                    = { Component = "baseline" }
}

output "topic_arn" {
  value = module.alerts.topic_arn
}

output "kms_key_arn" {
  value = module.alerts.kms_key_arn
}
