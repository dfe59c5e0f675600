################################################################################
# The API's name: an alias record to the load balancer, and a health check of it
################################################################################

resource "aws_route53_record" "this" {
  count = var.domain_name == null ? 0 : 1

  zone_id = var.zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }

  lifecycle {
    precondition {
      condition     = var.zone_id != null
      error_message = "The zone_id must be set with domain_name."
    }
  }
}

resource "aws_route53_health_check" "this" {
  count = var.domain_name != null && var.health_check != null ? 1 : 0

  fqdn              = var.domain_name
  type              = "HTTPS"
  port              = 443
  resource_path     = var.health_check.path
  enable_sni        = true
  request_interval  = var.health_check.request_interval
  failure_threshold = var.health_check.failure_threshold

  tags = merge(var.tags, { Name = var.name })
}
