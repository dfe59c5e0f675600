module "identity" {
  source = "./modules/identity"

  name                    = "clientnest-nonprod"
  account_alias           = "clientnest-nonprod"
  admin_principal_arns    = ["arn:aws:iam::222222222222:root"]
  readonly_principal_arns = ["arn:aws:iam::222222222222:root"]
  tags                    = { Component = "baseline" }
}

output "admin_role_arn" {
  value = module.identity.admin_role_arn
}

output "access_analyzer_arn" {
  value = module.identity.access_analyzer_arn
}
