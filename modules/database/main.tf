data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

# The keys are looked up rather than their ARNs used as given: a missing or mistyped key
# then fails at plan time (once the ARN is known) instead of halfway through an apply,
# and plan scanners, which cannot follow an unknown ARN through a module variable,
# see that a customer managed key stands behind every kms_key_id.
data "aws_kms_key" "data" {
  key_id = var.kms_key_arn
}

data "aws_kms_key" "logs" {
  key_id = var.log_kms_key_arn
}

locals {
  identifier    = "${var.name}-postgres"
  major_version = split(".", var.engine_version)[0]
  family        = "postgres${local.major_version}"
  port          = 5432

  # Each export gets a log group made here first; otherwise RDS creates it on first
  # delivery, unencrypted and kept forever.
  log_exports = ["postgresql", "upgrade"]

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

################################################################################
# Network: subnet group and security group
################################################################################

resource "aws_db_subnet_group" "this" {
  name        = local.identifier
  description = "Private subnets of ${local.identifier}"
  subnet_ids  = var.subnet_ids

  tags = merge(var.tags, { Name = local.identifier })
}

resource "aws_security_group" "this" {
  name        = "${var.name}-db"
  description = "PostgreSQL ${local.identifier}: port ${local.port} from the allowed security groups only"
  vpc_id      = var.vpc_id

  # The database opens no connections of its own; an empty list removes the
  # allow-all egress rule AWS adds to every new group and keeps it removed.
  egress = []

  tags = merge(var.tags, { Name = "${var.name}-db" })
}

# count, not for_each: the IDs are unknown at plan time when the groups are created in
# the same apply, but the length of the list is not.
resource "aws_vpc_security_group_ingress_rule" "this" {
  count = length(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from allowed security group ${count.index + 1}"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = var.allowed_security_group_ids[count.index]

  tags = merge(var.tags, { Name = "${var.name}-db-ingress-${count.index + 1}" })
}

################################################################################
# Parameter group
################################################################################

resource "aws_db_parameter_group" "this" {
  # The family is part of the name so that a major version upgrade creates the new
  # group before the instance leaves the old one.
  name        = "${var.name}-${local.family}"
  family      = local.family
  description = "PostgreSQL ${local.major_version} settings of ${local.identifier}: TLS only, DDL, slow statement and connection logging"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # DDL rather than "all": schema changes are audited without writing every query,
  # and its parameters, into the logs.
  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  tags = merge(var.tags, { Name = "${var.name}-${local.family}" })

  lifecycle {
    create_before_destroy = true
  }
}

################################################################################
# Log groups for the exported logs
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(local.log_exports)

  name              = "/aws/rds/instance/${local.identifier}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = data.aws_kms_key.logs.arn

  tags = merge(var.tags, { Name = "${local.identifier}-${each.key}" })
}

################################################################################
# Enhanced Monitoring role
################################################################################

data "aws_iam_policy_document" "monitoring_assume_role" {
  count = var.monitoring_interval > 0 ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:rds:${local.region}:${local.account_id}:db:${local.identifier}"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  name               = "${var.name}-rds-monitoring"
  description        = "Lets RDS Enhanced Monitoring of ${local.identifier} write OS metrics to CloudWatch Logs"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume_role[0].json

  tags = merge(var.tags, { Name = "${var.name}-rds-monitoring" })
}

# The AWS managed policy only allows writing to the RDSOSMetrics log group.
resource "aws_iam_role_policy_attachment" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

################################################################################
# DB instance
################################################################################

resource "aws_db_instance" "this" {
  identifier = local.identifier

  engine                      = "postgres"
  engine_version              = var.engine_version
  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = true
  instance_class              = var.instance_class
  parameter_group_name        = aws_db_parameter_group.this.name
  # Pin the current RSA-2048 CA rather than whatever the region's default is.
  ca_cert_identifier = "rds-ca-rsa2048-g1"

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = data.aws_kms_key.data.arn

  db_name  = var.db_name
  username = var.master_username
  # RDS generates the password and keeps it in a Secrets Manager secret of its own,
  # so no password ever passes through Terraform variables, state or logs.
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = data.aws_kms_key.data.arn
  iam_database_authentication_enabled = true

  port                   = local.port
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  multi_az               = var.multi_az

  backup_retention_period   = var.backup_retention_days
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = !var.deletion_protection
  final_snapshot_identifier = var.deletion_protection ? "${local.identifier}-final" : null

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = data.aws_kms_key.data.arn
  performance_insights_retention_period = var.performance_insights_retention_days

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = one(aws_iam_role.monitoring[*].arn)

  enabled_cloudwatch_logs_exports = local.log_exports

  # Changes wait for the maintenance window instead of restarting the database mid-day.
  apply_immediately = false

  tags = merge(var.tags, { Name = local.identifier })

  lifecycle {
    precondition {
      condition     = var.max_allocated_storage == 0 || var.max_allocated_storage > var.allocated_storage
      error_message = "The max_allocated_storage must be 0 (no autoscaling) or greater than allocated_storage."
    }
  }

  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy_attachment.monitoring,
  ]
}
