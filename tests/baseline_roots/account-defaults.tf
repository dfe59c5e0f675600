module "defaults" {
  source = "./modules/account-defaults"

  name                    = "clientnest-nonprod"
  deletion_window_in_days = 7
  tags                    = { Component = "baseline" }
}

output "ebs_kms_key_arn" {
  value = module.defaults.ebs_kms_key_arn
}
