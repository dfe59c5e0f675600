output "key_arns" {
  description = "ARNs of the keys, by purpose."
  value       = { for purpose, key in aws_kms_key.this : purpose => key.arn }
}

output "key_ids" {
  description = "IDs of the keys, by purpose."
  value       = { for purpose, key in aws_kms_key.this : purpose => key.key_id }
}

output "alias_names" {
  description = "Alias names of the keys (\"alias/<name>-<purpose>\"), by purpose."
  value       = { for purpose, alias in aws_kms_alias.this : purpose => alias.name }
}
