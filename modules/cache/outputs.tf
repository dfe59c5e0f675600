output "replication_group_id" {
  description = "ID of the replication group: the name followed by \"-redis\", e.g. \"clientnest-dev-redis\"."
  value       = aws_elasticache_replication_group.this.id
}

output "primary_endpoint_address" {
  description = "DNS name of the primary node (reads and writes)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "reader_endpoint_address" {
  description = "DNS name spreading reads over the replicas."
  value       = aws_elasticache_replication_group.this.reader_endpoint_address
}

output "port" {
  description = "Port Redis listens on (TLS only)."
  value       = aws_elasticache_replication_group.this.port
}

output "security_group_id" {
  description = "ID of the cache security group, named after the name followed by \"-cache\"."
  value       = aws_security_group.this.id
}

output "user_group_id" {
  description = "ID of the RBAC user group attached to the replication group."
  value       = aws_elasticache_user_group.this.user_group_id
}

output "member_clusters" {
  description = "IDs of the cache clusters (nodes) of the replication group."
  value       = tolist(aws_elasticache_replication_group.this.member_clusters)
}

output "replication_group_arn" {
  description = "ARN of the replication group; with app_user_arn, the resources of the application's elasticache:Connect permission."
  value       = aws_elasticache_replication_group.this.arn
}

output "app_user_name" {
  description = "User name (equal to the user ID) the application authenticates as with an IAM token."
  value       = aws_elasticache_user.app.user_name
}

output "app_user_arn" {
  description = "ARN of the IAM-authenticated application user."
  value       = aws_elasticache_user.app.arn
}
