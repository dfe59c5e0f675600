output "oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC identity provider."
  value       = aws_iam_openid_connect_provider.github.arn
}

output "plan_role_arns" {
  description = "ARNs of the plan roles, by environment (for the workflows' role-to-assume)."
  value       = { for env in keys(var.environments) : env => aws_iam_role.this["${env}-plan"].arn }
}

output "apply_role_arns" {
  description = "ARNs of the apply roles, by environment (for the workflows' role-to-assume)."
  value       = { for env in keys(var.environments) : env => aws_iam_role.this["${env}-apply"].arn }
}
