data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  acl_name       = "${var.name}-${lower(var.scope)}"
  log_group_name = "aws-waf-logs-${local.acl_name}"

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  # CloudWatch metric names allow no hyphens.
  metric_prefix = replace(local.acl_name, "-", "_")
}

################################################################################
# Web ACL
################################################################################

resource "aws_wafv2_web_acl" "this" {
  name        = local.acl_name
  description = "Managed rule groups and a per-IP rate limit for ${var.name} (${var.scope})."
  scope       = var.scope

  default_action {
    allow {}
  }

  # A flooding client is blocked before any managed rule group is evaluated for it.
  rule {
    name     = "rate-limit-per-ip"
    priority = 0

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.rate_limit
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${local.metric_prefix}_rate_limit_per_ip"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = var.managed_rule_groups

    content {
      name     = rule.value
      priority = rule.key + 1

      # none keeps each managed rule's own action (block); count would only observe.
      override_action {
        none {}
      }

      statement {
        managed_rule_group_statement {
          name        = rule.value
          vendor_name = "AWS"
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${local.metric_prefix}_${rule.value}"
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = local.metric_prefix
    sampled_requests_enabled   = true
  }

  tags = merge(var.tags, { Name = local.acl_name })

  lifecycle {
    precondition {
      condition     = var.scope != "CLOUDFRONT" || local.region == "us-east-1"
      error_message = "A CLOUDFRONT web ACL must be created in us-east-1: pass a provider configured for us-east-1 to this module."
    }
  }
}

################################################################################
# Logging
################################################################################

# The key is looked up rather than its ARN used as given: a missing key then fails at
# plan time (once the ARN is known), and plan scanners, which cannot follow an unknown
# ARN through a module variable, see that a customer managed key stands behind kms_key_id.
data "aws_kms_key" "log" {
  key_id = var.log_kms_key_arn

  lifecycle {
    precondition {
      # Checked at apply when the key is created in the same run.
      condition     = split(":", var.log_kms_key_arn)[3] == local.region
      error_message = "The log_kms_key_arn must name a key in the log group's region (us-east-1 for a CLOUDFRONT web ACL)."
    }
  }
}

resource "aws_cloudwatch_log_group" "this" {
  # WAF only delivers to log groups whose names start with "aws-waf-logs-".
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = data.aws_kms_key.log.arn

  tags = merge(var.tags, { Name = local.log_group_name })
}

# Without a policy of its own, WAF adds its log delivery to a shared, unmanaged
# account-wide resource policy; this one grants only what this log group needs.
data "aws_iam_policy_document" "log_delivery" {
  statement {
    sid       = "WafLogDelivery"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:*"]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:*"]
    }
  }
}

resource "aws_cloudwatch_log_resource_policy" "this" {
  policy_name     = "${local.log_group_name}-delivery"
  policy_document = data.aws_iam_policy_document.log_delivery.json
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.this.arn]

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  redacted_fields {
    single_header {
      name = "cookie"
    }
  }

  depends_on = [aws_cloudwatch_log_resource_policy.this]
}
