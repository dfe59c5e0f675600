output "region" {
  description = "The DR region (the aws.dr provider's)."
  value       = data.aws_region.dr.name
}

output "db_backups_replication_arn" {
  description = "ARN of the database's replicated automated backups in the DR region, the source of a restore there (null when not replicated)."
  value       = one(aws_db_instance_automated_backups_replication.this[*].id)
}

output "ecr_replication_registry_id" {
  description = "Registry (account) whose replication configuration copies the repositories to the DR region (null when none)."
  value       = one(aws_ecr_replication_configuration.this[*].registry_id)
}
