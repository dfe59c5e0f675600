################################################################################
# Origin failover: the site bucket replicated into a second region (the
# aws.failover provider), which CloudFront reads when the primary origin fails
################################################################################

data "aws_region" "failover" {
  provider = aws.failover
}

locals {
  failover            = var.failover != null
  replica_bucket_name = "${local.bucket_name}-${data.aws_region.failover.name}"
  replica_origin_id   = "s3-${local.replica_bucket_name}"
  origin_group_id     = "failover-${local.bucket_name}"
  # Server errors and throttling of the primary bucket; 403 and 404 are the
  # application's own (client-side routes) and stay with the primary.
  failover_status_codes = [500, 502, 503, 504]
  replica_kms_key_arn   = try(var.failover.kms_key_arn, null)
}

resource "aws_s3_bucket" "replica" {
  count    = local.failover ? 1 : 0
  provider = aws.failover

  bucket        = local.replica_bucket_name
  force_destroy = var.force_destroy

  tags = merge(var.tags, { Name = local.replica_bucket_name })

  lifecycle {
    precondition {
      condition     = (var.kms_key_arn == null) == (local.replica_kms_key_arn == null)
      error_message = "An SSE-KMS origin bucket (kms_key_arn) needs a key of the failover region (failover.kms_key_arn), and only then."
    }
  }
}

resource "aws_s3_bucket_public_access_block" "replica" {
  count    = local.failover ? 1 : 0
  provider = aws.failover

  bucket = aws_s3_bucket.replica[0].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "replica" {
  count    = local.failover ? 1 : 0
  provider = aws.failover

  bucket = aws_s3_bucket.replica[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "replica" {
  count    = local.failover ? 1 : 0
  provider = aws.failover

  bucket = aws_s3_bucket.replica[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "replica" {
  count    = local.failover ? 1 : 0
  provider = aws.failover

  bucket = aws_s3_bucket.replica[0].id

  rule {
    bucket_key_enabled = local.replica_kms_key_arn != null

    apply_server_side_encryption_by_default {
      sse_algorithm     = local.replica_kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = local.replica_kms_key_arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "replica" {
  count    = local.failover ? 1 : 0
  provider = aws.failover

  bucket = aws_s3_bucket.replica[0].id

  rule {
    id     = "default"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    # Replicated deletes leave noncurrent versions, kept as long as the primary's.
    noncurrent_version_expiration {
      noncurrent_days = 90
    }
  }

  depends_on = [aws_s3_bucket_versioning.replica]
}

data "aws_iam_policy_document" "replica" {
  count = local.failover ? 1 : 0

  statement {
    sid       = "CloudFrontReadsThroughOriginAccessControl"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.replica[0].arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this.arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.replica[0].arn, "${aws_s3_bucket.replica[0].arn}/*"]

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

resource "aws_s3_bucket_policy" "replica" {
  count    = local.failover ? 1 : 0
  provider = aws.failover

  bucket = aws_s3_bucket.replica[0].id
  policy = data.aws_iam_policy_document.replica[0].json

  depends_on = [aws_s3_bucket_public_access_block.replica]
}

data "aws_iam_policy_document" "replication_assume_role" {
  count = local.failover ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "replication" {
  count = local.failover ? 1 : 0

  name               = "${var.name}-web-replication"
  description        = "S3 replicates the site bucket of ${var.name} into ${data.aws_region.failover.name}."
  assume_role_policy = data.aws_iam_policy_document.replication_assume_role[0].json

  tags = merge(var.tags, { Name = "${var.name}-web-replication" })
}

data "aws_iam_policy_document" "replication" {
  count = local.failover ? 1 : 0

  statement {
    sid       = "ReadReplicationConfiguration"
    actions   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]
  }

  statement {
    sid = "ReadSourceVersions"
    actions = [
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionTagging",
    ]
    resources = ["${aws_s3_bucket.this.arn}/*"]
  }

  statement {
    sid       = "WriteReplica"
    actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    resources = ["${aws_s3_bucket.replica[0].arn}/*"]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [1]

    content {
      sid       = "DecryptSource"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]
    }
  }

  dynamic "statement" {
    for_each = local.replica_kms_key_arn == null ? [] : [local.replica_kms_key_arn]

    content {
      sid       = "EncryptReplica"
      actions   = ["kms:Encrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "replication" {
  count = local.failover ? 1 : 0

  name   = "${var.name}-web-replication"
  role   = aws_iam_role.replication[0].id
  policy = data.aws_iam_policy_document.replication[0].json
}

# A deployment syncs the primary bucket only; S3 copies each file to the replica.
resource "aws_s3_bucket_replication_configuration" "this" {
  count = local.failover ? 1 : 0

  bucket = aws_s3_bucket.this.id
  role   = aws_iam_role.replication[0].arn

  rule {
    id     = "failover"
    status = "Enabled"

    filter {}

    delete_marker_replication {
      status = "Enabled"
    }

    dynamic "source_selection_criteria" {
      for_each = var.kms_key_arn == null ? [] : [1]

      content {
        sse_kms_encrypted_objects {
          status = "Enabled"
        }
      }
    }

    destination {
      bucket = aws_s3_bucket.replica[0].arn

      dynamic "encryption_configuration" {
        for_each = local.replica_kms_key_arn == null ? [] : [local.replica_kms_key_arn]

        content {
          replica_kms_key_id = encryption_configuration.value
        }
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this, aws_s3_bucket_versioning.replica, aws_iam_role_policy.replication]
}
