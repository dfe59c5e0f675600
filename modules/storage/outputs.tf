output "bucket_ids" {
  description = "Names (IDs) of the data buckets, by bucket key."
  value       = { for k, b in aws_s3_bucket.this : k => b.id }
}

output "bucket_arns" {
  description = "ARNs of the data buckets, by bucket key."
  value       = { for k, b in aws_s3_bucket.this : k => b.arn }
}

output "bucket_regional_domain_names" {
  description = "Regional domain names of the data buckets (for CloudFront origins), by bucket key."
  value       = { for k, b in aws_s3_bucket.this : k => b.bucket_regional_domain_name }
}

# The log bucket outputs wait for the bucket policy, so that a load balancer, distribution
# or bucket that logs here is only configured once the delivering service may write.
output "log_bucket_id" {
  description = "Name (ID) of the log bucket; available once its bucket policy is in place."
  value       = aws_s3_bucket.logs.id
  depends_on  = [aws_s3_bucket_policy.logs]
}

output "log_bucket_arn" {
  description = "ARN of the log bucket; available once its bucket policy is in place."
  value       = aws_s3_bucket.logs.arn
  depends_on  = [aws_s3_bucket_policy.logs]
}

output "log_bucket_domain_name" {
  description = "Domain name of the log bucket (\"<bucket>.s3.amazonaws.com\"); available once its bucket policy is in place."
  value       = aws_s3_bucket.logs.bucket_domain_name
  depends_on  = [aws_s3_bucket_policy.logs]
}

output "replica_bucket_arns" {
  description = "ARNs of the data buckets' replicas in the replica region, by bucket key (empty without replication)."
  value       = { for k, b in aws_s3_bucket.replica : k => b.arn }
}

output "replica_bucket_ids" {
  description = "Names (IDs) of the data buckets' replicas in the replica region, by bucket key (empty without replication)."
  value       = { for k, b in aws_s3_bucket.replica : k => b.id }
}

output "replica_log_bucket_id" {
  description = "Name (ID) of the replica region's log bucket (null without replication)."
  value       = one(aws_s3_bucket.replica_logs[*].id)
}
