data "aws_partition" "current" {}

# Read back so that the encryption settings refer to key objects rather than to
# variables: plan scanners (checkov CKV_AWS_99) only follow such references when the
# ARNs are unknown until apply.
data "aws_kms_key" "this" {
  for_each = { data = var.kms_key_arn, logs = var.log_kms_key_arn }

  key_id = each.value
}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  # Glue and Athena names take underscores, not hyphens.
  catalog_prefix = replace(var.name, "-", "_")
  databases = {
    raw     = "${local.catalog_prefix}_raw"
    curated = "${local.catalog_prefix}_curated"
  }

  # The work bucket holds what the platform itself writes: job scripts (scripts/), Glue's
  # temporary files (tmp/) and Athena's query results (athena/).
  buckets = {
    raw = {
      name                       = "${var.name}-raw"
      transition_to_glacier_days = var.raw_transition_to_glacier_days
      expiration_days            = var.raw_expiration_days
    }
    curated = { name = "${var.name}-curated", transition_to_glacier_days = null, expiration_days = null }
    work    = { name = "${var.name}-data-work", transition_to_glacier_days = null, expiration_days = null }
  }
  bucket_arns = { for key, bucket in local.buckets : key => "arn:${local.partition}:s3:::${bucket.name}" }

  # What the ETL function reacts to: objects landed by producers, and Firehose deliveries.
  etl_prefixes = ["landing/", "streams/"]
}

################################################################################
# Zones: raw, curated, and the platform's work bucket
################################################################################

module "bucket" {
  source   = "../log-bucket"
  for_each = local.buckets

  name                       = each.value.name
  kms_key_arn                = var.kms_key_arn
  transition_to_glacier_days = each.value.transition_to_glacier_days
  expiration_days            = each.value.expiration_days
  access_log_bucket          = var.access_log_bucket
  access_logging             = true
  force_destroy              = var.force_destroy
  # The ARN comes through the invoke permission, so S3 is told only once it may invoke.
  lambda_notifications = each.key != "raw" ? [] : [
    for prefix in local.etl_prefixes : {
      function_arn  = aws_lambda_permission.etl.function_name
      events        = ["s3:ObjectCreated:*"]
      filter_prefix = prefix
    }
  ]

  tags = var.tags
}

################################################################################
# Glue: catalog, crawler, ETL jobs
################################################################################

resource "aws_glue_catalog_database" "this" {
  for_each = local.databases

  name        = each.value
  description = "The ${each.key} zone of ${var.name}'s data lake (s3://${local.buckets[each.key].name}/)."

  tags = var.tags
}

# Everything Glue writes outside the zones (S3, job bookmarks, CloudWatch Logs) is
# encrypted with the environment's keys.
resource "aws_glue_security_configuration" "this" {
  name = "${var.name}-data"

  encryption_configuration {
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = data.aws_kms_key.this["data"].arn
    }

    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = data.aws_kms_key.this["logs"].arn
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = data.aws_kms_key.this["data"].arn
    }
  }
}

data "aws_iam_policy_document" "glue_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# Two roles: the crawler reads the raw zone and writes its database's tables; the jobs
# read the raw zone and write the curated zone and its database.
resource "aws_iam_role" "glue" {
  for_each = toset(["crawler", "jobs"])

  name               = "${var.name}-glue-${each.key}"
  description        = "Glue ${each.key} of ${var.name}'s data lake."
  assume_role_policy = data.aws_iam_policy_document.glue_assume_role.json

  tags = merge(var.tags, { Name = "${var.name}-glue-${each.key}" })
}

