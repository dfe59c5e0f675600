output "admin_role_arn" {
  description = "ARN of the admin role (assumed with MFA)."
  value       = aws_iam_role.people["admin"].arn
}

output "readonly_role_arn" {
  description = "ARN of the read-only role."
  value       = aws_iam_role.people["readonly"].arn
}

output "access_analyzer_arn" {
  description = "ARN of the account's IAM Access Analyzer."
  value       = aws_accessanalyzer_analyzer.this.arn
}

output "account_alias" {
  description = "The account's alias."
  value       = aws_iam_account_alias.this.account_alias
}
