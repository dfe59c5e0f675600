module "config" {
  source = "./modules/config"

  name                    = "clientnest-nonprod"
  is_home_region          = true
  deletion_window_in_days = 7
  force_destroy           = true
  tags                    = { Component = "baseline" }
}

output "rule_names" {
  value = module.config.rule_names
}
