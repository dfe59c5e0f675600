data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  bucket_name = "${var.name}-ml"
  bucket_arn  = "arn:${local.partition}:s3:::${local.bucket_name}"

  # "<endpoint>/<version>" and "<endpoint>/<variant>" => what each needs.
  models = merge([
    for key, endpoint in var.endpoints : {
      for version, model in endpoint.versions : "${key}/${version}" => merge(model, { endpoint = key, version = version })
    }
  ]...)
  variants = merge([
    for key, endpoint in var.endpoints : {
      for name, variant in endpoint.variants : "${key}/${name}" => merge(variant, { endpoint = key, name = name, target = endpoint.invocations_per_instance })
    }
  ]...)

  subnet_arns = [for id in var.subnet_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/${id}"]
}

################################################################################
# Artifacts: model images and model data
################################################################################

# Model data under models/<endpoint>/<version>/model.tar.gz, captured requests and
# responses under capture/<endpoint>/.
module "bucket" {
  source = "../log-bucket"

  name                       = local.bucket_name
  kms_key_arn                = var.kms_key_arn
  transition_to_glacier_days = null
  expiration_days            = null
  access_log_bucket          = var.access_log_bucket
  access_logging             = true
  force_destroy              = var.force_destroy

  tags = var.tags
}

resource "aws_ecr_repository" "this" {
  for_each = var.endpoints

  name                 = "${var.name}-model-${each.key}"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = var.force_destroy

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }

  tags = merge(var.tags, { Name = "${var.name}-model-${each.key}" })
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = var.endpoints

  repository = aws_ecr_repository.this[each.key].name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last 30 images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 30
      }
      action = { type = "expire" }
    }]
  })
}

# The registry of each endpoint's model versions: the AI team's pipeline registers a
# model package per trained version, with its approval status.
resource "aws_sagemaker_model_package_group" "this" {
  for_each = var.endpoints

  model_package_group_name        = "${var.name}-${each.key}"
  model_package_group_description = "Versions of the ${each.key} model of ${var.name}."

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

################################################################################
# Execution roles: one per endpoint, its own artifacts and capture prefix only
################################################################################

data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = var.endpoints

  name               = "${var.name}-${each.key}-sagemaker"
  description        = "SageMaker execution role of the ${each.key} endpoint of ${var.name}."
  assume_role_policy = data.aws_iam_policy_document.assume_role.json

  tags = merge(var.tags, { Name = "${var.name}-${each.key}-sagemaker" })
}

