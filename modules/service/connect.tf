################################################################################
# Service Connect: a Cloud Map namespace in which the services find each other
# by name, and security group rules only between a caller and what it calls
################################################################################

resource "aws_service_discovery_http_namespace" "this" {
  count = var.service_connect ? 1 : 0

  name        = var.name
  description = "Service Connect namespace of ${var.name}: services reach each other as http://<service>:<port>."

  tags = merge(var.tags, { Name = var.name })
}

locals {
  # One entry per declared call, "<caller>-<callee>".
  calls = merge([
    for caller, s in var.services : {
      for callee in s.calls : "${caller}-${callee}" => {
        caller = caller
        callee = callee
        port   = var.services[callee].container_port
      }
    }
  ]...)
}

# Each service's own group: it opens only the paths the inventory declares (a
# service's calls), on top of the shared service group.
resource "aws_security_group" "peer" {
  for_each = var.services

  name        = "${var.name}-${each.key}"
  description = "Service ${each.key} of ${var.name}: calls to and from the services it is declared to call or be called by."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_vpc_security_group_egress_rule" "calls" {
  for_each = local.calls

  security_group_id            = aws_security_group.peer[each.value.caller].id
  description                  = "${each.value.caller} calls ${each.value.callee} on port ${each.value.port}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = aws_security_group.peer[each.value.callee].id

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_vpc_security_group_ingress_rule" "calls" {
  for_each = local.calls

  security_group_id            = aws_security_group.peer[each.value.callee].id
  description                  = "${each.value.callee} is called by ${each.value.caller} on port ${each.value.port}"
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = aws_security_group.peer[each.value.caller].id

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}
