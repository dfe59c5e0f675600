data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  descriptions = {
    logs    = "Encrypts the CloudWatch Logs log groups of ${var.name}"
    data    = "Encrypts the SNS topics and SQS queues of ${var.name}"
    secrets = "Encrypts the Secrets Manager secrets of ${var.name}"
  }

  policies = {
    logs    = data.aws_iam_policy_document.logs.json
    data    = data.aws_iam_policy_document.data.json
    secrets = data.aws_iam_policy_document.secrets.json
  }
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

data "aws_iam_policy_document" "logs" {
  source_policy_documents = [data.aws_iam_policy_document.account_admin.json]

  statement {
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

# Services that publish into encrypted topics and queues need the key themselves:
# CloudWatch alarms and EventBridge rules publish to SNS, SNS delivers to SQS.
data "aws_iam_policy_document" "data" {
  source_policy_documents = [data.aws_iam_policy_document.account_admin.json]

  statement {
    sid       = "PublishingServicesUseForAccount"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type = "Service"
      identifiers = [
        "cloudwatch.amazonaws.com",
        "events.amazonaws.com",
        "sns.amazonaws.com",
      ]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# As in the AWS managed aws/secretsmanager key: any principal of the account may use
# the key, but only through Secrets Manager, so reading a secret is governed by
# Secrets Manager permissions alone.
data "aws_iam_policy_document" "secrets" {
  source_policy_documents = [data.aws_iam_policy_document.account_admin.json]

  statement {
    sid = "AccountUsesThroughSecretsManager"
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
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

################################################################################
# Keys and aliases
################################################################################

resource "aws_kms_key" "this" {
  for_each = toset(var.purposes)

  description             = local.descriptions[each.key]
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  policy                  = local.policies[each.key]

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_kms_alias" "this" {
  for_each = toset(var.purposes)

  name          = "alias/${var.name}-${each.key}"
  target_key_id = aws_kms_key.this[each.key].key_id
}
