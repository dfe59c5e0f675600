data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
  bucket_name = "${var.name}-web"
  origin_id   = "s3-${local.bucket_name}"

  log_bucket_name = regex("^(.+)\\.s3(\\.[a-z0-9-]+)?\\.amazonaws\\.com$", var.log_bucket_domain_name)[0]

  # AWS managed "CachingOptimized" cache policy: the same ID in every account.
  caching_optimized_cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
}

################################################################################
# Origin bucket
################################################################################

resource "aws_s3_bucket" "this" {
  bucket        = local.bucket_name
  force_destroy = var.force_destroy

  tags = merge(var.tags, { Name = local.bucket_name })
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Versions let a bad deployment be rolled back object by object.
resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-S3 by default: every object is served to the public anyway, while SSE-KMS needs
# the key policy to admit CloudFront (see README) and adds KMS requests to cache misses.
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    bucket_key_enabled = var.kms_key_arn != null

    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "default"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    # Files replaced by later deployments stay available for a rollback for 90 days.
    noncurrent_version_expiration {
      noncurrent_days = 90
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "CloudFrontReadsThroughOriginAccessControl"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.this.arn}/*"]

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
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

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
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  # S3 rejects policy and public access block changes made at the same time.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

################################################################################
# Certificate (CloudFront only accepts certificates from us-east-1)
################################################################################

resource "aws_acm_certificate" "this" {
  provider = aws.us_east_1

  domain_name       = var.domain_name
  validation_method = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  tags = merge(var.tags, { Name = "${var.name}-web" })

  # The distribution keeps serving the old certificate until the new one exists.
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "validation" {
  zone_id         = var.zone_id
  name            = one(aws_acm_certificate.this.domain_validation_options).resource_record_name
  type            = one(aws_acm_certificate.this.domain_validation_options).resource_record_type
  records         = [one(aws_acm_certificate.this.domain_validation_options).resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  provider = aws.us_east_1

  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [aws_route53_record.validation.fqdn]
}

################################################################################
# CloudFront distribution
################################################################################

resource "aws_cloudfront_origin_access_control" "this" {
  name                              = local.bucket_name
  description                       = "Signs CloudFront's requests to the ${local.bucket_name} bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_response_headers_policy" "this" {
  name    = "${var.name}-web-security-headers"
  comment = "Security headers of ${var.domain_name}"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
  }
}

resource "aws_cloudfront_distribution" "this" {
  enabled             = true
  comment             = var.domain_name
  aliases             = [var.domain_name]
  default_root_object = var.default_root_object
  price_class         = var.price_class
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  web_acl_id          = var.web_acl_arn

  origin {
    origin_id                = local.origin_id
    domain_name              = aws_s3_bucket.this.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this.id
  }

  # With failover: the replica in the failover region, and a group that turns to it
  # when the primary origin fails (see failover.tf).
  dynamic "origin" {
    for_each = aws_s3_bucket.replica

    content {
      origin_id                = local.replica_origin_id
      domain_name              = origin.value.bucket_regional_domain_name
      origin_access_control_id = aws_cloudfront_origin_access_control.this.id
    }
  }

  dynamic "origin_group" {
    for_each = aws_s3_bucket.replica

    content {
      origin_id = local.origin_group_id

      failover_criteria {
        status_codes = local.failover_status_codes
      }

      member {
        origin_id = local.origin_id
      }

      member {
        origin_id = local.replica_origin_id
      }
    }
  }

  default_cache_behavior {
    target_origin_id           = local.failover ? local.origin_group_id : local.origin_id
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    viewer_protocol_policy     = "redirect-to-https"
    compress                   = true
    cache_policy_id            = local.caching_optimized_cache_policy_id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.this.id
  }

  # Single-page application: paths the bucket does not hold (403 without s3:ListBucket,
  # 404 otherwise) get the app's entry page, which routes on the client.
  dynamic "custom_error_response" {
    for_each = [403, 404]

    content {
      error_code            = custom_error_response.value
      response_code         = 200
      response_page_path    = "/${var.default_root_object}"
      error_caching_min_ttl = 10
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate_validation.this.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  tags = merge(var.tags, { Name = "${var.name}-web" })
}

################################################################################
# Access logs: standard logging v2 (CloudWatch Logs vended-log delivery) into the
# log bucket. Legacy standard logging (logging_config) needs ACLs on the bucket,
# which BucketOwnerEnforced disables. CloudFront deliveries are set up in us-east-1.
################################################################################

resource "aws_cloudwatch_log_delivery_source" "this" {
  provider = aws.us_east_1

  name         = "${var.name}-web-cloudfront"
  log_type     = "ACCESS_LOGS"
  resource_arn = aws_cloudfront_distribution.this.arn

  tags = merge(var.tags, { Name = "${var.name}-web-cloudfront" })
}

# W3C: the fields and layout of the legacy standard logs, without the charge for
# Parquet conversion.
resource "aws_cloudwatch_log_delivery_destination" "this" {
  provider = aws.us_east_1

  name          = "${var.name}-web-cloudfront-s3"
  output_format = "w3c"

  delivery_destination_configuration {
    destination_resource_arn = "arn:${local.partition}:s3:::${local.log_bucket_name}/cloudfront"
  }

  tags = merge(var.tags, { Name = "${var.name}-web-cloudfront-s3" })
}

resource "aws_cloudwatch_log_delivery" "this" {
  provider = aws.us_east_1

  delivery_source_name     = aws_cloudwatch_log_delivery_source.this.name
  delivery_destination_arn = aws_cloudwatch_log_delivery_destination.this.arn

  s3_delivery_configuration {
    suffix_path                 = "{DistributionId}/{yyyy}/{MM}/{dd}/{HH}"
    enable_hive_compatible_path = false
  }

  tags = merge(var.tags, { Name = "${var.name}-web-cloudfront" })
}

################################################################################
# DNS
################################################################################

resource "aws_route53_record" "this" {
  for_each = toset(["A", "AAAA"])

  zone_id = var.zone_id
  name    = var.domain_name
  type    = each.key

  alias {
    name                   = aws_cloudfront_distribution.this.domain_name
    zone_id                = aws_cloudfront_distribution.this.hosted_zone_id
    evaluate_target_health = false
  }
}

################################################################################
# Health check: Route 53 checkers around the world request the site over HTTPS
################################################################################

resource "aws_route53_health_check" "this" {
  count = var.health_check == null ? 0 : 1

  fqdn              = var.domain_name
  type              = "HTTPS"
  port              = 443
  resource_path     = var.health_check.path
  enable_sni        = true
  request_interval  = var.health_check.request_interval
  failure_threshold = var.health_check.failure_threshold

  tags = merge(var.tags, { Name = "${var.name}-web" })
}
