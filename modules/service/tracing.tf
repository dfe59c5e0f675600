################################################################################
# Tracing: the sidecar (in the task definition) sends to X-Ray; the task role may
# send, and X-Ray samples each service by its own rule
################################################################################

data "aws_iam_policy_document" "tracing" {
  for_each = local.traced

  statement {
    sid = "SendTraces"
    # X-Ray has no resource-level permissions for these.
    actions = [
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
      "xray:GetSamplingStatisticSummaries",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "tracing" {
  for_each = local.traced

  name   = "${var.name}-${each.key}-tracing"
  role   = aws_iam_role.task[each.key].id
  policy = data.aws_iam_policy_document.tracing[each.key].json
}

# Traces are named "<name>-<service>" by the sidecar's settings (AWS_XRAY_TRACING_NAME,
# OTEL_SERVICE_NAME); each rule samples its service's requests: reservoir per second,
# then rate of the rest.
resource "aws_xray_sampling_rule" "this" {
  for_each = local.traced

  rule_name      = "${var.name}-${each.key}"
  priority       = 1000
  version        = 1
  reservoir_size = each.value.reservoir_per_second
  fixed_rate     = each.value.sample_rate
  service_name   = "${var.name}-${each.key}"
  service_type   = "*"
  host           = "*"
  http_method    = "*"
  url_path       = "*"
  resource_arn   = "*"

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  lifecycle {
    precondition {
      condition     = length("${var.name}-${each.key}") <= 32
      error_message = "The sampling rule name \"${var.name}-${each.key}\" is longer than X-Ray's 32 characters: shorten the name or the service key."
    }
  }
}
