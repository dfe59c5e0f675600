output "function_arns" {
  description = "ARNs of the Lambda functions, keyed by function key."
  value       = { for k, f in aws_lambda_function.this : k => f.arn }
}

output "function_names" {
  description = "Names of the Lambda functions (\"<name>-<key>\"), keyed by function key."
  value       = { for k, f in aws_lambda_function.this : k => f.function_name }
}

output "invoke_arns" {
  description = "Invoke ARNs of the Lambda functions (for API Gateway integrations), keyed by function key."
  value       = { for k, f in aws_lambda_function.this : k => f.invoke_arn }
}

output "role_arns" {
  description = "ARNs of the functions' execution roles, keyed by function key."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}

output "dlq_arns" {
  description = "ARNs of the functions' dead-letter SQS queues, keyed by function key."
  value       = { for k, q in aws_sqs_queue.dlq : k => q.arn }
}

output "log_group_names" {
  description = "Names of the functions' CloudWatch log groups, keyed by function key."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}

output "api_id" {
  description = "ID of the HTTP API; null when the API is disabled."
  value       = one(aws_apigatewayv2_api.this[*].id)
}

output "api_endpoint" {
  description = "Base URL of the HTTP API's $default stage; null when the API is disabled."
  value       = one(aws_apigatewayv2_api.this[*].api_endpoint)
}
