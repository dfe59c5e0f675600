data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  # Hosts are tagged "Patch Group = <name>-<group>" by the section that runs them.
  patch_groups      = { for group, hosts in var.host_groups : group => "${var.name}-${group}" }
  operating_systems = toset([for hosts in values(var.host_groups) : hosts.operating_system])

  # What each baseline approves: security fixes and bug fixes, by each system's own
  # vocabulary, approve_after_days after their release.
  patch_filters = {
    AMAZON_LINUX_2023 = { CLASSIFICATION = ["Security", "Bugfix"], SEVERITY = ["Critical", "Important", "Medium"] }
    AMAZON_LINUX_2    = { CLASSIFICATION = ["Security", "Bugfix"], SEVERITY = ["Critical", "Important", "Medium"] }
    UBUNTU            = { PRIORITY = ["Required", "Important", "Standard"], SECTION = ["*"] }
  }

  # Groups whose instance profile (role) this module makes.
  profiled = { for group, hosts in var.host_groups : group => hosts if hosts.instance_profile }

  session_log_group  = "/ssm/sessions/${var.name}"
  patching_log_group = "/ssm/patching/${var.name}"
}

################################################################################
# Patch Manager: a baseline per operating system, a patch group per host group
################################################################################

resource "aws_ssm_patch_baseline" "this" {
  for_each = local.operating_systems

  name             = "${var.name}-${lower(replace(each.key, "_", "-"))}"
  description      = "Security and bug fixes for the ${each.key} hosts of ${var.name}, ${var.approve_after_days} days after release."
  operating_system = each.key

  approval_rule {
    approve_after_days  = var.approve_after_days
    compliance_level    = "CRITICAL"
    enable_non_security = false

    dynamic "patch_filter" {
      for_each = local.patch_filters[each.key]

      content {
        key    = patch_filter.key
        values = patch_filter.value
      }
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-${lower(replace(each.key, "_", "-"))}" })
}

resource "aws_ssm_patch_group" "this" {
  for_each = var.host_groups

  baseline_id = aws_ssm_patch_baseline.this[each.value.operating_system].id
  patch_group = local.patch_groups[each.key]
}

################################################################################
# Maintenance window: the hosts are patched (and rebooted if needed) in it
################################################################################

resource "aws_ssm_maintenance_window" "this" {
  name                       = "${var.name}-patching"
  description                = "Patching of the hosts of ${var.name}."
  schedule                   = var.window.schedule
  schedule_timezone          = "UTC"
  duration                   = var.window.duration_hours
  cutoff                     = var.window.cutoff_hours
  allow_unassociated_targets = false

  tags = merge(var.tags, { Name = "${var.name}-patching" })
}

resource "aws_ssm_maintenance_window_target" "this" {
  window_id     = aws_ssm_maintenance_window.this.id
  name          = "${var.name}-hosts"
  description   = "The hosts of ${var.name}, by their patch group."
  resource_type = "INSTANCE"

  targets {
    key    = "tag:Patch Group"
    values = values(local.patch_groups)
  }
}

resource "aws_ssm_maintenance_window_task" "patch" {
  window_id       = aws_ssm_maintenance_window.this.id
  name            = "${var.name}-install-patches"
  description     = "AWS-RunPatchBaseline: install the approved patches, reboot if needed."
  task_type       = "RUN_COMMAND"
  task_arn        = "AWS-RunPatchBaseline"
  priority        = 1
  max_concurrency = var.window.max_concurrency
  max_errors      = var.window.max_errors

  targets {
    key    = "WindowTargetIds"
    values = [aws_ssm_maintenance_window_target.this.id]
  }

  task_invocation_parameters {
    run_command_parameters {
      timeout_seconds = 3600

      parameter {
        name   = "Operation"
        values = ["Install"]
      }

      parameter {
        name   = "RebootOption"
        values = ["RebootIfNeeded"]
      }

      cloudwatch_config {
        cloudwatch_log_group_name = aws_cloudwatch_log_group.this["patching"].name
        cloudwatch_output_enabled = true
      }
    }
  }
}

################################################################################
# Session Manager: the only way onto a host (no key pair, no inbound port)
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  for_each = { sessions = local.session_log_group, patching = local.patching_log_group }

  name              = each.value
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = merge(var.tags, { Name = each.value })
}

# Start sessions with this document (aws ssm start-session --document-name ...): every
# session is encrypted with the logs key and recorded in the sessions log group.
resource "aws_ssm_document" "session" {
  name            = "${var.name}-session"
  document_type   = "Session"
  document_format = "JSON"

  content = jsonencode({
    schemaVersion = "1.0"
    description   = "Session Manager sessions on the hosts of ${var.name}: encrypted, logged, time-limited."
    sessionType   = "Standard_Stream"
    inputs = {
      kmsKeyId                    = var.log_kms_key_arn
      cloudWatchLogGroupName      = aws_cloudwatch_log_group.this["sessions"].name
      cloudWatchEncryptionEnabled = true
      cloudWatchStreamingEnabled  = true
      s3BucketName                = ""
      s3EncryptionEnabled         = true
      runAsEnabled                = false
      idleSessionTimeout          = tostring(var.session_idle_timeout_minutes)
      maxSessionDuration          = tostring(var.session_max_duration_minutes)
      shellProfile = {
        linux   = ""
        windows = ""
      }
    }
  })

  tags = merge(var.tags, { Name = "${var.name}-session" })
}

################################################################################
# Instance profiles: what a host needs for Systems Manager, and no more
################################################################################

data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "host" {
  for_each = local.profiled

  name               = "${var.name}-${each.key}-host"
  description        = "${each.value.what} of ${var.name}: Systems Manager (patching, Session Manager) only."
  assume_role_policy = data.aws_iam_policy_document.assume_role.json

  tags = merge(var.tags, { Name = "${var.name}-${each.key}-host" })
}

resource "aws_iam_role_policy_attachment" "ssm" {
  for_each = local.profiled

  role       = aws_iam_role.host[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "host" {
  statement {
    sid       = "EncryptSessions"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.log_kms_key_arn]
  }

  statement {
    sid       = "WriteSessionAndPatchingLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [for g in aws_cloudwatch_log_group.this : "${g.arn}:log-stream:*"]
  }

  statement {
    sid = "DescribeLogGroups"
    # Session Manager checks the log group before it streams; no resource-level permissions.
    actions   = ["logs:DescribeLogGroups"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "host" {
  for_each = local.profiled

  name   = "${var.name}-${each.key}-host"
  role   = aws_iam_role.host[each.key].id
  policy = data.aws_iam_policy_document.host.json
}

resource "aws_iam_instance_profile" "this" {
  for_each = local.profiled

  name = "${var.name}-${each.key}-host"
  role = aws_iam_role.host[each.key].name

  tags = merge(var.tags, { Name = "${var.name}-${each.key}-host" })
}
