output "alb_arn" {
  description = "ARN of the application load balancer."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the load balancer, the LoadBalancer dimension of its CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the load balancer, the target of the environment's alias records."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Route 53 hosted zone ID of the load balancer, for alias records."
  value       = aws_lb.this.zone_id
}

output "alb_security_group_id" {
  description = "ID of the load balancer's security group."
  value       = aws_security_group.alb.id
}

output "service_security_group_id" {
  description = "ID of the tasks' security group, to allow in the security groups of databases and caches."
  value       = aws_security_group.service.id
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "service_names" {
  description = "ECS service names, by service key."
  value       = { for k, s in aws_ecs_service.this : k => s.name }
}

output "ecr_repository_urls" {
  description = "ECR repository URLs to push images to, by service key."
  value       = { for k, r in aws_ecr_repository.this : k => r.repository_url }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffixes (the TargetGroup dimension of CloudWatch metrics), by service key."
  value       = { for k, tg in aws_lb_target_group.this : k => tg.arn_suffix }
}

output "task_role_arns" {
  description = "ARNs of the task (application) roles, by service key; attach the permissions an application needs to these."
  value       = { for k, r in aws_iam_role.task : k => r.arn }
}

output "execution_role_arns" {
  description = "ARNs of the task execution roles, by service key."
  value       = { for k, r in aws_iam_role.execution : k => r.arn }
}

output "log_group_names" {
  description = "CloudWatch log group names of the services' containers, by service key."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}

output "deploy_role_arns" {
  description = "ARNs of the services' deploy roles, by service key (empty without github_deploy)."
  value       = { for k, r in aws_iam_role.deploy : k => r.arn }
}

output "service_connect_namespace_arn" {
  description = "ARN of the Service Connect (Cloud Map HTTP) namespace; null without service_connect."
  value       = one(aws_service_discovery_http_namespace.this[*].arn)
}

output "peer_security_group_ids" {
  description = "IDs of the services' own security groups (the paths between services declared by calls), by service key."
  value       = { for k, g in aws_security_group.peer : k => g.id }
}

output "api_fqdn" {
  description = "Name of the alias record to the load balancer (null without domain_name)."
  value       = one(aws_route53_record.this[*].fqdn)
}

output "health_check_id" {
  description = "ID of the Route 53 health check of the API (null without health_check), the HealthCheckId dimension of its metrics."
  value       = one(aws_route53_health_check.this[*].id)
}
