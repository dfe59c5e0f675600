output "db_instance_identifier" {
  description = "Identifier of the DB instance: the name followed by \"-postgres\", e.g. \"clientnest-dev-postgres\"."
  value       = aws_db_instance.this.identifier
}

output "db_instance_arn" {
  description = "ARN of the DB instance."
  value       = aws_db_instance.this.arn
}

output "endpoint" {
  description = "Connection endpoint of the DB instance, address and port joined by a colon."
  value       = aws_db_instance.this.endpoint
}

output "address" {
  description = "DNS name of the DB instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port PostgreSQL listens on."
  value       = aws_db_instance.this.port
}

output "db_name" {
  description = "Name of the database created with the instance."
  value       = aws_db_instance.this.db_name
}

output "security_group_id" {
  description = "ID of the database security group, named after the name followed by \"-db\"."
  value       = aws_security_group.this.id
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret RDS manages for the master user (the ARN only; the password never passes through Terraform)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "parameter_group_name" {
  description = "Name of the DB parameter group."
  value       = aws_db_parameter_group.this.name
}

output "db_instance_resource_id" {
  description = "Resource ID of the DB instance (db-...), used in rds-db:connect ARNs for IAM database authentication."
  value       = aws_db_instance.this.resource_id
}
