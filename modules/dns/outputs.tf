output "zone_id" {
  description = "ID of the public hosted zone."
  value       = aws_route53_zone.this.zone_id
}

output "zone_name" {
  description = "Domain name of the hosted zone."
  value       = aws_route53_zone.this.name
}

output "name_servers" {
  description = "Name servers of the hosted zone: delegate domain_name to them (NS records in the parent zone)."
  value       = aws_route53_zone.this.name_servers
}

output "certificate_arn" {
  description = "ARN of the regional ACM certificate (null without certificate_names); the validated certificate when wait_for_validation is true, so a listener using it is only created once it is issued."
  value       = length(var.certificate_names) == 0 ? null : var.wait_for_validation ? aws_acm_certificate_validation.this[0].certificate_arn : aws_acm_certificate.this[0].arn
}

output "certificate_domain_names" {
  description = "Domain names the regional certificate covers, its domain name first."
  value       = local.certificate_domain_names
}
