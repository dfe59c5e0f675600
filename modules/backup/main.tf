data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  copy = var.copy != null

  # What the selection (and restore testing) may pick, by resource type: AWS Backup
  # protects only this region's resources of the plan.
  resource_arn_patterns = {
    RDS      = ["arn:${local.partition}:rds:${local.region}:${local.account_id}:db:*", "arn:${local.partition}:rds:${local.region}:${local.account_id}:cluster:*"]
    DynamoDB = ["arn:${local.partition}:dynamodb:${local.region}:${local.account_id}:table/*"]
    EBS      = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:volume/*"]
    S3       = ["arn:${local.partition}:s3:::*"]
  }
}

################################################################################
# Vaults: the home region's, and (with copy) the DR region's
################################################################################

resource "aws_backup_vault" "this" {
  name        = var.name
  kms_key_arn = var.kms_key_arn
  # Recovery points are never deleted with the vault: they expire by their lifecycle.
  force_destroy = false

  tags = merge(var.tags, { Name = var.name })
}

# Compliance mode once changeable_for_days have passed: nobody, the account's root
# included, can then shorten retention, delete recovery points early or unlock.
resource "aws_backup_vault_lock_configuration" "this" {
  count = var.vault_lock == null ? 0 : 1

  backup_vault_name   = aws_backup_vault.this.name
  min_retention_days  = var.vault_lock.min_retention_days
  max_retention_days  = var.vault_lock.max_retention_days
  changeable_for_days = var.vault_lock.changeable_for_days
}

resource "aws_backup_vault" "copy" {
  count    = local.copy ? 1 : 0
  provider = aws.dr

  name          = var.name
  kms_key_arn   = var.copy.kms_key_arn
  force_destroy = false

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_backup_vault_lock_configuration" "copy" {
  count    = local.copy && var.vault_lock != null ? 1 : 0
  provider = aws.dr

  backup_vault_name   = aws_backup_vault.copy[0].name
  min_retention_days  = var.vault_lock.min_retention_days
  max_retention_days  = var.vault_lock.max_retention_days
  changeable_for_days = var.vault_lock.changeable_for_days
}

################################################################################
# Plan and selection
################################################################################

resource "aws_backup_plan" "this" {
  name = var.name

  dynamic "rule" {
    for_each = var.rules

    content {
      rule_name                = rule.key
      target_vault_name        = aws_backup_vault.this.name
      schedule                 = rule.value.schedule
      start_window             = rule.value.start_window_minutes
      completion_window        = rule.value.completion_window_minutes
      enable_continuous_backup = rule.value.continuous

      lifecycle {
        delete_after       = rule.value.retention_days
        cold_storage_after = rule.value.cold_storage_after_days
      }

      dynamic "copy_action" {
        for_each = local.copy && rule.value.copy ? [1] : []

        content {
          destination_vault_arn = aws_backup_vault.copy[0].arn

          lifecycle {
            delete_after       = rule.value.retention_days
            cold_storage_after = rule.value.cold_storage_after_days
          }
        }
      }
    }
  }

  tags = merge(var.tags, { Name = var.name })

  # A locked vault refuses recovery points outside its retention limits.
  depends_on = [aws_backup_vault_lock_configuration.this, aws_backup_vault_lock_configuration.copy]
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-backup"
  description        = "AWS Backup backs up, copies and (in restore tests) restores the resources of ${var.name}."
  assume_role_policy = data.aws_iam_policy_document.assume_role.json

  tags = merge(var.tags, { Name = "${var.name}-backup" })
}

# AWS Backup's own managed policies: backups and restores of every supported
# service, and the separate ones for S3 (which AWS keeps at another path).
resource "aws_iam_role_policy_attachment" "this" {
  for_each = {
    AWSBackupServiceRolePolicyForBackup    = "service-role/"
    AWSBackupServiceRolePolicyForRestores  = "service-role/"
    AWSBackupServiceRolePolicyForS3Backup  = ""
    AWSBackupServiceRolePolicyForS3Restore = ""
  }

  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}${each.key}"
}

resource "aws_backup_selection" "this" {
  name         = "${var.name}-tagged"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.this.arn

  # Resources of these types AND carrying every selection tag.
  resources     = flatten([for type in var.resource_types : local.resource_arn_patterns[type]])
  not_resources = var.not_resources

  dynamic "condition" {
    for_each = length(var.selection_tags) > 0 ? [1] : []

    content {
      dynamic "string_equals" {
        for_each = var.selection_tags

        content {
          key   = "aws:ResourceTag/${string_equals.key}"
          value = string_equals.value
        }
      }
    }
  }

  depends_on = [aws_iam_role_policy_attachment.this]
}

################################################################################
# Restore testing: AWS Backup restores the latest recovery points on a schedule,
# checks that the restore succeeds, and deletes what it restored
################################################################################

resource "aws_backup_restore_testing_plan" "this" {
  count = var.restore_testing == null ? 0 : 1

  # Restore testing plan names allow letters, digits and underscores only.
  name                = "${replace(var.name, "-", "_")}_restore_tests"
  schedule_expression = var.restore_testing.schedule

  recovery_point_selection {
    algorithm             = "LATEST_WITHIN_WINDOW"
    include_vaults        = [aws_backup_vault.this.arn]
    recovery_point_types  = ["SNAPSHOT"]
    selection_window_days = var.restore_testing.selection_window_days
  }

  tags = merge(var.tags, { Name = "${var.name}-restore-tests" })
}

resource "aws_backup_restore_testing_selection" "this" {
  for_each = var.restore_testing == null ? toset([]) : toset(var.restore_testing.resource_types)

  name                      = lower(each.key)
  restore_testing_plan_name = aws_backup_restore_testing_plan.this[0].name
  protected_resource_type   = each.key
  iam_role_arn              = aws_iam_role.this.arn
  validation_window_hours   = var.restore_testing.validation_window_hours

  dynamic "protected_resource_conditions" {
    for_each = length(var.selection_tags) > 0 ? [1] : []

    content {
      dynamic "string_equals" {
        for_each = var.selection_tags

        content {
          key   = "aws:ResourceTag/${string_equals.key}"
          value = string_equals.value
        }
      }
    }
  }

  depends_on = [aws_iam_role_policy_attachment.this]
}
