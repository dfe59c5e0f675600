################################################################################
# Cross-region replication (disaster recovery): every data bucket, and the log
# bucket, replicated into a bucket of the replica region (the aws.replica provider)
################################################################################

data "aws_region" "replica" {
  provider = aws.replica
}

locals {
  replicate      = var.replication != null
  replica_region = data.aws_region.replica.name
  replica_buckets = local.replicate ? {
    for key, bucket in var.buckets : key => merge(bucket, { name = "${var.name}-${key}-${local.replica_region}" })
  } : {}
  replica_log_bucket_name = "${local.log_bucket_name}-${local.replica_region}"
  replica_log_bucket_arn  = "arn:${local.partition}:s3:::${local.replica_log_bucket_name}"
  replica_s3_log_prefix   = "s3-replica/"
}

resource "aws_s3_bucket" "replica" {
  for_each = local.replica_buckets
  provider = aws.replica

  bucket        = each.value.name
  force_destroy = var.force_destroy

  tags = merge(var.tags, { Name = each.value.name })

  lifecycle {
    precondition {
      condition     = length(each.value.name) <= 63
      error_message = "The replica bucket name \"${each.value.name}\" is longer than S3's 63 characters: shorten the name or the bucket key."
    }
  }
}

resource "aws_s3_bucket_public_access_block" "replica" {
  for_each = local.replica_buckets
  provider = aws.replica

  bucket = aws_s3_bucket.replica[each.key].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "replica" {
  for_each = local.replica_buckets
  provider = aws.replica

  bucket = aws_s3_bucket.replica[each.key].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Replication needs versioning on both sides.
resource "aws_s3_bucket_versioning" "replica" {
  for_each = local.replica_buckets
  provider = aws.replica

  bucket = aws_s3_bucket.replica[each.key].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "replica" {
  for_each = local.replica_buckets
  provider = aws.replica

  bucket = aws_s3_bucket.replica[each.key].id

  rule {
    bucket_key_enabled = true

    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.replication.kms_key_arn
    }
  }
}

# Replicas land in STANDARD_IA (a disaster-recovery copy is rarely read) and follow
# the source's later steps: to GLACIER and expiry on the same days, and the same
# noncurrent-version expiry (replicated deletes leave noncurrent versions too).
resource "aws_s3_bucket_lifecycle_configuration" "replica" {
  for_each = local.replica_buckets
  provider = aws.replica

  bucket = aws_s3_bucket.replica[each.key].id

  rule {
    id     = "default"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    dynamic "transition" {
      for_each = each.value.transition_to_glacier_days == null ? [] : [each.value.transition_to_glacier_days]

      content {
        days          = transition.value
        storage_class = "GLACIER"
      }
    }

    dynamic "expiration" {
      for_each = each.value.expiration_days == null ? [] : [each.value.expiration_days]

      content {
        days = expiration.value
      }
    }

    dynamic "noncurrent_version_expiration" {
      for_each = each.value.noncurrent_expiration_days == null ? [] : [each.value.noncurrent_expiration_days]

      content {
        noncurrent_days = noncurrent_version_expiration.value
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.replica]
}

data "aws_iam_policy_document" "replica" {
  for_each = local.replica_buckets

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.replica[each.key].arn, "${aws_s3_bucket.replica[each.key].arn}/*"]

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
  for_each = local.replica_buckets
  provider = aws.replica

  bucket = aws_s3_bucket.replica[each.key].id
  policy = data.aws_iam_policy_document.replica[each.key].json

  depends_on = [aws_s3_bucket_public_access_block.replica]
}

resource "aws_s3_bucket_logging" "replica" {
  for_each = local.replica_buckets
  provider = aws.replica

  bucket        = aws_s3_bucket.replica[each.key].id
  target_bucket = aws_s3_bucket.replica_logs[0].id
  target_prefix = "${local.replica_s3_log_prefix}${each.key}/"

  depends_on = [aws_s3_bucket_policy.replica_logs]
}

################################################################################
# The replica region's log bucket: the replicas' access logs, and the replica of
# the log bucket itself
################################################################################

resource "aws_s3_bucket" "replica_logs" {
  count    = local.replicate ? 1 : 0
  provider = aws.replica

  bucket        = local.replica_log_bucket_name
  force_destroy = var.force_destroy

  tags = merge(var.tags, { Name = local.replica_log_bucket_name })
}

resource "aws_s3_bucket_public_access_block" "replica_logs" {
  count    = local.replicate ? 1 : 0
  provider = aws.replica

  bucket = aws_s3_bucket.replica_logs[0].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "replica_logs" {
  count    = local.replicate ? 1 : 0
  provider = aws.replica

  bucket = aws_s3_bucket.replica_logs[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "replica_logs" {
  count    = local.replicate ? 1 : 0
  provider = aws.replica

  bucket = aws_s3_bucket.replica_logs[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-S3, as the log bucket: S3 server access logging writes only into such buckets.
resource "aws_s3_bucket_server_side_encryption_configuration" "replica_logs" {
  count    = local.replicate ? 1 : 0
  provider = aws.replica

  bucket = aws_s3_bucket.replica_logs[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "replica_logs" {
  count    = local.replicate ? 1 : 0
  provider = aws.replica

  bucket = aws_s3_bucket.replica_logs[0].id

  rule {
    id     = "expire-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.log_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.replica_logs]
}

data "aws_iam_policy_document" "replica_logs" {
  count = local.replicate ? 1 : 0

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.replica_log_bucket_arn, "${local.replica_log_bucket_arn}/*"]

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

  # One statement per replica: each may only write its own prefix.
  dynamic "statement" {
    for_each = local.replica_buckets

    content {
      sid       = "S3ServerAccessLogsWrite${replace(title(replace(statement.key, "-", " ")), " ", "")}Replica"
      actions   = ["s3:PutObject"]
      resources = ["${local.replica_log_bucket_arn}/${local.replica_s3_log_prefix}${statement.key}/*"]

      principals {
        type        = "Service"
        identifiers = ["logging.s3.amazonaws.com"]
      }

      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = ["arn:${local.partition}:s3:::${statement.value.name}"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "replica_logs" {
  count    = local.replicate ? 1 : 0
  provider = aws.replica

  bucket = aws_s3_bucket.replica_logs[0].id
  policy = data.aws_iam_policy_document.replica_logs[0].json

  depends_on = [aws_s3_bucket_public_access_block.replica_logs]
}

################################################################################
# Replication role and rules
################################################################################

data "aws_iam_policy_document" "replication_assume_role" {
  count = local.replicate ? 1 : 0

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
  count = local.replicate ? 1 : 0

  name               = "${var.name}-s3-replication"
  description        = "S3 replicates the buckets of ${var.name} into ${local.replica_region}."
  assume_role_policy = data.aws_iam_policy_document.replication_assume_role[0].json

  tags = merge(var.tags, { Name = "${var.name}-s3-replication" })
}

locals {
  # Source bucket ARN => replica bucket ARN, the log bucket included.
  replication_pairs = local.replicate ? merge(
    { for key, bucket in local.replica_buckets : "arn:${local.partition}:s3:::${var.name}-${key}" => "arn:${local.partition}:s3:::${bucket.name}" },
    { (local.log_bucket_arn) = local.replica_log_bucket_arn },
  ) : {}
}

data "aws_iam_policy_document" "replication" {
  count = local.replicate ? 1 : 0

  statement {
    sid       = "ReadReplicationConfiguration"
    actions   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
    resources = keys(local.replication_pairs)
  }

  statement {
    sid = "ReadSourceVersions"
    actions = [
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionTagging",
    ]
    resources = [for arn in keys(local.replication_pairs) : "${arn}/*"]
  }

  statement {
    sid       = "WriteReplicas"
    actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    resources = [for arn in values(local.replication_pairs) : "${arn}/*"]
  }

  statement {
    sid       = "DecryptSources"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${data.aws_region.current.name}.amazonaws.com"]
    }
  }

  statement {
    sid       = "EncryptReplicas"
    actions   = ["kms:Encrypt", "kms:GenerateDataKey"]
    resources = [var.replication.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.replica_region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "replication" {
  count = local.replicate ? 1 : 0

  name   = "${var.name}-s3-replication"
  role   = aws_iam_role.replication[0].id
  policy = data.aws_iam_policy_document.replication[0].json
}

resource "aws_s3_bucket_replication_configuration" "this" {
  for_each = local.replica_buckets

  bucket = aws_s3_bucket.this[each.key].id
  role   = aws_iam_role.replication[0].arn

  rule {
    id     = "disaster-recovery"
    status = "Enabled"

    filter {}

    delete_marker_replication {
      status = "Enabled"
    }

    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }

    destination {
      bucket        = aws_s3_bucket.replica[each.key].arn
      storage_class = "STANDARD_IA"

      encryption_configuration {
        replica_kms_key_id = var.replication.kms_key_arn
      }
    }
  }

  # Both sides must be versioned, and S3 must be allowed to replicate, first.
  depends_on = [aws_s3_bucket_versioning.this, aws_s3_bucket_versioning.replica, aws_iam_role_policy.replication]

  lifecycle {
    precondition {
      condition     = each.value.versioning
      error_message = "The bucket \"${var.name}-${each.key}\" has versioning off; replication needs it on."
    }
  }
}

resource "aws_s3_bucket_replication_configuration" "logs" {
  count = local.replicate ? 1 : 0

  bucket = aws_s3_bucket.logs.id
  role   = aws_iam_role.replication[0].arn

  rule {
    id     = "disaster-recovery"
    status = "Enabled"

    filter {}

    delete_marker_replication {
      status = "Enabled"
    }

    destination {
      bucket        = aws_s3_bucket.replica_logs[0].arn
      storage_class = "STANDARD_IA"
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs, aws_s3_bucket_versioning.replica_logs, aws_iam_role_policy.replication]
}
