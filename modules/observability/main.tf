data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  t = var.thresholds

  # ElastiCache publishes host metrics per node: a replication group's nodes are
  # "<replication_group_id>-001", "-002", ... Keys come from the count, so they are known
  # at plan time even when the group's ID is not.
  redis_nodes = var.redis.enabled ? {
    for i in range(var.redis.num_cache_clusters) : format("%03d", i + 1) => format("%s-%03d", var.redis.replication_group_id, i + 1)
  } : {}

  ecs_services  = var.ecs.enabled ? var.ecs.service_names : {}
  lambdas       = var.lambda.enabled ? var.lambda.function_names : {}
  queues        = var.sqs.enabled ? var.sqs.queue_names : {}
  target_groups = var.alb.enabled ? var.alb.target_group_arn_suffixes : {}

  # Utilization metrics keep reporting while the resource lives, so a gap is worth
  # seeing (INSUFFICIENT_DATA); event counts and ages have no data when nothing happens.
  alarm_defaults = {
    statistic           = "Average"
    extended_statistic  = null
    period              = 300
    evaluation_periods  = 3
    datapoints_to_alarm = 3
    comparison_operator = "GreaterThanThreshold"
    treat_missing_data  = "missing"
  }
  count_alarm = {
    statistic           = "Sum"
    evaluation_periods  = 1
    datapoints_to_alarm = 1
    comparison_operator = "GreaterThanOrEqualToThreshold"
    treat_missing_data  = "notBreaching"
  }

  # Every alarm except the ALB 5xx sum (metric math, its own resource), keyed by the
  # alarm name's suffix: "<name>-<key>".
  alarms = merge(
    { for k, a in {
      "alb-p95-latency" = {
        description        = "p95 target response time of the load balancer above ${local.t.alb_p95_latency_seconds} s for 15 minutes."
        namespace          = "AWS/ApplicationELB"
        metric_name        = "TargetResponseTime"
        dimensions         = { LoadBalancer = var.alb.arn_suffix }
        threshold          = local.t.alb_p95_latency_seconds
        statistic          = null
        extended_statistic = "p95"
        treat_missing_data = "notBreaching"
      }
    } : k => merge(local.alarm_defaults, a) if var.alb.enabled },
    { for k, tg in local.target_groups : "alb-${k}-unhealthy-hosts" => merge(local.alarm_defaults, {
      description = "Target group ${k} has more than ${local.t.alb_unhealthy_hosts} unhealthy targets for 15 minutes."
      namespace   = "AWS/ApplicationELB"
      metric_name = "UnHealthyHostCount"
      dimensions  = { LoadBalancer = var.alb.arn_suffix, TargetGroup = tg }
      statistic   = "Maximum"
      threshold   = local.t.alb_unhealthy_hosts
    }) },
    { for k, svc in local.ecs_services : "ecs-${k}-cpu" => merge(local.alarm_defaults, {
      description = "ECS service ${k} average CPU above ${local.t.ecs_cpu_percent}% for 15 minutes."
      namespace   = "AWS/ECS"
      metric_name = "CPUUtilization"
      dimensions  = { ClusterName = var.ecs.cluster_name, ServiceName = svc }
      threshold   = local.t.ecs_cpu_percent
    }) },
    { for k, svc in local.ecs_services : "ecs-${k}-memory" => merge(local.alarm_defaults, {
      description = "ECS service ${k} average memory above ${local.t.ecs_memory_percent}% for 15 minutes."
      namespace   = "AWS/ECS"
      metric_name = "MemoryUtilization"
      dimensions  = { ClusterName = var.ecs.cluster_name, ServiceName = svc }
      threshold   = local.t.ecs_memory_percent
    }) },
    { for k, a in {
      "rds-cpu" = {
        description = "RDS instance average CPU above ${local.t.rds_cpu_percent}% for 15 minutes."
        metric_name = "CPUUtilization"
        threshold   = local.t.rds_cpu_percent
      }
      "rds-free-storage" = {
        description         = "RDS instance free storage below ${local.t.rds_free_storage_bytes} bytes."
        metric_name         = "FreeStorageSpace"
        threshold           = local.t.rds_free_storage_bytes
        statistic           = "Minimum"
        evaluation_periods  = 1
        datapoints_to_alarm = 1
        comparison_operator = "LessThanThreshold"
      }
      "rds-connections" = {
        description = "RDS instance connections above ${local.t.rds_connections} for 15 minutes."
        metric_name = "DatabaseConnections"
        threshold   = local.t.rds_connections
        statistic   = "Maximum"
      }
      } : k => merge(local.alarm_defaults, {
        namespace  = "AWS/RDS"
        dimensions = { DBInstanceIdentifier = var.rds.instance_identifier }
    }, a) if var.rds.enabled },
    { for n, node in local.redis_nodes : "redis-${n}-engine-cpu" => merge(local.alarm_defaults, {
      description = "Redis node ${node} engine CPU above ${local.t.redis_cpu_percent}% for 15 minutes."
      namespace   = "AWS/ElastiCache"
      metric_name = "EngineCPUUtilization"
      dimensions  = { CacheClusterId = node }
      threshold   = local.t.redis_cpu_percent
    }) },
    { for n, node in local.redis_nodes : "redis-${n}-evictions" => merge(local.alarm_defaults, local.count_alarm, {
      description = "Redis node ${node} evicted at least ${local.t.redis_evictions} keys in 5 minutes."
      namespace   = "AWS/ElastiCache"
      metric_name = "Evictions"
      dimensions  = { CacheClusterId = node }
      threshold   = local.t.redis_evictions
    }) },
    { for k, fn in local.lambdas : "lambda-${k}-errors" => merge(local.alarm_defaults, local.count_alarm, {
      description = "Lambda function ${k} had at least ${local.t.lambda_errors} errors in 5 minutes."
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      dimensions  = { FunctionName = fn }
      threshold   = local.t.lambda_errors
    }) },
    { for k, fn in local.lambdas : "lambda-${k}-throttles" => merge(local.alarm_defaults, local.count_alarm, {
      description = "Lambda function ${k} was throttled at least ${local.t.lambda_throttles} times in 5 minutes."
      namespace   = "AWS/Lambda"
      metric_name = "Throttles"
      dimensions  = { FunctionName = fn }
      threshold   = local.t.lambda_throttles
    }) },
    # SQS stops publishing for a queue idle for hours: no data means nothing waits.
    { for k, q in local.queues : "sqs-${k}-oldest-message" => merge(local.alarm_defaults, {
      description         = "Oldest message in SQS queue ${k} older than ${local.t.sqs_oldest_message_seconds} s."
      namespace           = "AWS/SQS"
      metric_name         = "ApproximateAgeOfOldestMessage"
      dimensions          = { QueueName = q }
      statistic           = "Maximum"
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      threshold           = local.t.sqs_oldest_message_seconds
      treat_missing_data  = "notBreaching"
    }) },
  )
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
  name              = "${var.name}-alerts"
  kms_master_key_id = var.kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]

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
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]

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
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended_statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.datapoints_to_alarm
  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  treat_missing_data  = each.value.treat_missing_data
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]

  tags = var.tags
}

