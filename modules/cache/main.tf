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
  replication_group_id = "${var.name}-redis"
  port                 = 6379

  # IAM authentication only accepts users whose ID and name are the same.
  app_user_name = "${var.name}-app"

  # Each log type is delivered to its own log group, made here with KMS and retention.
  log_types = ["slow-log", "engine-log"]
}

################################################################################
# Network: subnet group and security group
################################################################################

resource "aws_elasticache_subnet_group" "this" {
  name        = local.replication_group_id
  description = "Private subnets of ${local.replication_group_id}"
  subnet_ids  = var.subnet_ids

  tags = merge(var.tags, { Name = local.replication_group_id })
}

resource "aws_security_group" "this" {
  name        = "${var.name}-cache"
  description = "Redis ${local.replication_group_id}: port ${local.port} from the allowed security groups only"
  vpc_id      = var.vpc_id

  # The cache opens no connections of its own; an empty list removes the allow-all
  # egress rule AWS adds to every new group and keeps it removed.
  egress = []

  tags = merge(var.tags, { Name = "${var.name}-cache" })
}

# count, not for_each: the IDs are unknown at plan time when the groups are created in
# the same apply, but the length of the list is not.
resource "aws_vpc_security_group_ingress_rule" "this" {
  count = length(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "Redis from allowed security group ${count.index + 1}"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = var.allowed_security_group_ids[count.index]

  tags = merge(var.tags, { Name = "${var.name}-cache-ingress-${count.index + 1}" })
}

################################################################################
# Access control: RBAC users with IAM authentication, no passwords
################################################################################

# Every user group must hold a user named "default": it is the user a connection is
# logged in as before AUTH. This one replaces the AWS-owned "default" user (which has
# full access and no password). It has no password, but "off" disables it and "-@all"
# grants no command, so a connection that has not authenticated with an IAM token
# can run nothing but AUTH and HELLO.
resource "aws_elasticache_user" "default" {
  user_id       = "${var.name}-default"
  user_name     = "default"
  engine        = "redis"
  access_string = "off -@all"

  authentication_mode {
    type = "no-password-required"
  }

  tags = merge(var.tags, { Name = "${var.name}-default" })
}

# The application authenticates as this user with a short-lived IAM token (the
# elasticache:Connect permission on the replication group and this user), never a
# password. Dangerous commands (FLUSHALL, KEYS, CONFIG, DEBUG, ...) are withheld.
resource "aws_elasticache_user" "app" {
  user_id       = local.app_user_name
  user_name     = local.app_user_name
  engine        = "redis"
  access_string = "on ~* &* +@all -@dangerous"

  authentication_mode {
    type = "iam"
  }

  tags = merge(var.tags, { Name = local.app_user_name })
}

resource "aws_elasticache_user_group" "this" {
  user_group_id = local.replication_group_id
  engine        = "redis"
  user_ids = [
    aws_elasticache_user.default.user_id,
    aws_elasticache_user.app.user_id,
  ]

  tags = merge(var.tags, { Name = local.replication_group_id })
}

################################################################################
# Log groups
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(local.log_types)

  name              = "/aws/elasticache/${local.replication_group_id}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = data.aws_kms_key.logs.arn

  tags = merge(var.tags, { Name = "${local.replication_group_id}-${each.key}" })
}

################################################################################
# Replication group
################################################################################

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = local.replication_group_id
  description          = "Redis cache and session store of ${var.name}"

  engine                     = "redis"
  engine_version             = var.engine_version
  auto_minor_version_upgrade = true
  node_type                  = var.node_type
  num_cache_clusters         = var.num_cache_clusters
  port                       = local.port

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.this.id]

  automatic_failover_enabled = var.automatic_failover
  multi_az_enabled           = var.multi_az

  at_rest_encryption_enabled = true
  kms_key_id                 = data.aws_kms_key.data.arn
  transit_encryption_enabled = true
  user_group_ids             = [aws_elasticache_user_group.this.user_group_id]

  snapshot_retention_limit = var.snapshot_retention_limit
  snapshot_window          = var.snapshot_window
  maintenance_window       = var.maintenance_window

  dynamic "log_delivery_configuration" {
    for_each = aws_cloudwatch_log_group.this

    content {
      destination      = log_delivery_configuration.value.name
      destination_type = "cloudwatch-logs"
      log_format       = "json"
      log_type         = log_delivery_configuration.key
    }
  }

  # Changes wait for the maintenance window instead of restarting nodes mid-day.
  apply_immediately = false

  tags = merge(var.tags, { Name = local.replication_group_id })

  lifecycle {
    precondition {
      condition     = !var.automatic_failover || var.num_cache_clusters >= 2
      error_message = "The automatic_failover needs num_cache_clusters >= 2 (a replica to promote)."
    }
    precondition {
      condition     = !var.multi_az || (var.num_cache_clusters >= 2 && var.automatic_failover)
      error_message = "The multi_az needs num_cache_clusters >= 2 and automatic_failover = true."
    }
  }
}