data "aws_iam_policy_document" "this" {
  for_each = var.endpoints

  statement {
    sid = "EcrLogin"
    # GetAuthorizationToken has no resource-level permissions.
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullModelImage"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.this[each.key].arn]
  }

  statement {
    sid       = "ReadModelData"
    actions   = ["s3:GetObject"]
    resources = ["${local.bucket_arn}/models/${each.key}/*"]
  }

  statement {
    sid       = "WriteCapturedData"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/capture/${each.key}/*"]
  }

  statement {
    sid       = "UseDataKeyThroughS3AndEcr"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com", "ecr.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "WriteEndpointLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.this[each.key].arn}:*"]
  }

  statement {
    sid       = "PublishEndpointMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "cloudwatch:namespace"
      values   = ["/aws/sagemaker/Endpoints*"]
    }
  }

  # What SageMaker needs to attach the instances to the private subnets.
  statement {
    sid       = "DescribeNetwork"
    actions   = ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"]
    resources = ["*"]
  }

  statement {
    sid     = "CreateInterfacesInPrivateSubnets"
    actions = ["ec2:CreateNetworkInterface"]
    resources = concat(local.subnet_arns, [
      aws_security_group.this.arn,
      "arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*",
    ])
  }

  statement {
    sid       = "ManageInterfacesInVpc"
    actions   = ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"]
    resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"]

    condition {
      test     = "ArnEquals"
      variable = "ec2:Vpc"
      values   = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:vpc/${var.vpc_id}"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  for_each = var.endpoints

  name   = aws_iam_role.this[each.key].name
  role   = aws_iam_role.this[each.key].id
  policy = data.aws_iam_policy_document.this[each.key].json
}

################################################################################
# Network and logs
################################################################################

resource "aws_security_group" "this" {
  name        = "${var.name}-ml-endpoints"
  description = "SageMaker endpoints of ${var.name}: no inbound; HTTPS out to S3, ECR and CloudWatch."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-ml-endpoints" })
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS to the AWS APIs (S3, ECR, CloudWatch) through the NAT gateways"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = merge(var.tags, { Name = "${var.name}-ml-endpoints-https" })
}

# Created before the endpoint, so SageMaker never creates it unencrypted and unexpiring.
resource "aws_cloudwatch_log_group" "this" {
  for_each = var.endpoints

  name              = "/aws/sagemaker/Endpoints/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

################################################################################
# Models, endpoint configurations, endpoints
################################################################################

# A version is immutable: to serve a new image or artifact, add a version and move a
# variant (or its weight) to it.
resource "aws_sagemaker_model" "this" {
  for_each = local.models

  name                     = "${var.name}-${replace(each.key, "/", "-")}"
  execution_role_arn       = aws_iam_role.this[each.value.endpoint].arn
  enable_network_isolation = each.value.network_isolation

  primary_container {
    image          = "${aws_ecr_repository.this[each.value.endpoint].repository_url}:${each.value.image_tag}"
    model_data_url = "s3://${module.bucket.id}/models/${each.value.endpoint}/${each.value.version}/model.tar.gz"
    environment    = each.value.environment
  }

  vpc_config {
    subnets            = var.subnet_ids
    security_group_ids = [aws_security_group.this.id]
  }

  tags = merge(var.tags, { Name = "${var.name}-${replace(each.key, "/", "-")}" })

  depends_on = [aws_iam_role_policy.this]
}

# Configurations cannot change: a new weight is a new configuration, created before the
# endpoint moves to it and the old one is deleted.
resource "aws_sagemaker_endpoint_configuration" "this" {
  for_each = var.endpoints

  name_prefix = "${var.name}-${each.key}-"
  kms_key_arn = var.kms_key_arn

  dynamic "production_variants" {
    for_each = each.value.variants

    content {
      variant_name           = production_variants.key
      model_name             = aws_sagemaker_model.this["${each.key}/${production_variants.value.version}"].name
      instance_type          = production_variants.value.instance_type
      initial_instance_count = production_variants.value.min_instances
      initial_variant_weight = production_variants.value.weight
    }
  }

  dynamic "data_capture_config" {
    for_each = each.value.data_capture_percent > 0 ? [each.value.data_capture_percent] : []

    content {
      enable_capture              = true
      initial_sampling_percentage = data_capture_config.value
      destination_s3_uri          = "s3://${module.bucket.id}/capture/${each.key}/"
      kms_key_id                  = var.kms_key_arn

      capture_options {
        capture_mode = "Input"
      }

      capture_options {
        capture_mode = "Output"
      }

      capture_content_type_header {
        json_content_types = ["application/json"]
      }
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = length("${var.name}-${each.key}-") <= 37
      error_message = "The endpoint configuration prefix \"${var.name}-${each.key}-\" is longer than 37 characters (SageMaker names have 63, the generated suffix 26)."
    }
  }
}

resource "aws_sagemaker_endpoint" "this" {
  for_each = var.endpoints

  name                 = "${var.name}-${each.key}"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this[each.key].name

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  depends_on = [aws_cloudwatch_log_group.this]
}

################################################################################
# Auto scaling of each variant on invocations per instance
################################################################################

resource "aws_appautoscaling_target" "this" {
  for_each = local.variants

  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.this[each.value.endpoint].name}/variant/${each.value.name}"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = each.value.min_instances
  max_capacity       = each.value.max_instances

  tags = merge(var.tags, { Name = "${var.name}-${replace(each.key, "/", "-")}" })
}

resource "aws_appautoscaling_policy" "this" {
  for_each = aws_appautoscaling_target.this

  name               = "${var.name}-${replace(each.key, "/", "-")}-invocations"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = local.variants[each.key].target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}
