# The whole account baseline of the nonprod account, as one root: every module,
# wired the way a generated baseline root wires them.
locals {
  name   = "clientnest-nonprod"
  emails = ["cloud@clientnest.example"]
  tags   = { Component = "baseline" }
}

module "alerts" {
  source = "./modules/account-alerts"

  name                    = local.name
  emails                  = local.emails
  deletion_window_in_days = 7
  tags                    = local.tags
}

module "audit" {
  source = "./modules/audit"

  name                    = local.name
  alerts_topic_arn        = module.alerts.topic_arn
  deletion_window_in_days = 7
  force_destroy           = true
  tags                    = local.tags
}

module "config" {
  source = "./modules/config"

  name                    = local.name
  is_home_region          = true
  deletion_window_in_days = 7
  force_destroy           = true
  tags                    = local.tags
}

module "threat_detection" {
  source = "./modules/threat-detection"

  name             = local.name
  alerts_topic_arn = module.alerts.topic_arn
  tags             = local.tags

  # Security Hub's controls evaluate the resources Config records.
  depends_on = [module.config]
}

module "identity" {
  source = "./modules/identity"

  name                    = local.name
  account_alias           = local.name
  admin_principal_arns    = ["arn:aws:iam::222222222222:role/cloud-engineer"]
  readonly_principal_arns = ["arn:aws:iam::222222222222:role/product-teams"]
  tags                    = local.tags
}

module "ci" {
  source = "./modules/ci-identities"

  name              = local.name
  github_repository = "clientnest/platform"
  environments = {
    for env in ["dev", "staging"] : env => {
      state_bucket_arn = "arn:aws:s3:::clientnest-tfstate-111111111111"
      lock_table_arn   = "arn:aws:dynamodb:us-east-1:111111111111:table/clientnest-tflock"
    }
  }
  tags = local.tags
}

module "defaults" {
  source = "./modules/account-defaults"

  name                    = local.name
  deletion_window_in_days = 7
  tags                    = local.tags
}

module "budgets" {
  source = "./modules/budgets"

  name                = local.name
  monthly_limit_usd   = 1500
  environment_budgets = { dev = 400, staging = 600 }
  alerts_topic_arn    = module.alerts.topic_arn
  emails              = local.emails
  tags                = local.tags
}

output "alerts_topic_arn" {
  value = module.alerts.topic_arn
}

output "trail_arn" {
  value = module.audit.trail_arn
}
