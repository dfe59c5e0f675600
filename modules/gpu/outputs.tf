# The capacity provider's name waits for its association with the cluster: ECS refuses a
# service whose capacity provider strategy names a provider the cluster does not have.
output "capacity_provider_name" {
  description = "Name of the GPU capacity provider, once the cluster has it: the capacity provider strategy of services that need GPUs."
  value       = aws_ecs_capacity_provider.this.name
  depends_on  = [aws_ecs_cluster_capacity_providers.this]
}

output "autoscaling_group_name" {
  description = "Name of the auto scaling group of GPU instances (the AutoScalingGroupName dimension of its metrics)."
  value       = aws_autoscaling_group.this.name
}

output "launch_template_id" {
  description = "ID of the launch template."
  value       = aws_launch_template.this.id
}

output "security_group_id" {
  description = "ID of the instances' security group (no inbound rules)."
  value       = aws_security_group.this.id
}

output "instance_role_arn" {
  description = "ARN of the instances' role (ECS and SSM agents)."
  value       = aws_iam_role.instance.arn
}
