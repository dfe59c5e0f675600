################################################################################
# Network ACLs: a stateless second layer under the security groups
################################################################################

locals {
  # Rule maps in the terraform-aws-modules/vpc form. Network ACLs are stateless: every
  # connection needs a rule for its requests and one for its answers, which come back
  # on the client's ephemeral port (1024-65535 for NAT gateways and load balancers).
  # That range is split around 3389 so that no rule admits RDP from the internet.
  ephemeral_ranges = [[1024, 3388], [3390, 65535]]

  # Denied before anything is allowed: SSH and RDP, from anywhere, on every subnet.
  # Hosts are reached through Session Manager, never on a port of their own.
  remote_login_denials = [
    for i, port in [22, 3389] : {
      rule_number = 10 + i
      rule_action = "deny"
      protocol    = "tcp"
      from_port   = port
      to_port     = port
      cidr_block  = "0.0.0.0/0"
    }
  ]

  vpc_traffic = [
    for i, protocol in ["tcp", "udp"] : {
      rule_number = 100 + i
      rule_action = "allow"
      protocol    = protocol
      from_port   = 1
      to_port     = 65535
      cidr_block  = var.cidr
    }
  ]

  ephemeral_from_anywhere = [
    for i, range in local.ephemeral_ranges : {
      rule_number = 200 + i
      rule_action = "allow"
      protocol    = "tcp"
      from_port   = range[0]
      to_port     = range[1]
      cidr_block  = "0.0.0.0/0"
    }
  ]

  # Public subnets hold the load balancers and the NAT gateways: HTTP(S) from anyone,
  # the VPC's traffic (targets answering the load balancer, hosts leaving through
  # NAT), and answers to the NAT gateways' own requests.
  default_public_inbound = concat(
    local.remote_login_denials,
    local.vpc_traffic,
    local.ephemeral_from_anywhere,
    [
      for i, port in [443, 80] : {
        rule_number = 300 + i
        rule_action = "allow"
        protocol    = "tcp"
        from_port   = port
        to_port     = port
        cidr_block  = "0.0.0.0/0"
      }
    ],
  )

  # Out: answers to clients (ephemeral ports), the VPC (load balancer to targets,
  # NAT back to hosts), and HTTP(S) to the internet for what leaves through NAT.
  default_public_outbound = concat(
    local.vpc_traffic,
    local.ephemeral_from_anywhere,
    [
      for i, port in [443, 80] : {
        rule_number = 300 + i
        rule_action = "allow"
        protocol    = "tcp"
        from_port   = port
        to_port     = port
        cidr_block  = "0.0.0.0/0"
      }
    ],
  )

  # Private subnets: only the VPC comes in, plus answers to what the hosts asked
  # outside (through NAT); out, the VPC and HTTPS.
  default_private_inbound = concat(
    local.remote_login_denials,
    local.vpc_traffic,
    local.ephemeral_from_anywhere,
  )

  default_private_outbound = concat(
    local.vpc_traffic,
    [{
      rule_number = 300
      rule_action = "allow"
      protocol    = "tcp"
      from_port   = 443
      to_port     = 443
      cidr_block  = "0.0.0.0/0"
    }],
  )

  # Keyed "<acl>-<in|out>-<rule number>", e.g. "public-in-300".
  acl_rule_sets = {
    public-in   = var.public_inbound_acl_rules != null ? var.public_inbound_acl_rules : local.default_public_inbound
    public-out  = var.public_outbound_acl_rules != null ? var.public_outbound_acl_rules : local.default_public_outbound
    private-in  = var.private_inbound_acl_rules != null ? var.private_inbound_acl_rules : local.default_private_inbound
    private-out = var.private_outbound_acl_rules != null ? var.private_outbound_acl_rules : local.default_private_outbound
  }
  acl_rules = var.manage_network_acls ? merge([
    for set, rules in local.acl_rule_sets : {
      for rule in rules : "${set}-${rule.rule_number}" => merge(rule, {
        acl    = split("-", set)[0]
        egress = endswith(set, "-out")
      })
    }
  ]...) : {}
}

resource "aws_network_acl" "public" {
  count = var.manage_network_acls ? 1 : 0

  vpc_id     = aws_vpc.this.id
  subnet_ids = aws_subnet.public[*].id

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-Public-NACL" })
}

resource "aws_network_acl" "private" {
  count = var.manage_network_acls ? 1 : 0

  vpc_id     = aws_vpc.this.id
  subnet_ids = aws_subnet.private[*].id

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-Private-NACL" })
}

resource "aws_network_acl_rule" "this" {
  for_each = local.acl_rules

  network_acl_id = each.value.acl == "public" ? aws_network_acl.public[0].id : aws_network_acl.private[0].id
  egress         = each.value.egress
  rule_number    = each.value.rule_number
  rule_action    = each.value.rule_action
  protocol       = each.value.protocol
  from_port      = each.value.from_port
  to_port        = each.value.to_port
  cidr_block     = each.value.cidr_block
}

# Every subnet has one of the ACLs above; the default ACL is adopted with no rules, so
# a subnet created by hand (and left on it) gets no traffic at all.
resource "aws_default_network_acl" "this" {
  count = var.manage_network_acls ? 1 : 0

  default_network_acl_id = aws_vpc.this.default_network_acl_id

  tags = merge(var.tags, { Name = "${var.name_tag_prefix}-Default-NACL-Locked" })

  # Adopted once the subnets have moved to the ACLs above, so its state never holds
  # them (tfgen drift would see them leave).
  depends_on = [aws_network_acl.public, aws_network_acl.private]

  lifecycle {
    # AWS moves the subnets back here when the ACLs above are deleted.
    ignore_changes = [subnet_ids]
  }
}
