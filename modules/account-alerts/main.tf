data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  topic_name = "${var.name}-alerts"
  # Built from known parts (not read from the topic) so the topic policy is known at
  # plan time and reviewers see it in full.
  topic_arn = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.topic_name}"

  # The account-level sources of alerts: CloudWatch alarms, EventBridge rules
  # (GuardDuty and Security Hub findings), AWS Budgets and Cost Anomaly Detection.
  publishers = [
    "cloudwatch.amazonaws.com",
    "events.amazonaws.com",
    "budgets.amazonaws.com",
    "costalerts.amazonaws.com",
  ]
}

################################################################################
# KMS key
################################################################################

data "aws_iam_policy_document" "key" {
  # The standard administrator statement: it lets the account's IAM policies grant
  # use of the key, and keeps the key manageable if the other statements are wrong.
  statement {
    sid       = "AccountRootAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # A service that publishes into an encrypted topic needs a data key for the message.
  statement {
    sid       = "PublishersEncryptForThisAccount"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = local.publishers
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "Encrypts the account alerts topic ${local.topic_name}"
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.key.json

  tags = merge(var.tags, { Name = local.topic_name })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.topic_name}"
  target_key_id = aws_kms_key.this.key_id
}

################################################################################
# Topic
################################################################################

resource "aws_sns_topic" "this" {
  name              = local.topic_name
  kms_master_key_id = aws_kms_key.this.arn

  tags = merge(var.tags, { Name = local.topic_name })
}

data "aws_iam_policy_document" "topic" {
  # No statement for the account itself: its IAM policies already decide who in the
  # account may manage, subscribe to or publish to the topic.
  statement {
    sid       = "ServicesPublishForThisAccount"
    actions   = ["sns:Publish"]
    resources = [local.topic_arn]

    principals {
      type        = "Service"
      identifiers = local.publishers
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
  for_each = toset(var.emails)

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.key
}
