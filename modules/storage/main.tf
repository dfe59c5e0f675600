data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  log_bucket_name = "${var.name}-logs"
  # Built from parts (not read from the bucket) so the policy documents can name it
  # before the bucket exists.
  log_bucket_arn = "arn:${local.partition}:s3:::${local.log_bucket_name}"

  # Each delivering service writes under its own prefix, and the log bucket policy lets
  # it write there only.
  s3_access_log_prefix  = "s3/"
  alb_access_log_prefix = "alb/"
  cloudfront_log_prefix = "cloudfront/"

  # Regions opened before August 2022 deliver ALB access logs as the region's
  # Elastic Load Balancing account, not as the log delivery service principal.
  elb_log_accounts = {
    us-east-1      = "127311923021"
    us-east-2      = "033677994240"
    us-west-1      = "027434742980"
    us-west-2      = "797873946194"
    af-south-1     = "098369216593"
    ca-central-1   = "985666609251"
    eu-central-1   = "054676820928"
    eu-west-1      = "156460612806"
    eu-west-2      = "652711504416"
    eu-west-3      = "009996457667"
    eu-south-1     = "635631232127"
    eu-north-1     = "897822967062"
    ap-east-1      = "754344448648"
    ap-northeast-1 = "582318560864"
    ap-northeast-2 = "600734575887"
    ap-northeast-3 = "383597477331"
    ap-southeast-1 = "114774131450"
    ap-southeast-2 = "783225319266"
    ap-south-1     = "718504428378"
    me-south-1     = "076674570225"
    sa-east-1      = "507241528517"
  }
  elb_log_account = lookup(local.elb_log_accounts, data.aws_region.current.name, null)
}

################################################################################
# Data buckets
################################################################################

resource "aws_s3_bucket" "this" {
  for_each = var.buckets

  bucket        = "${var.name}-${each.key}"
  force_destroy = var.force_destroy

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  lifecycle {
    precondition {
      condition     = length("${var.name}-${each.key}") <= 63
      error_message = "The bucket name \"${var.name}-${each.key}\" is longer than S3's 63 characters: shorten the name or the bucket key."
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = var.buckets

  bucket = aws_s3_bucket.this[each.key].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs disabled: the bucket owner owns every object and only policies grant access.
resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = var.buckets

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# "Suspended" rather than "Disabled" when versioning is off: S3 accepts it for new
# buckets and for buckets that were versioned before, "Disabled" only for the former.
resource "aws_s3_bucket_versioning" "this" {
  for_each = var.buckets

  bucket = aws_s3_bucket.this[each.key].id

  versioning_configuration {
    status = each.value.versioning ? "Enabled" : "Suspended"
  }
}

# The bucket key cuts KMS requests (and their cost) by caching a bucket-level data key.
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = var.buckets

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    bucket_key_enabled = true

    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = var.buckets

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    id     = "default"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    dynamic "transition" {
      for_each = each.value.transition_to_ia_days == null ? [] : [each.value.transition_to_ia_days]

      content {
        days          = transition.value
        storage_class = "STANDARD_IA"
      }
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

  # Noncurrent-version rules only make sense once versioning is set.
  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "this" {
  for_each = var.buckets

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this[each.key].arn, "${aws_s3_bucket.this[each.key].arn}/*"]

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

resource "aws_s3_bucket_policy" "this" {
  for_each = var.buckets

  bucket = aws_s3_bucket.this[each.key].id
  policy = data.aws_iam_policy_document.this[each.key].json

  # S3 rejects policy and public access block changes made at the same time.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_logging" "this" {
  for_each = var.buckets

  bucket        = aws_s3_bucket.this[each.key].id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "${local.s3_access_log_prefix}${each.key}/"

  # S3 checks that it may write into the target bucket when logging is switched on.
  depends_on = [aws_s3_bucket_policy.logs]
}

################################################################################
# Log bucket
################################################################################

resource "aws_s3_bucket" "logs" {
  bucket        = local.log_bucket_name
  force_destroy = var.force_destroy

  tags = merge(var.tags, { Name = local.log_bucket_name })
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket = aws_s3_bucket.logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Every delivering service below is granted access by the bucket policy, so ACLs can
# stay disabled. (CloudFront's legacy standard logging needs ACLs; the frontend module
# uses standard logging v2 instead.)
resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-S3, not SSE-KMS: S3 server access logging and ALB access logs can only write
# into buckets whose default encryption is SSE-S3.
resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "expire-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.log_retention_days
    }

    # A deleted or overwritten log stays recoverable for 30 days.
    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}

data "aws_iam_policy_document" "logs" {
  # Principal {"AWS": "*"} is IAM's equivalent of "*"; the emulator's check of this
  # policy (when logging is switched on) fails on the bare string form.
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.log_bucket_arn, "${local.log_bucket_arn}/*"]

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

  # One statement per data bucket: each may only write its own prefix.
  dynamic "statement" {
    for_each = var.buckets

    content {
      sid       = "S3ServerAccessLogsWrite${replace(title(replace(statement.key, "-", " ")), " ", "")}"
      actions   = ["s3:PutObject"]
      resources = ["${local.log_bucket_arn}/${local.s3_access_log_prefix}${statement.key}/*"]

      principals {
        type        = "Service"
        identifiers = ["logging.s3.amazonaws.com"]
      }

      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = ["arn:${local.partition}:s3:::${var.name}-${statement.key}"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }

  # Buckets of other modules of the environment (data lake zones, model artifacts) log
  # under "s3/<bucket name>/": only buckets named "<name>-..." of this account.
  statement {
    sid       = "S3ServerAccessLogsWriteEnvironmentBuckets"
    actions   = ["s3:PutObject"]
    resources = ["${local.log_bucket_arn}/${local.s3_access_log_prefix}${var.name}-*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:s3:::${var.name}-*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  # Newer regions deliver as the service principal, older ones as their ELB account
  # (below). The account ID in the path limits both to this account's load balancers.
  statement {
    sid       = "ALBAccessLogsWrite"
    actions   = ["s3:PutObject"]
    resources = ["${local.log_bucket_arn}/${local.alb_access_log_prefix}AWSLogs/${local.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }

  dynamic "statement" {
    for_each = local.elb_log_account == null ? [] : [local.elb_log_account]

    content {
      sid       = "ALBAccessLogsWriteRegionalELBAccount"
      actions   = ["s3:PutObject"]
      resources = ["${local.log_bucket_arn}/${local.alb_access_log_prefix}AWSLogs/${local.account_id}/*"]

      principals {
        type        = "AWS"
        identifiers = ["arn:${local.partition}:iam::${statement.value}:root"]
      }
    }
  }

  # CloudFront standard logging (v2) delivers through CloudWatch Logs vended-log
  # delivery, configured in us-east-1 whatever the bucket's region.
  statement {
    sid       = "CloudFrontLogDeliveryWrite"
    actions   = ["s3:PutObject"]
    resources = ["${local.log_bucket_arn}/${local.cloudfront_log_prefix}*"]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:logs:us-east-1:${local.account_id}:delivery-source:*"]
    }
  }

  statement {
    sid       = "CloudFrontLogDeliveryAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [local.log_bucket_arn]

    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:logs:us-east-1:${local.account_id}:delivery-source:*"]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json

  depends_on = [aws_s3_bucket_public_access_block.logs]
}
