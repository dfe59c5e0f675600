output "table_names" {
  description = "Names of the tables (\"<name>-<key>\"), by key: the TableName dimension of their CloudWatch metrics."
  value       = { for key, table in aws_dynamodb_table.this : key => table.name }
}

output "table_arns" {
  description = "ARNs of the tables, by key: grant an application access to exactly the tables it names (and their indexes, \"<arn>/index/*\")."
  value       = { for key, table in aws_dynamodb_table.this : key => table.arn }
}
