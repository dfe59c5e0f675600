output "recorder_name" {
  description = "Name of the configuration recorder."
  value       = aws_config_configuration_recorder.this.name
}

output "role_arn" {
  description = "ARN of the IAM role the recorder uses."
  value       = aws_iam_role.this.arn
}

output "bucket_name" {
  description = "Name of the bucket Config delivers to (created here or given)."
  value       = aws_config_delivery_channel.this.s3_bucket_name
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts deliveries (created here, or bucket_kms_key_arn)."
  value       = local.kms_key_arn
}

output "rule_names" {
  description = "Names of the AWS managed Config rules the module created."
  value       = sort([for r in aws_config_config_rule.this : r.name])
}