data "aws_iam_policy_document" "glue_common" {
  statement {
    sid       = "ReadRawZone"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [local.bucket_arns.raw, "${local.bucket_arns.raw}/*"]
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"]
    resources = [var.kms_key_arn]
  }

  # Glue's logs, encrypted through the security configuration with the logs key.
  statement {
    sid       = "WriteGlueLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"]
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/*"]
  }

  statement {
    sid       = "UseLogsKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"]
    resources = [var.log_kms_key_arn]
  }

  statement {
    sid       = "ReadCatalog"
    actions   = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"]
    resources = concat(["arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog"], local.database_arns, local.table_arns)
  }

  statement {
    sid       = "GetSecurityConfiguration"
    actions   = ["glue:GetSecurityConfiguration"]
    resources = ["*"]
  }
}

locals {
  database_arns = [for db in values(local.databases) : "arn:${local.partition}:glue:${local.region}:${local.account_id}:database/${db}"]
  table_arns    = [for db in values(local.databases) : "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${db}/*"]
  catalog_writes = [
    "glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable",
    "glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition", "glue:BatchUpdatePartition",
    "glue:DeletePartition", "glue:BatchDeletePartition",
  ]
}

data "aws_iam_policy_document" "glue_crawler" {
  source_policy_documents = [data.aws_iam_policy_document.glue_common.json]

  statement {
    sid     = "WriteRawCatalog"
    actions = concat(local.catalog_writes, ["glue:UpdateDatabase"])
    resources = [
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog",
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:database/${local.databases.raw}",
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${local.databases.raw}/*",
    ]
  }
}

data "aws_iam_policy_document" "glue_jobs" {
  source_policy_documents = [data.aws_iam_policy_document.glue_common.json]

  statement {
    sid       = "WriteCuratedZone"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
    resources = [local.bucket_arns.curated, "${local.bucket_arns.curated}/*"]
  }

  statement {
    sid       = "ReadScriptsWriteTemp"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
    resources = [local.bucket_arns.work, "${local.bucket_arns.work}/scripts/*", "${local.bucket_arns.work}/tmp/*"]
  }

  statement {
    sid     = "WriteCuratedCatalog"
    actions = local.catalog_writes
    resources = [
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog",
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:database/${local.databases.curated}",
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${local.databases.curated}/*",
    ]
  }

  statement {
    sid       = "PublishJobMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["Glue"]
    }
  }
}

resource "aws_iam_role_policy" "glue" {
  for_each = aws_iam_role.glue

  name   = each.value.name
  role   = each.value.id
  policy = each.key == "crawler" ? data.aws_iam_policy_document.glue_crawler.json : data.aws_iam_policy_document.glue_jobs.json
}

resource "aws_glue_crawler" "raw" {
  name                   = "${var.name}-raw"
  description            = "Catalogues the raw zone (s3://${local.buckets.raw.name}/) into ${local.databases.raw}."
  database_name          = aws_glue_catalog_database.this["raw"].name
  role                   = aws_iam_role.glue["crawler"].arn
  security_configuration = aws_glue_security_configuration.this.name
  schedule               = var.crawler_schedule

  s3_target {
    path       = "s3://${module.bucket["raw"].id}/"
    exclusions = ["firehose-errors/**"]
  }

  schema_change_policy {
    update_behavior = "UPDATE_IN_DATABASE"
    delete_behavior = "DEPRECATE_IN_DATABASE"
  }

  tags = merge(var.tags, { Name = "${var.name}-raw" })

  depends_on = [aws_iam_role_policy.glue]
}

resource "aws_s3_object" "script" {
  for_each = var.jobs

  bucket      = module.bucket["work"].id
  key         = "scripts/${each.key}.py"
  source      = each.value.script_path
  source_hash = filemd5(each.value.script_path)

  tags = var.tags
}

resource "aws_glue_job" "this" {
  for_each = var.jobs

  name         = "${var.name}-${each.key}"
  description  = "Spark ETL from ${local.databases.raw} to the curated zone (s3://${local.buckets.curated.name}/)."
  role_arn     = aws_iam_role.glue["jobs"].arn
  glue_version = "4.0"
  # Runs start at once (FLEX may wait for spare capacity): the curated zone keeps its pace.
  execution_class        = "STANDARD"
  worker_type            = each.value.worker_type
  number_of_workers      = each.value.number_of_workers
  timeout                = each.value.timeout
  security_configuration = aws_glue_security_configuration.this.name

  command {
    name            = "glueetl"
    script_location = "s3://${aws_s3_object.script[each.key].bucket}/${aws_s3_object.script[each.key].key}"
    python_version  = "3"
  }

  default_arguments = merge({
    "--job-language"                     = "python"
    "--job-bookmark-option"              = "job-bookmark-enable"
    "--enable-metrics"                   = "true"
    "--enable-continuous-cloudwatch-log" = "true"
    "--TempDir"                          = "s3://${module.bucket["work"].id}/tmp/"
    "--raw_database"                     = aws_glue_catalog_database.this["raw"].name
    "--curated_database"                 = aws_glue_catalog_database.this["curated"].name
    "--curated_path"                     = "s3://${module.bucket["curated"].id}/${each.key}/"
  }, each.value.arguments)

  execution_property {
    max_concurrent_runs = 1
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  depends_on = [aws_iam_role_policy.glue]
}

################################################################################
# Athena: one workgroup whose settings queries cannot override
################################################################################

resource "aws_athena_workgroup" "this" {
  name          = var.name
  description   = "Queries over ${var.name}'s data lake; results encrypted, bytes scanned capped."
  force_destroy = var.force_destroy

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.athena_bytes_scanned_cutoff

    result_configuration {
      output_location = "s3://${module.bucket["work"].id}/athena/"

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = var.kms_key_arn
      }
    }
  }

  tags = merge(var.tags, { Name = var.name })
}

################################################################################
# Streaming: Kinesis data streams, delivered by Firehose into the raw zone
################################################################################

resource "aws_kinesis_stream" "this" {
  for_each = var.streams

  name             = "${var.name}-${each.key}"
  retention_period = each.value.retention_hours
  encryption_type  = "KMS"
  kms_key_id       = var.kms_key_arn

  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_cloudwatch_log_group" "firehose" {
  for_each = var.streams

  name              = "/aws/kinesisfirehose/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

resource "aws_cloudwatch_log_stream" "firehose" {
  for_each = var.streams

  name           = "DestinationDelivery"
  log_group_name = aws_cloudwatch_log_group.firehose[each.key].name
}

data "aws_iam_policy_document" "firehose_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "firehose" {
  for_each = var.streams

  name               = "${var.name}-${each.key}-firehose"
  description        = "Firehose delivery of stream ${each.key} of ${var.name} into the raw zone."
  assume_role_policy = data.aws_iam_policy_document.firehose_assume_role.json

  tags = merge(var.tags, { Name = "${var.name}-${each.key}-firehose" })
}

data "aws_iam_policy_document" "firehose" {
  for_each = var.streams

  statement {
    sid       = "ReadStream"
    actions   = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"]
    resources = [aws_kinesis_stream.this[each.key].arn]
  }

  statement {
    sid       = "DeliverToRawZone"
    actions   = ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"]
    resources = [local.bucket_arns.raw, "${local.bucket_arns.raw}/streams/${each.key}/*", "${local.bucket_arns.raw}/firehose-errors/${each.key}/*"]
  }

  # Decrypt what the stream holds; encrypt what lands in the raw zone.
  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["kinesis.${local.region}.amazonaws.com", "s3.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "WriteDeliveryErrors"
    actions   = ["logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.firehose[each.key].arn}:log-stream:*"]
  }
}

resource "aws_iam_role_policy" "firehose" {
  for_each = var.streams

  name   = aws_iam_role.firehose[each.key].name
  role   = aws_iam_role.firehose[each.key].id
  policy = data.aws_iam_policy_document.firehose[each.key].json
}

resource "aws_kinesis_firehose_delivery_stream" "this" {
  for_each = var.streams

  name        = "${var.name}-${each.key}"
  destination = "extended_s3"

  kinesis_source_configuration {
    kinesis_stream_arn = aws_kinesis_stream.this[each.key].arn
    role_arn           = aws_iam_role.firehose[each.key].arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose[each.key].arn
    bucket_arn          = module.bucket["raw"].arn
    prefix              = "streams/${each.key}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"
    error_output_prefix = "firehose-errors/${each.key}/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"
    buffering_size      = each.value.buffering_size_mib
    buffering_interval  = each.value.buffering_interval_sec
    compression_format  = "GZIP"
    kms_key_arn         = var.kms_key_arn

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose[each.key].name
      log_stream_name = aws_cloudwatch_log_stream.firehose[each.key].name
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  depends_on = [aws_iam_role_policy.firehose]
}

################################################################################
# ETL function: every new raw object, transformed into the curated zone
################################################################################

resource "aws_security_group" "etl" {
  name        = "${var.name}-data-etl"
  description = "ETL function of ${var.name}'s data lake: no inbound; HTTPS out to S3 and KMS."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-data-etl" })
}

resource "aws_vpc_security_group_egress_rule" "etl_https" {
  security_group_id = aws_security_group.etl.id
  description       = "HTTPS to the AWS APIs (S3, KMS) through the NAT gateways"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = merge(var.tags, { Name = "${var.name}-data-etl-https" })
}

module "etl" {
  source = "../functions"

  name               = "${var.name}-data"
  kms_key_arn        = var.kms_key_arn
  log_kms_key_arn    = var.log_kms_key_arn
  log_retention_days = var.log_retention_days

  functions = {
    etl = merge(var.etl_function, {
      environment = {
        CURATED_BUCKET = local.buckets.curated.name
        CURATED_PREFIX = "events/"
      }
      subnet_ids         = var.subnet_ids
      security_group_ids = [aws_security_group.etl.id]
    })
  }

  tags = var.tags
}

data "aws_iam_policy_document" "etl" {
  statement {
    sid       = "ReadNewRawObjects"
    actions   = ["s3:GetObject"]
    resources = [for prefix in local.etl_prefixes : "${local.bucket_arns.raw}/${prefix}*"]
  }

  statement {
    sid       = "WriteCuratedEvents"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arns.curated}/events/*"]
  }

  statement {
    sid       = "UseDataKeyThroughS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "etl" {
  name   = "${var.name}-data-etl-zones"
  role   = element(split("/", module.etl.role_arns["etl"]), 1)
  policy = data.aws_iam_policy_document.etl.json
}

resource "aws_lambda_permission" "etl" {
  statement_id   = "RawZoneObjectCreated"
  action         = "lambda:InvokeFunction"
  function_name  = module.etl.function_arns["etl"]
  principal      = "s3.amazonaws.com"
  source_arn     = local.bucket_arns.raw
  source_account = local.account_id
}
