output "secret_arns" {
  description = "ARNs of the secrets, by key."
  value       = { for key, secret in aws_secretsmanager_secret.this : key => secret.arn }
}

output "secret_names" {
  description = "Names of the secrets (\"<name>/<key>\"), by key."
  value       = { for key, secret in aws_secretsmanager_secret.this : key => secret.name }
}
