data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  trail_name     = "${var.name}-cloudtrail"
  log_group_name = "/${var.name}/cloudtrail"
  bucket_name    = coalesce(var.bucket_name, "${var.name}-cloudtrail-${local.account_id}")

  # Built from known parts (not read from the resources) so that the key, bucket and
  # role policies are known at plan time, and none of them waits for the trail.
  trail_arn     = "arn:${local.partition}:cloudtrail:${local.region}:${local.account_id}:trail/${local.trail_name}"
  any_trail_arn = "arn:${local.partition}:cloudtrail:*:${local.account_id}:trail/*"
  bucket_arn    = "arn:${local.partition}:s3:::${local.bucket_name}"
  log_group_arn = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group_name}"
}

################################################################################
# KMS key: log files, the bucket's default encryption and the log group
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

  # The statements below follow "Configure AWS KMS key policies for CloudTrail".
  statement {
    sid       = "CloudTrailEncryptsLogs"
    actions   = ["kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:cloudtrail:arn"
      values   = [local.any_trail_arn]
    }
  }

  statement {
    sid       = "CloudTrailDescribesKey"
    actions   = ["kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }

  # No statement for readers: the administrator statement lets IAM policies of the
  # account grant kms:Decrypt to whoever must read the log files.

  statement {
    sid = "CloudWatchLogsUsesForTrailLogGroup"
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
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.log_group_arn]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "Encrypts the CloudTrail logs of ${var.name}: log files, their bucket and log group"
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.key.json

  tags = merge(var.tags, { Name = local.trail_name })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.trail_name}"
  target_key_id = aws_kms_key.this.key_id
}

################################################################################
# Bucket
################################################################################

# As in "Amazon S3 bucket policy for CloudTrail": only this trail may check the
# bucket and write, and only under AWSLogs/<this account>/.
data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "CloudTrailChecksBucketAcl"
    actions   = ["s3:GetBucketAcl"]
    resources = [local.bucket_arn]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }

  statement {
    sid       = "CloudTrailWritesLogs"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/AWSLogs/${local.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}

module "bucket" {
  source = "../log-bucket"

  name                               = local.bucket_name
  kms_key_arn                        = aws_kms_key.this.arn
  policy_documents                   = [data.aws_iam_policy_document.bucket.json]
  transition_to_glacier_days         = var.log_transition_to_glacier_days
  expiration_days                    = var.log_expiration_days
  noncurrent_version_expiration_days = var.log_noncurrent_version_expiration_days
  access_log_bucket                  = var.access_log_bucket
  force_destroy                      = var.force_destroy
  tags                               = var.tags
}

################################################################################
# CloudWatch Logs delivery
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn

  tags = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}

resource "aws_iam_role" "cloudtrail" {
  name               = "${local.trail_name}-logs"
  description        = "Lets the trail ${local.trail_name} deliver events to its log group."
  assume_role_policy = data.aws_iam_policy_document.assume.json

  tags = var.tags
}

data "aws_iam_policy_document" "deliver" {
  statement {
    sid       = "WriteTrailLogStreams"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:log-stream:*"]
  }
}

resource "aws_iam_role_policy" "cloudtrail" {
  name   = "deliver-to-log-group"
  role   = aws_iam_role.cloudtrail.id
  policy = data.aws_iam_policy_document.deliver.json
}

################################################################################
# Trail
################################################################################

resource "aws_cloudtrail" "this" {
  name                          = local.trail_name
  s3_bucket_name                = module.bucket.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.this.arn
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.this.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.cloudtrail.arn

  advanced_event_selector {
    name = "All management events"

    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }

  # S3 object-level API activity (CIS AWS Foundations 3.8 and 3.9), except the
  # trail's own deliveries into its bucket: each would be logged into the next log
  # file, and that delivery logged again.
  dynamic "advanced_event_selector" {
    for_each = var.s3_data_events == "none" ? [] : [var.s3_data_events]

    content {
      name = advanced_event_selector.value == "write" ? "S3 object writes" : "S3 object reads and writes"

      field_selector {
        field  = "eventCategory"
        equals = ["Data"]
      }

      field_selector {
        field  = "resources.type"
        equals = ["AWS::S3::Object"]
      }

      dynamic "field_selector" {
        for_each = advanced_event_selector.value == "write" ? ["false"] : []

        content {
          field  = "readOnly"
          equals = [field_selector.value]
        }
      }

      field_selector {
        field           = "resources.ARN"
        not_starts_with = ["${local.bucket_arn}/"]
      }
    }
  }

  tags = merge(var.tags, { Name = local.trail_name })

  # CloudTrail checks, on create, that it may write to the bucket and the log group.
  depends_on = [module.bucket, aws_iam_role_policy.cloudtrail]
}
