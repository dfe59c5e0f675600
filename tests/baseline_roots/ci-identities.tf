module "ci" {
  source = "./modules/ci-identities"

  name              = "clientnest-nonprod"
  github_repository = "clientnest/platform"
  environments = {
    dev = {
      state_bucket_arn = "arn:aws:s3:::clientnest-tfstate-111111111111"
      lock_table_arn   = "arn:aws:dynamodb:us-east-1:111111111111:table/clientnest-tflock"
    }
    staging = {
      state_bucket_arn        = "arn:aws:s3:::clientnest-tfstate-111111111111"
      lock_table_arn          = "arn:aws:dynamodb:us-east-1:111111111111:table/clientnest-tflock"
      state_kms_key_arn       = "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000"
      plan_github_environment = "staging-plan"
    }
  }
  tags = { Component = "baseline" }
}

output "plan_role_arns" {
  value = module.ci.plan_role_arns
}

output "apply_role_arns" {
  value = module.ci.apply_role_arns
}
