output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "azs" {
  description = "Availability zones used, in subnet order."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, in AZ order."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, in AZ order."
  value       = aws_subnet.private[*].id
}

output "public_route_table_id" {
  description = "ID of the public route table."
  value       = aws_route_table.public.id
}

output "private_route_table_ids" {
  description = "IDs of the private route tables (one per AZ in per_az mode, otherwise one)."
  value       = aws_route_table.private[*].id
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways (empty when nat_gateway_mode is \"none\")."
  value       = aws_nat_gateway.this[*].id
}

output "nat_public_ips" {
  description = "Public IPs of the NAT gateways' Elastic IPs."
  value       = aws_eip.nat[*].public_ip
}

output "internet_gateway_id" {
  description = "ID of the internet gateway."
  value       = aws_internet_gateway.this.id
}

output "default_security_group_id" {
  description = "ID of the VPC's default security group (rule-free when manage_default_security_group is true)."
  value       = aws_vpc.this.default_security_group_id
}

output "flow_log_id" {
  description = "ID of the VPC flow log; null when flow logs are disabled."
  value       = one(aws_flow_log.this[*].id)
}

output "flow_log_group_name" {
  description = "Name of the flow log CloudWatch log group; null when flow logs are disabled."
  value       = one(aws_cloudwatch_log_group.flow_log[*].name)
}

output "flow_log_kms_key_arn" {
  description = "ARN of the KMS key encrypting the flow log group (created or given); null when flow logs are disabled."
  value       = one(aws_cloudwatch_log_group.flow_log[*].kms_key_id)
}

output "public_network_acl_id" {
  description = "ID of the public subnets' network ACL; null when manage_network_acls is false."
  value       = one(aws_network_acl.public[*].id)
}

output "private_network_acl_id" {
  description = "ID of the private subnets' network ACL; null when manage_network_acls is false."
  value       = one(aws_network_acl.private[*].id)
}
