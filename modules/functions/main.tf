data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  api_enabled = var.api.enabled
  api_routes  = local.api_enabled ? var.api.routes : {}

  # One integration (and one invoke permission) per function that some route uses.
  api_functions = toset([for r in values(local.api_routes) : r.function])
  api_uses_jwt  = anytrue([for r in values(local.api_routes) : r.authorization == "JWT"])

  api_cors_methods = distinct([for k in keys(local.api_routes) : split(" ", k)[0] if k != "$default"])
}

################################################################################
# Log groups (created before the functions so Lambda never creates them unencrypted)
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  for_each = var.functions

  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

################################################################################
# Dead-letter queues
################################################################################

resource "aws_sqs_queue" "dlq" {
  for_each = var.functions

  name                              = "${var.name}-${each.key}-dlq"
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 300
  # The longest SQS allows: failed asynchronous events stay inspectable for two weeks.
  message_retention_seconds = 1209600

  tags = var.tags
}

################################################################################
# Execution roles
################################################################################

# No aws:SourceAccount/SourceArn condition: Lambda does not send them when it assumes
# an execution role, so such a condition would lock the function out of its role.
data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = var.functions

  name               = "${var.name}-${each.key}-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume_role.json

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length("${var.name}-${each.key}-lambda") <= 64
      error_message = "The role name \"${var.name}-${each.key}-lambda\" exceeds IAM's 64 characters: shorten var.name or the function key."
    }
  }
}

data "aws_iam_policy_document" "this" {
  for_each = var.functions

  # AWSLambdaBasicExecutionRole, narrowed to the function's own log group (which the
  # module creates, so no logs:CreateLogGroup).
  statement {
    sid       = "WriteOwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this[each.key].arn}:*"]
  }

  # X-Ray has no resource-level permissions: these two actions only accept "*".
  statement {
    sid       = "WriteTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  statement {
    sid       = "SendToOwnDeadLetterQueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq[each.key].arn]
  }

  # Decrypt the environment variables; encrypt messages for the KMS-encrypted DLQ.
  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "this" {
  for_each = var.functions

  name   = "${var.name}-${each.key}-lambda"
  role   = aws_iam_role.this[each.key].id
  policy = data.aws_iam_policy_document.this[each.key].json
}

# Lambda checks these ENI permissions when it creates a VPC-attached function; the AWS
# managed policy is what it expects, and AWS keeps it in step with the service.
resource "aws_iam_role_policy_attachment" "vpc" {
  for_each = { for k, f in var.functions : k => f if length(f.subnet_ids) > 0 }

  role       = aws_iam_role.this[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

################################################################################
# Functions
################################################################################

resource "aws_lambda_function" "this" {
  for_each = var.functions

  function_name    = "${var.name}-${each.key}"
  role             = aws_iam_role.this[each.key].arn
  filename         = each.value.package_path
  source_code_hash = filebase64sha256(each.value.package_path)
  package_type     = "Zip"
  runtime          = each.value.runtime
  handler          = each.value.handler
  memory_size      = each.value.memory_size
  timeout          = each.value.timeout

  reserved_concurrent_executions = each.value.reserved_concurrency
  kms_key_arn                    = var.kms_key_arn

  dynamic "environment" {
    for_each = length(each.value.environment) > 0 ? [each.value.environment] : []

    content {
      variables = environment.value
    }
  }

  tracing_config {
    mode = "Active"
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dlq[each.key].arn
  }

  dynamic "vpc_config" {
    for_each = length(each.value.subnet_ids) > 0 ? [each.value] : []

    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  tags = var.tags

  # The log group must exist before the first invocation (or Lambda creates it without
  # KMS and retention), and the role must hold its permissions before Lambda validates them.
  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.this,
    aws_iam_role_policy_attachment.vpc,
  ]
}

################################################################################
# HTTP API
################################################################################

resource "aws_apigatewayv2_api" "this" {
  count = local.api_enabled ? 1 : 0

  name          = "${var.name}-api"
  protocol_type = "HTTP"

  dynamic "cors_configuration" {
    for_each = length(var.api.cors_allow_origins) > 0 ? [1] : []

    content {
      allow_origins = var.api.cors_allow_origins
      allow_methods = contains(local.api_cors_methods, "ANY") || contains(keys(local.api_routes), "$default") ? ["*"] : concat(local.api_cors_methods, ["OPTIONS"])
      allow_headers = ["authorization", "content-type"]
      max_age       = 300
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = alltrue([for r in values(local.api_routes) : contains(keys(var.functions), r.function)])
      error_message = "Every api.routes entry must name a key of var.functions."
    }
  }
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  count = local.api_enabled && local.api_uses_jwt ? 1 : 0

  api_id           = aws_apigatewayv2_api.this[0].id
  name             = "${var.name}-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.api.jwt_issuer
    audience = var.api.jwt_audience
  }
}

resource "aws_apigatewayv2_integration" "this" {
  for_each = local.api_functions

  api_id                 = aws_apigatewayv2_api.this[0].id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = aws_lambda_function.this[each.key].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "this" {
  for_each = local.api_routes

  api_id             = aws_apigatewayv2_api.this[0].id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.this[each.value.function].id}"
  authorization_type = each.value.authorization
  authorizer_id      = each.value.authorization == "JWT" ? aws_apigatewayv2_authorizer.jwt[0].id : null
}

resource "aws_cloudwatch_log_group" "api" {
  count = local.api_enabled ? 1 : 0

  name              = "/aws/apigateway/${var.name}-api"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

resource "aws_apigatewayv2_stage" "this" {
  count = local.api_enabled ? 1 : 0

  api_id      = aws_apigatewayv2_api.this[0].id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api[0].arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      ip                 = "$context.identity.sourceIp"
      userAgent          = "$context.identity.userAgent"
      httpMethod         = "$context.httpMethod"
      routeKey           = "$context.routeKey"
      path               = "$context.path"
      protocol           = "$context.protocol"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationStatus  = "$context.integrationStatus"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
      authorizerError    = "$context.authorizer.error"
      principal          = "$context.authorizer.claims.sub"
    })
  }

  default_route_settings {
    throttling_burst_limit   = var.api.throttling_burst_limit
    throttling_rate_limit    = var.api.throttling_rate_limit
    detailed_metrics_enabled = true
  }

  tags = var.tags
}

# Scoped to this API: only its routes, whose integrations name the function, can invoke it.
resource "aws_lambda_permission" "api" {
  for_each = local.api_functions

  statement_id   = "AllowInvokeFromHttpApi"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.this[each.key].function_name
  principal      = "apigateway.amazonaws.com"
  source_arn     = "${aws_apigatewayv2_api.this[0].execution_arn}/*"
  source_account = local.account_id
}
