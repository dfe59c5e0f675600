locals {
  notifications = {
    forecasted = { type = "FORECASTED", threshold = var.forecast_threshold_percent }
    actual     = { type = "ACTUAL", threshold = var.actual_threshold_percent }
  }
}

################################################################################
# Budgets
################################################################################

resource "aws_budgets_budget" "account" {
  name         = "${var.name}-monthly"
  budget_type  = "COST"
  limit_amount = format("%.2f", var.monthly_limit_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  dynamic "notification" {
    for_each = local.notifications

    content {
      notification_type          = notification.value.type
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value.threshold
      threshold_type             = "PERCENTAGE"
      subscriber_email_addresses = var.emails
      subscriber_sns_topic_arns  = [var.alerts_topic_arn]
    }
  }

  tags = var.tags
}

# Costs of resources carrying the cost allocation tag <tag>=<environment>; the tag
# must be activated as a cost allocation tag in the Billing console first.
resource "aws_budgets_budget" "environment" {
  for_each = var.environment_budgets

  name         = "${var.name}-${each.key}-monthly"
  budget_type  = "COST"
  limit_amount = format("%.2f", each.value)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = [format("user:%s$%s", var.cost_allocation_tag, each.key)]
  }

  dynamic "notification" {
    for_each = local.notifications

    content {
      notification_type          = notification.value.type
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value.threshold
      threshold_type             = "PERCENTAGE"
      subscriber_email_addresses = var.emails
      subscriber_sns_topic_arns  = [var.alerts_topic_arn]
    }
  }

  tags = merge(var.tags, { (var.cost_allocation_tag) = each.key })
}

################################################################################
# Cost anomaly detection
################################################################################

# One monitor across all AWS services; AWS allows one such monitor per account.
resource "aws_ce_anomaly_monitor" "services" {
  name              = "${var.name}-services"
  monitor_type      = "DIMENSIONAL"
  monitor_dimension = "SERVICE"

  tags = var.tags
}

# Anomaly Detection sends to SNS as each anomaly is found, to email at most daily.
resource "aws_ce_anomaly_subscription" "topic" {
  name             = "${var.name}-anomalies-topic"
  frequency        = "IMMEDIATE"
  monitor_arn_list = [aws_ce_anomaly_monitor.services.arn]

  subscriber {
    type    = "SNS"
    address = var.alerts_topic_arn
  }

  threshold_expression {
    dimension {
      key           = "ANOMALY_TOTAL_IMPACT_ABSOLUTE"
      match_options = ["GREATER_THAN_OR_EQUAL"]
      values        = [format("%.2f", var.anomaly_threshold_usd)]
    }
  }

  tags = var.tags
}

resource "aws_ce_anomaly_subscription" "email" {
  count = length(var.emails) > 0 ? 1 : 0

  name             = "${var.name}-anomalies-email"
  frequency        = "DAILY"
  monitor_arn_list = [aws_ce_anomaly_monitor.services.arn]

  dynamic "subscriber" {
    for_each = toset(var.emails)

    content {
      type    = "EMAIL"
      address = subscriber.key
    }
  }

  threshold_expression {
    dimension {
      key           = "ANOMALY_TOTAL_IMPACT_ABSOLUTE"
      match_options = ["GREATER_THAN_OR_EQUAL"]
      values        = [format("%.2f", var.anomaly_threshold_usd)]
    }
  }

  tags = var.tags
}
