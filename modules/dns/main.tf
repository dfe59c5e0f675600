locals {
  # Full names, known at plan time: they key the validation records, whereas the
  # certificate's domain_validation_options are only known after it is requested.
  certificate_domain_names = [for n in var.certificate_names : "${n}.${var.domain_name}"]

  validation_options = { for o in flatten(aws_acm_certificate.this[*].domain_validation_options) : o.domain_name => o }
}

################################################################################
# Hosted zone
################################################################################

# force_destroy stays false: deleting the zone with records still in it would take the
# environment's names offline and give the zone new name servers on re-creation.
resource "aws_route53_zone" "this" {
  name          = var.domain_name
  comment       = "Public zone of ${var.name}, managed by Terraform"
  force_destroy = false

  tags = merge(var.tags, { Name = var.domain_name })
}

################################################################################
# Regional ACM certificate (load balancer)
################################################################################

# One certificate covering every name, so the load balancer's HTTPS listener needs a
# single default certificate; none when no name is asked for.
resource "aws_acm_certificate" "this" {
  count = length(var.certificate_names) > 0 ? 1 : 0

  domain_name               = local.certificate_domain_names[0]
  subject_alternative_names = slice(local.certificate_domain_names, 1, length(local.certificate_domain_names))
  validation_method         = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  tags = merge(var.tags, { Name = "${var.name}-${var.certificate_names[0] == "*" ? "wildcard" : var.certificate_names[0]}" })

  # A listener keeps using the old certificate until the new one exists.
  lifecycle {
    create_before_destroy = true
  }
}

# allow_overwrite: a wildcard and the name under it ("*.x" and "x") share one record.
resource "aws_route53_record" "validation" {
  for_each = toset(local.certificate_domain_names)

  zone_id         = aws_route53_zone.this.zone_id
  name            = local.validation_options[each.key].resource_record_name
  type            = local.validation_options[each.key].resource_record_type
  records         = [local.validation_options[each.key].resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count = var.wait_for_validation && length(var.certificate_names) > 0 ? 1 : 0

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}
