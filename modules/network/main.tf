data "aws_availability_zones" "available" {
  count = length(var.azs) == 0 ? 1 : 0

  state = "available"
}

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  azs      = length(var.azs) > 0 ? var.azs : slice(data.aws_availability_zones.available[0].names, 0, local.az_count)
  az_count = length(var.public_subnets)

  nat_gateway_count = { single = 1, per_az = local.az_count, none = 0 }[var.nat_gateway_mode]

  # per_az: one private route table per AZ, each routed to its own NAT gateway;
  # otherwise all private subnets share the first table.
  private_route_table_count = var.nat_gateway_mode == "per_az" ? local.az_count : 1
  private_route_table_names = var.nat_gateway_mode == "none" ? ["${var.name_tag_prefix}-Private-Routes"] : [
    for i in range(local.private_route_table_count) : "${var.name_tag_prefix}-Private-Routes-AZ${i + 1}"
  ]

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  create_flow_log_kms_key = var.enable_flow_logs && var.flow_log_kms_key_arn == null
  flow_log_group_name     = "/aws/vpc-flow-logs/${var.name}"
  # Built from parts (not read from the log group) so the KMS key policy can name it before the group exists.
  flow_log_group_arn = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.flow_log_group_name}"
}

################################################################################
# VPC, internet gateway, default security group
################################################################################

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-VPC" })

  lifecycle {
    precondition {
      condition     = length(var.private_subnets) == local.az_count
      error_message = "The private_subnets must have as many entries as public_subnets (one pair per AZ)."
    }
    precondition {
      condition     = length(var.azs) == 0 || length(var.azs) == local.az_count
      error_message = "The azs must be empty or have as many entries as public_subnets."
    }
  }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-IGW" })
}

# Adopting the default security group with no rule blocks removes all of its rules,
# so nothing launched without an explicit group can talk to anything.
resource "aws_default_security_group" "this" {
  count = var.manage_default_security_group ? 1 : 0

  vpc_id = aws_vpc.this.id

  # Empty, and said so: a rule someone adds by hand is then drift that the next
  # apply removes, not a computed attribute terraform leaves alone.
  ingress = []
  egress  = []

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-Default-SG-Locked" })
}

################################################################################
# Subnets
################################################################################

resource "aws_subnet" "public" {
  count = local.az_count

  vpc_id                  = aws_vpc.this.id
  cidr_block              = var.public_subnets[count.index]
  availability_zone       = local.azs[count.index]
  map_public_ip_on_launch = true

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-Public-Subnet-AZ${count.index + 1}" })
}

resource "aws_subnet" "private" {
  count = local.az_count

  vpc_id            = aws_vpc.this.id
  cidr_block        = var.private_subnets[count.index]
  availability_zone = local.azs[count.index]

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-Private-Subnet-AZ${count.index + 1}" })
}

################################################################################
# NAT gateways
################################################################################

resource "aws_eip" "nat" {
  count = local.nat_gateway_count

  domain = "vpc"

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-NAT-EIP-AZ${count.index + 1}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  count = local.nat_gateway_count

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-NAT-AZ${count.index + 1}" })

  depends_on = [aws_internet_gateway.this]
}

################################################################################
# Route tables
################################################################################

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-Public-Routes" })
}

resource "aws_route" "public_internet_gateway" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  count = local.az_count

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "private" {
  count = local.private_route_table_count

  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = local.private_route_table_names[count.index] })
}

# Single mode has one table and one NAT gateway, per_az one of each per AZ: indexes line up.
resource "aws_route" "private_nat_gateway" {
  count = var.nat_gateway_mode == "none" ? 0 : local.private_route_table_count

  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[count.index].id
}

resource "aws_route_table_association" "private" {
  count = local.az_count

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[var.nat_gateway_mode == "per_az" ? count.index : 0].id
}

################################################################################
# Flow logs
################################################################################

data "aws_iam_policy_document" "flow_log_kms" {
  count = local.create_flow_log_kms_key ? 1 : 0

  statement {
    sid       = "AccountRootAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogsUsesForFlowLogGroup"
    actions = [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.flow_log_group_arn]
    }
  }
}

resource "aws_kms_key" "flow_log" {
  count = local.create_flow_log_kms_key ? 1 : 0

  description = "Encrypts the VPC flow log group ${local.flow_log_group_name}"
  # Losing the key loses every log it encrypted; keep the longest window to undo a deletion.
  deletion_window_in_days = 30
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.flow_log_kms[0].json

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-Flow-Logs" })
}

resource "aws_kms_alias" "flow_log" {
  count = local.create_flow_log_kms_key ? 1 : 0

  name          = "alias/${var.name}-flow-logs"
  target_key_id = aws_kms_key.flow_log[0].key_id
}

resource "aws_cloudwatch_log_group" "flow_log" {
  count = var.enable_flow_logs ? 1 : 0

  # kms_key_id names the key resource directly, not through a local, so that plan scanners
  # can tell which key stands behind an ARN that is unknown until apply.
  name              = local.flow_log_group_name
  retention_in_days = var.flow_log_retention_days
  kms_key_id        = coalesce(var.flow_log_kms_key_arn, one(aws_kms_key.flow_log[*].arn))

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-Flow-Logs" })
}

data "aws_iam_policy_document" "flow_log_assume_role" {
  count = var.enable_flow_logs ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:vpc-flow-log/*"]
    }
  }
}

data "aws_iam_policy_document" "flow_log" {
  count = var.enable_flow_logs ? 1 : 0

  statement {
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = [
      aws_cloudwatch_log_group.flow_log[0].arn,
      "${aws_cloudwatch_log_group.flow_log[0].arn}:*",
    ]
  }
}

resource "aws_iam_role" "flow_log" {
  count = var.enable_flow_logs ? 1 : 0

  name               = "${var.name}-vpc-flow-logs"
  assume_role_policy = data.aws_iam_policy_document.flow_log_assume_role[0].json

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-VPC-Flow-Logs" })
}

resource "aws_iam_role_policy" "flow_log" {
  count = var.enable_flow_logs ? 1 : 0

  name   = "${var.name}-vpc-flow-logs"
  role   = aws_iam_role.flow_log[0].id
  policy = data.aws_iam_policy_document.flow_log[0].json
}

resource "aws_flow_log" "this" {
  count = var.enable_flow_logs ? 1 : 0

  vpc_id               = aws_vpc.this.id
  traffic_type         = "ALL"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow_log[0].arn
  iam_role_arn         = aws_iam_role.flow_log[0].arn

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-VPC-Flow-Log" })

  # The role must be allowed to write before the first delivery attempt.
  depends_on = [aws_iam_role_policy.flow_log]
}
