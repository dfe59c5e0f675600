data "aws_caller_identity" "current" {}

data "aws_region" "dr" {
  provider = aws.dr
}

################################################################################
# Database: automated backups (snapshots and transaction logs) replicated to the
# DR region, so the database can be restored there to any point in time
################################################################################

resource "aws_db_instance_automated_backups_replication" "this" {
  count    = var.replicate_db_backups ? 1 : 0
  provider = aws.dr

  source_db_instance_arn = var.db_instance_arn
  kms_key_id             = var.kms_key_arn
  retention_period       = var.db_backup_retention_days

  lifecycle {
    precondition {
      condition     = var.db_instance_arn != null && var.kms_key_arn != null
      error_message = "The db_instance_arn and kms_key_arn must be set when replicate_db_backups is true."
    }
  }
}

################################################################################
# Container images: the registry replicates the environment's repositories
################################################################################

# One replication configuration per registry (account and region): the environment's
# repositories are those whose names start with ecr_repository_prefix.
resource "aws_ecr_replication_configuration" "this" {
  count = var.ecr_repository_prefix == null ? 0 : 1

  replication_configuration {
    rule {
      destination {
        region      = data.aws_region.dr.name
        registry_id = data.aws_caller_identity.current.account_id
      }

      repository_filter {
        filter      = var.ecr_repository_prefix
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
