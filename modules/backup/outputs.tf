output "vault_name" {
  description = "Name of the backup vault (the same in the DR region, with copy)."
  value       = aws_backup_vault.this.name
}

output "vault_arn" {
  description = "ARN of the backup vault."
  value       = aws_backup_vault.this.arn
}

output "copy_vault_arn" {
  description = "ARN of the DR region's copy vault (null without copy)."
  value       = one(aws_backup_vault.copy[*].arn)
}

output "plan_id" {
  description = "ID of the backup plan."
  value       = aws_backup_plan.this.id
}

output "role_arn" {
  description = "ARN of the role AWS Backup uses to back up, copy and restore."
  value       = aws_iam_role.this.arn
}

output "restore_testing_plan_name" {
  description = "Name of the restore testing plan (null without restore_testing)."
  value       = one(aws_backup_restore_testing_plan.this[*].name)
}
