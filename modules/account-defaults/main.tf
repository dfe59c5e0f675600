data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

################################################################################
# EBS encryption by default, with a customer managed key
################################################################################

data "aws_iam_policy_document" "ebs" {
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

  # As in the AWS managed aws/ebs key: any principal of the account, including the
  # service-linked roles of Auto Scaling and ECS that launch instances, may use the
  # key, but only through EC2 in this region. Launching from an encrypted default
  # must not depend on every launcher's IAM policy naming this key.
  statement {
    sid = "AccountUsesThroughEC2"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:CreateGrant",
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
      values   = ["ec2.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "ebs" {
  description             = "Default key of new EBS volumes and snapshot copies in ${local.region}"
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.ebs.json

  tags = merge(var.tags, { Name = "${var.name}-ebs" })
}

resource "aws_kms_alias" "ebs" {
  name          = "alias/${var.name}-ebs"
  target_key_id = aws_kms_key.ebs.key_id
}

resource "aws_ebs_default_kms_key" "this" {
  key_arn = aws_kms_key.ebs.arn
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = true

  depends_on = [aws_ebs_default_kms_key.this]
}

################################################################################
# S3: no public buckets or objects anywhere in the account
################################################################################

resource "aws_s3_account_public_access_block" "this" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

################################################################################
# EC2 instance metadata: IMDSv2 for every new instance of the region
################################################################################

resource "aws_ec2_instance_metadata_defaults" "this" {
  http_tokens                 = "required"
  http_endpoint               = "enabled"
  http_put_response_hop_limit = var.instance_metadata_hop_limit
  instance_metadata_tags      = "disabled"
}
