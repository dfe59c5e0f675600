data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  topic_name = "${var.name}-alerts"
  # Built from known parts, not from the topic's arn attribute: the topic policy is then
  # known at plan time, so checkov judges the same policy before and after an apply.
  topic_arn = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.topic_name}"

  single_alarms = { for k, a in var.alarms : k => a if a.expression == null }
  math_alarms   = { for k, a in var.alarms : k => a if a.expression != null }
}

################################################################################
# Log groups
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(var.log_groups)

  name              = each.key
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

################################################################################
# Alerts topic
################################################################################

resource "aws_sns_topic" "this" {
  name              = local.topic_name
  kms_master_key_id = var.kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name}-*"]
    }
  }

  statement {
    sid       = "EventBridgeRulesPublish"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alert_emails)

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.key
}

################################################################################
# Alarms
################################################################################

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.single_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.extended_statistic == null ? coalesce(each.value.statistic, "Average") : null
  extended_statistic  = each.value.extended_statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = coalesce(each.value.datapoints_to_alarm, each.value.evaluation_periods)
  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  treat_missing_data  = each.value.treat_missing_data
  alarm_actions       = each.value.notify ? [aws_sns_topic.this.arn] : []
  ok_actions          = each.value.notify ? [aws_sns_topic.this.arn] : []

  tags = var.tags
}

# Metric math: the expression over the metrics, which feed it without being alarms.
resource "aws_cloudwatch_metric_alarm" "math" {
  for_each = local.math_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = coalesce(each.value.datapoints_to_alarm, each.value.evaluation_periods)
  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  treat_missing_data  = each.value.treat_missing_data
  alarm_actions       = each.value.notify ? [aws_sns_topic.this.arn] : []
  ok_actions          = each.value.notify ? [aws_sns_topic.this.arn] : []

  metric_query {
    id          = "result"
    label       = each.value.description
    expression  = each.value.expression
    return_data = true
  }

  dynamic "metric_query" {
    for_each = each.value.metrics

    content {
      id = metric_query.key

      metric {
        namespace   = metric_query.value.namespace
        metric_name = metric_query.value.metric_name
        dimensions  = metric_query.value.dimensions
        stat        = metric_query.value.stat
        period      = metric_query.value.period
      }
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_composite_alarm" "this" {
  for_each = var.composite_alarms

  alarm_name        = "${var.name}-${each.key}"
  alarm_description = each.value.description
  alarm_rule        = each.value.rule
  alarm_actions     = [aws_sns_topic.this.arn]
  ok_actions        = [aws_sns_topic.this.arn]

  tags = var.tags

  depends_on = [aws_cloudwatch_metric_alarm.this, aws_cloudwatch_metric_alarm.math]
}

################################################################################
# Dashboard
################################################################################

locals {
  alarm_arns = concat(
    [for a in values(aws_cloudwatch_metric_alarm.this) : a.arn],
    [for a in values(aws_cloudwatch_metric_alarm.math) : a.arn],
    [for a in values(aws_cloudwatch_composite_alarm.this) : a.arn],
  )

  widgets = concat(
    [{
      type   = "text"
      width  = 24
      height = 2
      properties = {
        markdown = "# ${var.name}\nAlarms notify the SNS topic ${local.topic_name}."
      }
    }],
    [for a in [{
      type   = "alarm"
      width  = 24
      height = 4
      properties = {
        title  = "Alarms"
        alarms = local.alarm_arns
      }
    }] : a if length(var.alarms) > 0],
    [for g in var.graphs : {
      type   = "metric"
      width  = 12
      height = 6
      properties = {
        title   = g.title
        region  = local.region
        view    = "timeSeries"
        stacked = false
        stat    = g.stat
        period  = 300
        # Each row: its metric array (none for an expression), then its options.
        metrics = [for row in g.rows : concat(row.metric, [merge(
          { for k, v in { label = row.label, id = row.id, stat = row.stat, expression = row.expression } : k => v if v != null },
          { for k, v in { visible = row.visible } : k => v if !v },
        )])]
      }
    }],
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.widgets })
}
