data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

# Read back so that the encryption settings refer to a key object rather than to a
# variable: plan scanners (checkov CKV_AWS_26, CKV_AWS_27) only follow such references
# when the ARN is unknown until apply. It also fails early if the ARN names no usable key.
data "aws_kms_key" "this" {
  key_id = var.kms_key_arn
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  # Topic ARNs built from known parts, not from the topics' arn attributes: the topic
  # policies are then known at plan time, so checkov judges the same policy before
  # and after an apply.
  topic_arns = { for key in keys(var.topics) : key => "arn:${local.partition}:sns:${local.region}:${local.account_id}:${var.name}-${key}" }

  # "<topic>/<queue>" => pair, for every queue subscribed to a topic of this module.
  queue_subscriptions = merge([
    for topic_key, topic in var.topics : {
      for queue_key in topic.queue_subscriptions : "${topic_key}/${queue_key}" => { topic = topic_key, queue = queue_key }
    }
  ]...)

  # Keyed by position, not by endpoint: an endpoint may be an ARN unknown until apply.
  # Removing an entry therefore recreates the ones after it in the same topic.
  external_subscriptions = merge([
    for topic_key, topic in var.topics : {
      for index, subscription in topic.subscriptions : "${topic_key}/${index}" => merge(subscription, { topic = topic_key })
    }
  ]...)

  # Topics allowed to send to each queue.
  queue_topics = {
    for queue_key in keys(var.queues) : queue_key => [
      for topic_key, topic in var.topics : topic_key if contains(topic.queue_subscriptions, queue_key)
    ]
  }
}

################################################################################
# Queues and dead-letter queues
################################################################################

resource "aws_sqs_queue" "dlq" {
  for_each = var.queues

  name                              = "${var.name}-${each.key}-dlq"
  message_retention_seconds         = each.value.dlq_retention_seconds
  kms_master_key_id                 = data.aws_kms_key.this.arn
  kms_data_key_reuse_period_seconds = 300

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length("${var.name}-${each.key}-dlq") <= 80
      error_message = "The queue name \"${var.name}-${each.key}-dlq\" is longer than the 80 characters SQS allows; shorten the queue key."
    }
  }
}

resource "aws_sqs_queue" "this" {
  for_each = var.queues

  name                              = "${var.name}-${each.key}"
  visibility_timeout_seconds        = each.value.visibility_timeout_seconds
  message_retention_seconds         = each.value.message_retention_seconds
  delay_seconds                     = each.value.delay_seconds
  kms_master_key_id                 = data.aws_kms_key.this.arn
  kms_data_key_reuse_period_seconds = 300

  tags = var.tags

  lifecycle {
    # Managed by aws_sqs_queue_redrive_policy.this below.
    ignore_changes = [redrive_policy]
  }
}

# A resource of its own rather than the queue's redrive_policy argument: this one
# compares the JSON by meaning, the argument by text, which makes every plan show a
# change against an API that formats the document differently (moto does).
resource "aws_sqs_queue_redrive_policy" "this" {
  for_each = var.queues

  queue_url = aws_sqs_queue.this[each.key].id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = each.value.max_receive_count
  })
}

locals {
  # Every queue and every dead-letter queue refuses calls over plain HTTP.
  queue_arns = merge(
    { for key, queue in aws_sqs_queue.this : "queue/${key}" => queue.arn },
    { for key, queue in aws_sqs_queue.dlq : "dlq/${key}" => queue.arn },
  )
}

data "aws_iam_policy_document" "tls_only" {
  for_each = local.queue_arns

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [each.value]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

data "aws_iam_policy_document" "queue" {
  for_each = var.queues

  source_policy_documents = [data.aws_iam_policy_document.tls_only["queue/${each.key}"].json]

  dynamic "statement" {
    for_each = length(local.queue_topics[each.key]) > 0 ? [1] : []

    content {
      sid       = "SubscribedTopicsSend"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.this[each.key].arn]

      principals {
        type        = "Service"
        identifiers = ["sns.amazonaws.com"]
      }

      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = [for topic_key in local.queue_topics[each.key] : aws_sns_topic.this[topic_key].arn]
      }
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  for_each = var.queues

  queue_url = aws_sqs_queue.this[each.key].id
  policy    = data.aws_iam_policy_document.queue[each.key].json

  # Both resources call SetQueueAttributes on the queue. Setting the policy last
  # costs nothing on AWS, and the emulator (moto 5.2) clears a queue's policy on
  # any SetQueueAttributes call that does not repeat it.
  depends_on = [aws_sqs_queue_redrive_policy.this]
}

resource "aws_sqs_queue_policy" "dlq" {
  for_each = var.queues

  queue_url = aws_sqs_queue.dlq[each.key].id
  policy    = data.aws_iam_policy_document.tls_only["dlq/${each.key}"].json
}

################################################################################
# Topics
################################################################################

resource "aws_sns_topic" "this" {
  for_each = var.topics

  name              = "${var.name}-${each.key}"
  kms_master_key_id = data.aws_kms_key.this.arn

  tags = var.tags

  lifecycle {
    precondition {
      condition     = alltrue([for queue_key in each.value.queue_subscriptions : contains(keys(var.queues), queue_key)])
      error_message = "The queue_subscriptions of topic \"${each.key}\" must name keys of var.queues."
    }
  }
}

data "aws_iam_policy_document" "topic" {
  for_each = var.topics

  statement {
    sid       = "AccountPublishes"
    actions   = ["SNS:Publish"]
    resources = [local.topic_arns[each.key]]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }

    # Says again what the root principal already means: callers of this account only.
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "AccountAlarmsPublish"
    actions   = ["SNS:Publish"]
    resources = [local.topic_arns[each.key]]

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
      values   = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:*"]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["SNS:Publish"]
    resources = [local.topic_arns[each.key]]

    principals {
      type        = "AWS"
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
  for_each = var.topics

  arn    = aws_sns_topic.this[each.key].arn
  policy = data.aws_iam_policy_document.topic[each.key].json
}

################################################################################
# Subscriptions
################################################################################

resource "aws_sns_topic_subscription" "queue" {
  for_each = local.queue_subscriptions

  topic_arn            = aws_sns_topic.this[each.value.topic].arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.this[each.value.queue].arn
  raw_message_delivery = true

  # SNS may only deliver once the queue policy lets this topic send.
  depends_on = [aws_sqs_queue_policy.this]
}

resource "aws_sns_topic_subscription" "external" {
  for_each = local.external_subscriptions

  topic_arn = aws_sns_topic.this[each.value.topic].arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}
