data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

################################################################################
# Key policies
################################################################################

# The standard administrator statement: it lets the account's IAM policies grant use
# of the key, and keeps the key manageable if the other statements are wrong.
data "aws_iam_policy_document" "account_admin" {
  statement {
    sid       = "AccountRootAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

data "aws_iam_policy_document" "key" {
  for_each = var.keys

  source_policy_documents = [data.aws_iam_policy_document.account_admin.json]

  # Services that encrypt on the account's behalf need the key themselves:
  # CloudWatch alarms and EventBridge rules publish to SNS, SNS delivers to SQS.
  dynamic "statement" {
    for_each = length(each.value.services) > 0 ? [sort(each.value.services)] : []

    content {
      sid       = "ServicesUseForAccount"
      actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = statement.value
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }

  dynamic "statement" {
    for_each = each.value.cloudwatch_logs ? [1] : []

    content {
      sid = "CloudWatchLogsUsesForAccountLogGroups"
      actions = [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
      ]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = ["logs.${local.region}.amazonaws.com"]
      }

      condition {
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
      }
    }
  }

  # As in the AWS managed keys (aws/secretsmanager): any principal of the account may
  # use the key, but only through these services, so access is governed by their
  # permissions alone.
  dynamic "statement" {
    for_each = length(each.value.via_services) > 0 ? [sort(each.value.via_services)] : []

    content {
      sid = "AccountUsesThroughServices"
      actions = [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
      ]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:CallerAccount"
        values   = [local.account_id]
      }

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [for s in statement.value : "${s}.${local.region}.amazonaws.com"]
      }
    }
  }
}

################################################################################
# Keys and aliases
################################################################################

resource "aws_kms_key" "this" {
  for_each = var.keys

  description             = each.value.description
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.key[each.key].json

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_kms_alias" "this" {
  for_each = var.keys

  name          = "alias/${var.name}-${each.key}"
  target_key_id = aws_kms_key.this[each.key].key_id
}
