output "instance_profile_names" {
  description = "Instance profile each host group's instances use (Systems Manager only), by group (groups with instance_profile only)."
  value       = { for k, p in aws_iam_instance_profile.this : k => p.name }
}

output "host_role_names" {
  description = "Role of each host group's instance profile, by group (groups with instance_profile only): attach what the hosts' software needs to it."
  value       = { for k, r in aws_iam_role.host : k => r.name }
}

output "patch_groups" {
  description = "The \"Patch Group\" tag value each host group's instances carry, by group."
  value       = local.patch_groups
}

output "maintenance_window_id" {
  description = "ID of the patching maintenance window."
  value       = aws_ssm_maintenance_window.this.id
}

output "session_document_name" {
  description = "Session Manager document to start sessions with (encrypted, logged)."
  value       = aws_ssm_document.session.name
}

output "session_log_group_name" {
  description = "Log group that records every session."
  value       = aws_cloudwatch_log_group.this["sessions"].name
}

output "host_policy_json" {
  description = "The policy a host's role needs besides AmazonSSMManagedInstanceCore (encrypted sessions, session and patching logs): attach it to the roles of groups without instance_profile."
  value       = data.aws_iam_policy_document.host.json
}
