output "id" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.id
}

output "arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "policy_id" {
  description = "ID of the bucket policy (the bucket's name); reference it to depend on the policy being in place, e.g. before a service is told to deliver into the bucket."
  value       = aws_s3_bucket_policy.this.id
}
