data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
  issuer    = "token.actions.githubusercontent.com"

  # One plan role and one apply role per environment, each trusting one GitHub
  # environment of the repository (by default the environment's own name).
  roles = merge(
    { for env, e in var.environments : "${env}-plan" => {
      env         = env
      kind        = "plan"
      subject     = "repo:${var.github_repository}:environment:${coalesce(e.plan_github_environment, env)}"
      description = "Plans ${env} from GitHub Actions (${var.github_repository}): reads the account and the state, takes the state lock."
    } },
    { for env, e in var.environments : "${env}-apply" => {
      env         = env
      kind        = "apply"
      subject     = "repo:${var.github_repository}:environment:${coalesce(e.apply_github_environment, env)}"
      description = "Applies ${env} from GitHub Actions (${var.github_repository})."
    } },
  )
}

resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://${local.issuer}"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = var.github_thumbprints

  tags = var.tags
}

# GitHub signs a job's token with its repository and environment in "sub"; only a
# job of that environment (whose protection rules GitHub enforces) gets the role.
data "aws_iam_policy_document" "assume" {
  for_each = local.roles

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = [each.value.subject]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.roles

  name                 = "${var.name}-${each.key}"
  description          = each.value.description
  assume_role_policy   = data.aws_iam_policy_document.assume[each.key].json
  max_session_duration = var.max_session_duration

  tags = merge(var.tags, { Environment = each.value.env })
}

################################################################################
# Plan roles: read everything, take the state lock
################################################################################

resource "aws_iam_role_policy_attachment" "plan_readonly" {
  for_each = var.environments

  role       = aws_iam_role.this["${each.key}-plan"].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

data "aws_iam_policy_document" "plan_state" {
  for_each = var.environments

  statement {
    sid       = "ListStateBucket"
    actions   = ["s3:ListBucket"]
    resources = [each.value.state_bucket_arn]
  }

  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject"]
    resources = ["${each.value.state_bucket_arn}/*"]
  }

  statement {
    sid       = "TakeStateLock"
    actions   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
    resources = [each.value.lock_table_arn]
  }

  dynamic "statement" {
    for_each = each.value.state_kms_key_arn == null ? [] : [each.value.state_kms_key_arn]

    content {
      sid       = "DecryptState"
      actions   = ["kms:Decrypt", "kms:DescribeKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "plan_state" {
  for_each = var.environments

  name   = "terraform-state"
  role   = aws_iam_role.this["${each.key}-plan"].id
  policy = data.aws_iam_policy_document.plan_state[each.key].json
}

################################################################################
# Apply roles: change anything terraform manages
################################################################################

resource "aws_iam_role_policy_attachment" "apply_admin" {
  for_each = var.environments

  role       = aws_iam_role.this["${each.key}-apply"].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AdministratorAccess"
}
