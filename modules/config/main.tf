data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  create_bucket = var.bucket_name == null
  bucket_name   = coalesce(var.bucket_name, "${var.name}-config-${local.account_id}")
  bucket_arn    = "arn:${local.partition}:s3:::${local.bucket_name}"
  kms_key_arn   = local.create_bucket ? one(aws_kms_key.this[*].arn) : var.bucket_kms_key_arn
  # Config writes under <prefix>/AWSLogs/<account>/Config/<region>/...
  key_prefix     = var.bucket_key_prefix == null ? "" : "${var.bucket_key_prefix}/"
  delivery_path  = "${local.bucket_arn}/${local.key_prefix}AWSLogs/${local.account_id}/Config/*"
  role_name      = "${var.name}-config-${local.region}"
  recorder_name  = "${var.name}-recorder"
  delivery_label = "${var.name}-delivery"
}

################################################################################
# KMS key and bucket (unless an existing bucket is given)
################################################################################

data "aws_iam_policy_document" "key" {
  count = local.create_bucket ? 1 : 0

  # The administrator statement lets IAM policies of the account grant use of the
  # key; the recorder's role gets it that way (below).
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

resource "aws_kms_key" "this" {
  count = local.create_bucket ? 1 : 0

  description             = "Encrypts the AWS Config snapshots and history of ${var.name}"
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.key[0].json

  tags = merge(var.tags, { Name = "${var.name}-config" })
}

resource "aws_kms_alias" "this" {
  count = local.create_bucket ? 1 : 0

  name          = "alias/${var.name}-config"
  target_key_id = aws_kms_key.this[0].key_id
}

module "bucket" {
  source = "../log-bucket"
  count  = local.create_bucket ? 1 : 0

  name                               = local.bucket_name
  kms_key_arn                        = aws_kms_key.this[0].arn
  transition_to_glacier_days         = var.bucket_transition_to_glacier_days
  expiration_days                    = var.bucket_expiration_days
  noncurrent_version_expiration_days = var.bucket_noncurrent_version_expiration_days
  access_log_bucket                  = var.access_log_bucket
  force_destroy                      = var.force_destroy
  tags                               = var.tags
}

################################################################################
# The recorder's role
################################################################################

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = local.role_name
  description        = "Lets AWS Config record this account's resources in ${local.region} and deliver to ${local.bucket_name}."
  assume_role_policy = data.aws_iam_policy_document.assume.json

  tags = var.tags
}

# What Config needs to read the configuration of every supported resource type.
resource "aws_iam_role_policy_attachment" "config" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWS_ConfigRole"
}

data "aws_iam_policy_document" "deliver" {
  statement {
    sid       = "CheckBucketAcl"
    actions   = ["s3:GetBucketAcl", "s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "DeliverSnapshotsAndHistory"
    actions   = ["s3:PutObject", "s3:PutObjectAcl"]
    resources = [local.delivery_path]

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
  }

  dynamic "statement" {
    for_each = local.kms_key_arn == null ? [] : [local.kms_key_arn]

    content {
      sid       = "EncryptDeliveries"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "deliver" {
  name   = "deliver-to-bucket"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.deliver.json
}

################################################################################
# Recorder, delivery channel, recording
################################################################################

resource "aws_config_configuration_recorder" "this" {
  name     = local.recorder_name
  role_arn = aws_iam_role.this.arn

  recording_group {
    all_supported = true
    # IAM users, roles, policies... are global: record them in one region only.
    include_global_resource_types = var.is_home_region
  }

  lifecycle {
    precondition {
      condition     = length(setsubtract(var.excluded_rules, keys(merge(local.global_rules, local.regional_rules)))) == 0
      error_message = "The excluded_rules must name rules of the module: ${join(", ", sort(keys(merge(local.global_rules, local.regional_rules))))}."
    }
  }
}

resource "aws_config_delivery_channel" "this" {
  name           = local.delivery_label
  s3_bucket_name = local.create_bucket ? one(module.bucket[*].id) : var.bucket_name
  s3_key_prefix  = var.bucket_key_prefix
  s3_kms_key_arn = local.kms_key_arn

  snapshot_delivery_properties {
    delivery_frequency = var.snapshot_delivery_frequency
  }

  # Config checks, on create, that the role may deliver to the bucket.
  depends_on = [
    aws_config_configuration_recorder.this,
    aws_iam_role_policy.deliver,
    module.bucket,
  ]
}

resource "aws_config_configuration_recorder_status" "this" {
  name       = aws_config_configuration_recorder.this.name
  is_enabled = true

  depends_on = [aws_config_delivery_channel.this]
}
