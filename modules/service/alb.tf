locals {
  # Port 80 is open only to answer with a redirect to HTTPS.
  alb_ingress = {
    for rule in setproduct(["http", "https"], ["ipv4", "ipv6"]) : "${rule[0]}-${rule[1]}" => {
      port = rule[0] == "http" ? 80 : 443
      ipv4 = rule[1] == "ipv4" ? "0.0.0.0/0" : null
      ipv6 = rule[1] == "ipv6" ? "::/0" : null
    }
  }
}

################################################################################
# Security groups
################################################################################

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Load balancer of ${var.name}: HTTP(S) from anywhere, out only to the services."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-alb" })
}

resource "aws_security_group" "service" {
  name        = "${var.name}-service"
  description = "ECS tasks of ${var.name}: in only from the load balancer."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-service" })
}

resource "aws_vpc_security_group_ingress_rule" "alb" {
  for_each = local.alb_ingress

  security_group_id = aws_security_group.alb.id
  description       = each.value.port == 80 ? "HTTP from anywhere, redirected to HTTPS" : "HTTPS from anywhere"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.ipv4
  cidr_ipv6         = each.value.ipv6

  tags = merge(var.tags, { Name = "${var.name}-alb-${each.key}" })
}

resource "aws_vpc_security_group_egress_rule" "alb_to_service" {
  for_each = local.container_ports

  security_group_id            = aws_security_group.alb.id
  description                  = "Requests and health checks to the services on port ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = tonumber(each.key)
  to_port                      = tonumber(each.key)
  referenced_security_group_id = aws_security_group.service.id

  tags = merge(var.tags, { Name = "${var.name}-alb-to-service-${each.key}" })
}

resource "aws_vpc_security_group_ingress_rule" "service_from_alb" {
  for_each = local.container_ports

  security_group_id            = aws_security_group.service.id
  description                  = "Requests and health checks from the load balancer on port ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = tonumber(each.key)
  to_port                      = tonumber(each.key)
  referenced_security_group_id = aws_security_group.alb.id

  tags = merge(var.tags, { Name = "${var.name}-service-from-alb-${each.key}" })
}

resource "aws_vpc_security_group_egress_rule" "service_https" {
  security_group_id = aws_security_group.service.id
  description       = "HTTPS to AWS APIs (ECR, Secrets Manager, CloudWatch Logs) and external APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = merge(var.tags, { Name = "${var.name}-service-https" })
}

resource "aws_vpc_security_group_egress_rule" "service_vpc" {
  for_each = toset([for p in var.vpc_egress_ports : tostring(p)])

  security_group_id = aws_security_group.service.id
  description       = "Port ${each.key} inside the VPC (databases, caches)"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.key)
  to_port           = tonumber(each.key)
  cidr_ipv4         = var.vpc_cidr_block

  tags = merge(var.tags, { Name = "${var.name}-service-vpc-${each.key}" })
}

################################################################################
# Load balancer
################################################################################

resource "aws_lb" "this" {
  name                       = var.name
  internal                   = false
  load_balancer_type         = "application"
  security_groups            = [aws_security_group.alb.id]
  subnets                    = var.public_subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection

  access_logs {
    bucket  = var.access_logs_bucket
    prefix  = "alb"
    enabled = true
  }

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  # Only the services' path patterns reach a target.
  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "Not Found"
      status_code  = "404"
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-https" })
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-http" })
}

resource "aws_lb_target_group" "this" {
  for_each = var.services

  name        = "${var.name}-${each.key}"
  port        = each.value.container_port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id

  health_check {
    enabled  = true
    path     = each.value.health_check_path
    protocol = "HTTP"
    port     = "traffic-port"
    matcher  = "200-399"
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  lifecycle {
    precondition {
      condition     = length("${var.name}-${each.key}") <= 32
      error_message = "The target group name \"${var.name}-${each.key}\" is longer than 32 characters: shorten the name or the service key."
    }
  }
}

resource "aws_lb_listener_rule" "this" {
  for_each = var.services

  listener_arn = aws_lb_listener.https.arn
  priority     = each.value.priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[each.key].arn
  }

  condition {
    path_pattern {
      values = each.value.path_patterns
    }
  }

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.enable_waf ? 1 : 0

  resource_arn = aws_lb.this.arn
  web_acl_arn  = var.web_acl_arn

  lifecycle {
    precondition {
      condition     = var.web_acl_arn != null
      error_message = "The web_acl_arn must be set when enable_waf is true."
    }
  }
}