# Errors the load balancer answers itself and errors from targets, as one count.
resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  count = var.alb.enabled ? 1 : 0

  alarm_name          = "${var.name}-alb-5xx"
  alarm_description   = "Load balancer and target 5xx responses reached ${local.t.alb_5xx_count} in 5 minutes."
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = local.t.alb_5xx_count
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]

  metric_query {
    id          = "total"
    label       = "5xx responses"
    expression  = "FILL(elb, 0) + FILL(target, 0)"
    return_data = true
  }

  metric_query {
    id = "elb"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.alb.arn_suffix }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "target"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb.arn_suffix }
      stat        = "Sum"
      period      = 300
    }
  }

  tags = var.tags
}

################################################################################
# Dashboard
################################################################################

locals {
  # One graph per entry; rows are CloudWatch metric arrays with a label.
  graphs = concat(
    [for g in [
      {
        title = "ALB requests and 5xx (sum)"
        stat  = "Sum"
        metrics = [for m in ["RequestCount", "HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"] :
        ["AWS/ApplicationELB", m, "LoadBalancer", var.alb.arn_suffix, { label = m }]]
      },
      {
        title   = "ALB target response time (p95, s)"
        stat    = "p95"
        metrics = [["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", var.alb.arn_suffix, { label = "p95" }]]
      },
    ] : g if var.alb.enabled],
    [for g in [
      {
        title = "ALB unhealthy targets (max)"
        stat  = "Maximum"
        metrics = [for k, tg in local.target_groups :
        ["AWS/ApplicationELB", "UnHealthyHostCount", "TargetGroup", tg, "LoadBalancer", var.alb.arn_suffix, { label = k }]]
      },
    ] : g if length(local.target_groups) > 0],
    [for m in ["CPUUtilization", "MemoryUtilization"] : {
      title = "ECS ${m} (%)"
      stat  = "Average"
      metrics = [for k, svc in local.ecs_services :
      ["AWS/ECS", m, "ClusterName", var.ecs.cluster_name, "ServiceName", svc, { label = k }]]
    } if length(local.ecs_services) > 0],
    [for m in [["CPUUtilization", "Average"], ["DatabaseConnections", "Maximum"], ["FreeStorageSpace", "Minimum"]] : {
      title   = "RDS ${m[0]}"
      stat    = m[1]
      metrics = [["AWS/RDS", m[0], "DBInstanceIdentifier", var.rds.instance_identifier, { label = m[0] }]]
    } if var.rds.enabled],
    [for m in [["EngineCPUUtilization", "Average"], ["Evictions", "Sum"]] : {
      title   = "Redis ${m[0]}"
      stat    = m[1]
      metrics = [for n, node in local.redis_nodes : ["AWS/ElastiCache", m[0], "CacheClusterId", node, { label = node }]]
    } if length(local.redis_nodes) > 0],
    [for m in [["Invocations", "Sum"], ["Errors", "Sum"], ["Throttles", "Sum"], ["Duration", "p95"]] : {
      title   = "Lambda ${m[0]} (${m[1]})"
      stat    = m[1]
      metrics = [for k, fn in local.lambdas : ["AWS/Lambda", m[0], "FunctionName", fn, { label = k }]]
    } if length(local.lambdas) > 0],
    [for m in [["ApproximateAgeOfOldestMessage", "Maximum"], ["ApproximateNumberOfMessagesVisible", "Maximum"]] : {
      title   = "SQS ${m[0]}"
      stat    = m[1]
      metrics = [for k, q in local.queues : ["AWS/SQS", m[0], "QueueName", q, { label = k }]]
    } if length(local.queues) > 0],
  )

  alarm_arns = concat(aws_cloudwatch_metric_alarm.alb_5xx[*].arn, [for a in values(aws_cloudwatch_metric_alarm.this) : a.arn])

  widgets = concat(
    [{
      type   = "text"
      width  = 24
      height = 2
      properties = {
        markdown = "# ${var.name}\nAlarms notify the SNS topic ${aws_sns_topic.this.name}."
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
    }] : a if length(local.alarms) > 0 || var.alb.enabled],
    [for g in local.graphs : {
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
        metrics = g.metrics
      }
    }],
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.widgets })
}
