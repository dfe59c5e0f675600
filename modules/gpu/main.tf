data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
  full_name = "${var.name}-gpu"
}

# The AMI is AWS's public parameter, read at every plan: a new GPU-optimized AMI shows
# as a launch template change, and instances launched afterwards use it.
data "aws_ssm_parameter" "ami" {
  name = var.ami_parameter
}

################################################################################
# Instance role: the ECS agent and the SSM agent, nothing else
################################################################################

data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "instance" {
  name               = "${local.full_name}-instance"
  description        = "GPU container instances of ${var.name}: ECS agent and SSM Session Manager."
  assume_role_policy = data.aws_iam_policy_document.assume_role.json

  tags = merge(var.tags, { Name = "${local.full_name}-instance" })
}

# AWS's managed policies for the two agents, kept in step with them by AWS. Tasks never
# get this role: they have their own task roles, and the agent blocks them from the
# instance metadata (ECS_AWSVPC_BLOCK_IMDS below).
resource "aws_iam_role_policy_attachment" "instance" {
  for_each = toset([
    "service-role/AmazonEC2ContainerServiceforEC2Role",
    "AmazonSSMManagedInstanceCore",
  ])

  role       = aws_iam_role.instance.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.key}"
}

resource "aws_iam_instance_profile" "this" {
  name = "${local.full_name}-instance"
  role = aws_iam_role.instance.name

  tags = merge(var.tags, { Name = "${local.full_name}-instance" })
}

################################################################################
# Network: no inbound at all (Session Manager, never SSH)
################################################################################

resource "aws_security_group" "this" {
  name        = "${local.full_name}-instances"
  description = "GPU container instances of ${var.name}: no inbound; HTTPS out to ECS, ECR, SSM and S3."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${local.full_name}-instances" })
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS to the AWS APIs (ECS, ECR, SSM, S3) through the NAT gateways"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = merge(var.tags, { Name = "${local.full_name}-https" })
}

################################################################################
# Launch template and auto scaling group
################################################################################

resource "aws_launch_template" "this" {
  name                   = local.full_name
  description            = "ECS GPU-optimized AMI for the ${var.cluster_name} cluster."
  image_id               = data.aws_ssm_parameter.ami.insecure_value
  instance_type          = var.instance_type
  update_default_version = true
  vpc_security_group_ids = [aws_security_group.this.id]

  user_data = base64encode(<<-EOT
    #!/bin/bash
    cat >> /etc/ecs/ecs.config <<'CONFIG'
    ECS_CLUSTER=${var.cluster_name}
    ECS_ENABLE_GPU_SUPPORT=true
    ECS_AWSVPC_BLOCK_IMDS=true
    CONFIG
  EOT
  )

  iam_instance_profile {
    arn = aws_iam_instance_profile.this.arn
  }

  # IMDSv2 only, one hop: the agent on the host reaches it, containers do not.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  monitoring {
    enabled = true
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_type           = "gp3"
      volume_size           = var.root_volume_size
      encrypted             = true
      kms_key_id            = var.ebs_kms_key_arn
      delete_on_termination = true
    }
  }

  dynamic "tag_specifications" {
    for_each = ["instance", "volume"]

    content {
      resource_type = tag_specifications.value
      tags          = merge(var.tags, { Name = local.full_name })
    }
  }

  tags = merge(var.tags, { Name = local.full_name })
}

resource "aws_autoscaling_group" "this" {
  name                = local.full_name
  vpc_zone_identifier = var.subnet_ids
  min_size            = var.min_size
  max_size            = var.max_size
  health_check_type   = "EC2"
  # ECS managed termination protection: only instances without tasks are scaled in.
  protect_from_scale_in = true
  enabled_metrics       = ["GroupInServiceInstances", "GroupDesiredCapacity", "GroupMaxSize"]

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  # ECS managed scaling tags the group it manages; said here, it is no drift.
  tag {
    key                 = "AmazonECSManaged"
    value               = "true"
    propagate_at_launch = true
  }

  dynamic "tag" {
    for_each = merge(var.tags, { Name = local.full_name })

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    # Managed scaling sets the desired count from the tasks waiting for GPUs.
    ignore_changes = [desired_capacity]

    precondition {
      condition     = var.min_size <= var.max_size
      error_message = "The min_size must not exceed max_size."
    }
  }
}

################################################################################
# Capacity provider, and the cluster's capacity providers
################################################################################

resource "aws_ecs_capacity_provider" "this" {
  name = local.full_name

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.this.arn
    managed_termination_protection = "ENABLED"
    managed_draining               = "ENABLED"

    managed_scaling {
      status                    = "ENABLED"
      target_capacity           = var.target_capacity
      minimum_scaling_step_size = 1
      maximum_scaling_step_size = max(1, var.max_size)
      instance_warmup_period    = 300
    }
  }

  tags = merge(var.tags, { Name = local.full_name })
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = var.cluster_name
  capacity_providers = ["FARGATE", "FARGATE_SPOT", aws_ecs_capacity_provider.this.name]
}
