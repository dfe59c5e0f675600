data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  # Container ports as strings: one security group rule per distinct port.
  container_ports = toset([for s in values(var.services) : tostring(s.container_port)])

  images = {
    for k, s in var.services : k => s.image != null ? s.image : "${aws_ecr_repository.this[k].repository_url}:${s.image_tag}"
  }

  # Service Connect names each container's port; callers reach a service at
  # http://<service key>:<container port>.
  port_name = "http"

  # Tracing sidecars: the X-Ray daemon, or the AWS Distro for OpenTelemetry collector
  # with its ECS default configuration (OTLP in on 4317/4318, X-Ray out).
  sidecar_images = {
    xray = "public.ecr.aws/xray/aws-xray-daemon:3.3.14"
    adot = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3"
  }
  traced = { for k, s in var.services : k => s.tracing if s.tracing != null }
  tracing_environment = {
    for k, t in local.traced : k => t.sidecar == "xray" ? tomap({
      AWS_XRAY_DAEMON_ADDRESS = "127.0.0.1:2000"
      AWS_XRAY_TRACING_NAME   = "${var.name}-${k}"
      }) : tomap({
      OTEL_EXPORTER_OTLP_ENDPOINT = "http://127.0.0.1:4317"
      OTEL_SERVICE_NAME           = "${var.name}-${k}"
      OTEL_PROPAGATORS            = "xray,tracecontext"
    })
  }
  sidecars = {
    for k, t in local.traced : k => [{
      name                   = "${t.sidecar}-sidecar"
      image                  = local.sidecar_images[t.sidecar]
      essential              = false
      readonlyRootFilesystem = true
      cpu                    = 32
      memoryReservation      = 64
      command                = t.sidecar == "adot" ? ["--config=/etc/ecs/ecs-default-config.yaml"] : null
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this[k].name
          awslogs-region        = local.region
          awslogs-stream-prefix = t.sidecar
        }
      }
    }]
  }
}

# The logs key is looked up rather than its ARN used as given: a missing key then fails
# at plan time (once the ARN is known), and plan scanners, which cannot follow an unknown
# ARN through a module variable, see that a customer managed key stands behind kms_key_id.
data "aws_kms_key" "logs" {
  key_id = var.log_kms_key_arn
}

################################################################################
# Container images
################################################################################

resource "aws_ecr_repository" "this" {
  for_each = var.services

  name                 = "${var.name}-${each.key}"
  image_tag_mutability = "IMMUTABLE"
  # Without deletion protection an environment can be torn down even with images pushed.
  force_delete = !var.deletion_protection

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = var.services

  repository = aws_ecr_repository.this[each.key].name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last 30 images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 30
      }
      action = { type = "expire" }
    }]
  })
}

################################################################################
# Cluster and logs
################################################################################

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  # Services join the environment's Service Connect namespace unless they say otherwise.
  dynamic "service_connect_defaults" {
    for_each = aws_service_discovery_http_namespace.this

    content {
      namespace = service_connect_defaults.value.arn
    }
  }

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = var.services

  name              = "/ecs/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = data.aws_kms_key.logs.arn

  tags = merge(var.tags, { Name = "/ecs/${var.name}/${each.key}" })
}

################################################################################
# Tasks and services
################################################################################

resource "aws_ecs_task_definition" "this" {
  for_each = var.services

  family                   = "${var.name}-${each.key}"
  requires_compatibilities = [each.value.gpu > 0 ? "EC2" : "FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(each.value.cpu)
  memory                   = tostring(each.value.memory)
  execution_role_arn       = aws_iam_role.execution[each.key].arn
  task_role_arn            = aws_iam_role.task[each.key].arn

  # The root filesystem is read-only; /tmp is the task's writable scratch space.
  volume {
    name = "tmp"
  }

  # A GPU service's container reserves its GPUs on an instance of the GPU capacity
  # provider; its tracing sidecar, if any, needs none.
  container_definitions = jsonencode(concat([merge(each.value.gpu > 0 ? { resourceRequirements = [{ type = "GPU", value = tostring(each.value.gpu) }] } : {}, {
    name                   = each.key
    image                  = local.images[each.key]
    essential              = true
    readonlyRootFilesystem = true
    portMappings = [{
      name          = local.port_name
      containerPort = each.value.container_port
      hostPort      = each.value.container_port
      protocol      = "tcp"
      appProtocol   = "http"
    }]
    environment = [for n, v in merge(lookup(local.tracing_environment, each.key, {}), each.value.environment) : { name = n, value = v }]
    secrets     = [for n in sort(keys(each.value.secrets)) : { name = n, valueFrom = each.value.secrets[n] }]
    mountPoints = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this[each.key].name
        awslogs-region        = local.region
        awslogs-stream-prefix = "ecs"
      }
    }
  })], lookup(local.sidecars, each.key, [])))

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  lifecycle {
    # Register the new revision and move the service to it before the old one is deregistered.
    create_before_destroy = true
  }
}

resource "aws_ecs_service" "this" {
  for_each = var.services

  name             = each.key
  cluster          = aws_ecs_cluster.this.arn
  task_definition  = aws_ecs_task_definition.this[each.key].arn
  desired_count    = each.value.desired_count
  launch_type      = each.value.gpu > 0 ? null : "FARGATE"
  platform_version = each.value.gpu > 0 ? null : "LATEST"
  propagate_tags   = "SERVICE"

  dynamic "capacity_provider_strategy" {
    for_each = each.value.gpu > 0 ? [var.gpu_capacity_provider] : []

    content {
      capacity_provider = capacity_provider_strategy.value
      weight            = 1
    }
  }

  # Moves tasks back into a zone that recovers from an outage instead of leaving them bunched.
  availability_zone_rebalancing = "ENABLED"

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.service.id, aws_security_group.peer[each.key].id]
    assign_public_ip = false
  }

  # A name in the namespace that the services it calls, and those that call it, use.
  dynamic "service_connect_configuration" {
    for_each = aws_service_discovery_http_namespace.this

    content {
      enabled   = true
      namespace = service_connect_configuration.value.arn

      service {
        port_name      = local.port_name
        discovery_name = each.key

        client_alias {
          port     = each.value.container_port
          dns_name = each.key
        }
      }

      log_configuration {
        log_driver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this[each.key].name
          awslogs-region        = local.region
          awslogs-stream-prefix = "service-connect"
        }
      }
    }
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this[each.key].arn
    container_name   = each.key
    container_port   = each.value.container_port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  lifecycle {
    precondition {
      condition     = each.value.gpu == 0 || var.gpu_capacity_provider != null
      error_message = "The service \"${each.key}\" needs GPUs: set gpu_capacity_provider."
    }

    # Autoscaling owns the running count once the service exists; with a team
    # pipeline, its deploys own the running revision (they render the newest
    # revision, so a change terraform registers goes out with the next deploy).
    ignore_changes = [desired_count, task_definition]
  }

  # ECS refuses a target group that no listener forwards to, and tasks need their
  # execution role's permissions to pull the image and write logs.
  depends_on = [aws_lb_listener_rule.this, aws_iam_role_policy.execution]
}

# Only services that may grow: a service with min_count == max_count runs a fixed
# number of tasks and needs no scaling target.
resource "aws_appautoscaling_target" "this" {
  for_each = { for key, service in var.services : key => service if service.max_count > service.min_count }

  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.this[each.key].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = each.value.min_count
  max_capacity       = each.value.max_count

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_appautoscaling_policy" "cpu" {
  for_each = aws_appautoscaling_target.this

  name               = "${var.name}-${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = var.services[each.key].cpu_target_percent

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
