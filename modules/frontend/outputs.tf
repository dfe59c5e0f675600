output "distribution_id" {
  description = "ID of the CloudFront distribution (for cache invalidations after a deployment)."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_arn" {
  description = "ARN of the CloudFront distribution."
  value       = aws_cloudfront_distribution.this.arn
}

output "distribution_domain_name" {
  description = "CloudFront domain name of the distribution, e.g. \"d111111abcdef8.cloudfront.net\"."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "bucket_id" {
  description = "Name (ID) of the origin bucket the site's files are uploaded to."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the origin bucket."
  value       = aws_s3_bucket.this.arn
}

output "certificate_arn" {
  description = "ARN of the validated us-east-1 ACM certificate of domain_name."
  value       = aws_acm_certificate_validation.this.certificate_arn
}

output "deploy_role_arn" {
  description = "ARN of the frontend team's deploy role (null without github_deploy)."
  value       = one(aws_iam_role.deploy[*].arn)
}

output "replica_bucket_id" {
  description = "Name (ID) of the origin bucket's replica in the failover region (null without failover); deployments write the primary only."
  value       = one(aws_s3_bucket.replica[*].id)
}

output "health_check_id" {
  description = "ID of the Route 53 health check of the site (null without health_check), the HealthCheckId dimension of its metrics."
  value       = one(aws_route53_health_check.this[*].id)
}
