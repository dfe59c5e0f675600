output "endpoint_names" {
  description = "Names of the endpoints (the EndpointName dimension of their metrics), by key."
  value       = { for key, endpoint in aws_sagemaker_endpoint.this : key => endpoint.name }
}

output "endpoint_arns" {
  description = "ARNs of the endpoints, by key: grant callers sagemaker:InvokeEndpoint on them."
  value       = { for key, endpoint in aws_sagemaker_endpoint.this : key => endpoint.arn }
}

output "model_package_group_names" {
  description = "Names of the model package groups (model versions registry), by endpoint key."
  value       = { for key, group in aws_sagemaker_model_package_group.this : key => group.model_package_group_name }
}

output "repository_urls" {
  description = "ECR repository URLs to push each endpoint's model images to, by endpoint key."
  value       = { for key, repository in aws_ecr_repository.this : key => repository.repository_url }
}

output "bucket_id" {
  description = "Name of the bucket of model data (models/<endpoint>/<version>/model.tar.gz) and captured data (capture/<endpoint>/)."
  value       = module.bucket.id
}

output "security_group_id" {
  description = "ID of the endpoints' security group (no inbound rules)."
  value       = aws_security_group.this.id
}
