data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  # Standards ARNs are regional and have no account: known at plan time.
  standards = {
    cis-v3      = "arn:${local.partition}:securityhub:${local.region}::standards/cis-aws-foundations-benchmark/v/3.0.0"
    aws-fsbp-v1 = "arn:${local.partition}:securityhub:${local.region}::standards/aws-foundational-security-best-practices/v/1.0.0"
  }

  # GuardDuty severities: low 1-3.9, medium 4-6.9, high 7-8.9, critical 9-10.
  guardduty_min_severity = {
    LOW      = 1
    MEDIUM   = 4
    HIGH     = 7
    CRITICAL = 9
  }[var.min_finding_severity]
  securityhub_labels = {
    LOW      = ["LOW", "MEDIUM", "HIGH", "CRITICAL"]
    MEDIUM   = ["MEDIUM", "HIGH", "CRITICAL"]
    HIGH     = ["HIGH", "CRITICAL"]
    CRITICAL = ["CRITICAL"]
  }[var.min_finding_severity]
}

################################################################################
# GuardDuty
################################################################################

resource "aws_guardduty_detector" "this" {
  enable                       = true
  finding_publishing_frequency = var.finding_publishing_frequency

  tags = var.tags
}

# Protection plans are detector features (the detector's datasources block is deprecated).
resource "aws_guardduty_detector_feature" "s3" {
  detector_id = aws_guardduty_detector.this.id
  name        = "S3_DATA_EVENTS"
  status      = "ENABLED"
}

resource "aws_guardduty_detector_feature" "ebs_malware" {
  detector_id = aws_guardduty_detector.this.id
  name        = "EBS_MALWARE_PROTECTION"
  status      = "ENABLED"
}

# Runtime Monitoring with GuardDuty managing the security agent of ECS Fargate tasks.
resource "aws_guardduty_detector_feature" "runtime" {
  detector_id = aws_guardduty_detector.this.id
  name        = "RUNTIME_MONITORING"
  status      = "ENABLED"

  additional_configuration {
    name   = "ECS_FARGATE_AGENT_MANAGEMENT"
    status = "ENABLED"
  }

  additional_configuration {
    name   = "EC2_AGENT_MANAGEMENT"
    status = var.ec2_runtime_agent_management ? "ENABLED" : "DISABLED"
  }

  additional_configuration {
    name   = "EKS_ADDON_MANAGEMENT"
    status = "DISABLED"
  }
}

resource "aws_guardduty_detector_feature" "additional" {
  for_each = toset(var.additional_guardduty_features)

  detector_id = aws_guardduty_detector.this.id
  name        = each.key
  status      = "ENABLED"
}

################################################################################
# Security Hub
################################################################################

# Standards are subscribed explicitly below, not left to Security Hub's defaults.
resource "aws_securityhub_account" "this" {
  enable_default_standards  = false
  auto_enable_controls      = true
  control_finding_generator = "SECURITY_CONTROL"
}

resource "aws_securityhub_standards_subscription" "this" {
  for_each = { for k, arn in local.standards : k => arn if contains(var.securityhub_standards, k) }

  standards_arn = each.value

  depends_on = [aws_securityhub_account.this]
}

################################################################################
# Findings to the alerts topic
################################################################################

resource "aws_cloudwatch_event_rule" "guardduty" {
  name        = "${var.name}-guardduty-findings"
  description = "GuardDuty findings of severity ${var.min_finding_severity} or higher, to the alerts topic."
  event_pattern = jsonencode({
    source        = ["aws.guardduty"]
    "detail-type" = ["GuardDuty Finding"]
    detail = {
      severity = [{ numeric = [">=", local.guardduty_min_severity] }]
    }
  })

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "guardduty" {
  rule      = aws_cloudwatch_event_rule.guardduty.name
  target_id = "alerts-topic"
  arn       = var.alerts_topic_arn
}

# New, active Security Hub findings from other products and from the standards'
# controls. GuardDuty's own findings arrive through the rule above.
resource "aws_cloudwatch_event_rule" "securityhub" {
  count = var.forward_securityhub_findings ? 1 : 0

  name        = "${var.name}-securityhub-findings"
  description = "New Security Hub findings of severity ${var.min_finding_severity} or higher (except GuardDuty's), to the alerts topic."
  event_pattern = jsonencode({
    source        = ["aws.securityhub"]
    "detail-type" = ["Security Hub Findings - Imported"]
    detail = {
      findings = {
        Severity    = { Label = local.securityhub_labels }
        Workflow    = { Status = ["NEW"] }
        RecordState = ["ACTIVE"]
        ProductName = [{ "anything-but" = "GuardDuty" }]
      }
    }
  })

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "securityhub" {
  count = var.forward_securityhub_findings ? 1 : 0

  rule      = aws_cloudwatch_event_rule.securityhub[0].name
  target_id = "alerts-topic"
  arn       = var.alerts_topic_arn
}
