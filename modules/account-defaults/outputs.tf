output "ebs_kms_key_arn" {
  description = "ARN of the KMS key that encrypts new EBS volumes by default in this region."
  value       = aws_kms_key.ebs.arn
}

output "ebs_kms_alias_name" {
  description = "Alias of the EBS default key (\"alias/<name>-ebs\")."
  value       = aws_kms_alias.ebs.name
}
