# Two roles per service: the execution role is what ECS itself uses to start the task
# (pull the image, write logs, read secrets); the task role is what the application's
# AWS SDK calls run as, and starts with no permissions at all.

data "aws_iam_policy_document" "execution_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# The source conditions (confused-deputy protection) follow AWS's guide for task roles;
# AWS documents no such conditions for execution roles, so those trust the service only.
data "aws_iam_policy_document" "task_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:*"]
    }
  }
}

resource "aws_iam_role" "task" {
  for_each = var.services

  name               = "${var.name}-${each.key}-task"
  description        = "Application role of the ${each.key} service of ${var.name}."
  assume_role_policy = data.aws_iam_policy_document.task_assume_role.json

  tags = merge(var.tags, { Name = "${var.name}-${each.key}-task" })
}

resource "aws_iam_role" "execution" {
  for_each = var.services

  name               = "${var.name}-${each.key}-execution"
  description        = "ECS task execution role of the ${each.key} service of ${var.name}."
  assume_role_policy = data.aws_iam_policy_document.execution_assume_role.json

  tags = merge(var.tags, { Name = "${var.name}-${each.key}-execution" })
}

data "aws_iam_policy_document" "execution" {
  for_each = var.services

  statement {
    sid = "EcrLogin"
    # GetAuthorizationToken has no resource-level permissions.
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPull"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [aws_ecr_repository.this[each.key].arn]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this[each.key].arn}:log-stream:*"]
  }

  dynamic "statement" {
    for_each = length(each.value.secrets) > 0 ? [1] : []

    content {
      sid     = "ReadSecrets"
      actions = ["secretsmanager:GetSecretValue"]
      # A valueFrom may append ":<json-key>:<stage>:<version>" to the secret's ARN;
      # the permission is on the secret itself (its first 7 ARN fields).
      resources = distinct([for arn in values(each.value.secrets) : join(":", slice(split(":", arn), 0, 7))])
    }
  }

  dynamic "statement" {
    for_each = length(each.value.secrets) > 0 ? [1] : []

    content {
      sid       = "DecryptSecrets"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  for_each = var.services

  name   = "${var.name}-${each.key}-execution"
  role   = aws_iam_role.execution[each.key].id
  policy = data.aws_iam_policy_document.execution[each.key].json
}

# Exactly the DynamoDB tables a service names (and their indexes), encrypted with the
# data key: DynamoDB uses the key with the caller's permissions.
data "aws_iam_policy_document" "tables" {
  for_each = { for k, s in var.services : k => s if length(s.table_arns) > 0 }

  statement {
    sid = "ReadWriteNamedTables"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DeleteItem",
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:Scan",
      "dynamodb:UpdateItem",
    ]
    resources = concat(each.value.table_arns, [for arn in each.value.table_arns : "${arn}/index/*"])
  }

  statement {
    sid       = "UseTableKeyThroughDynamoDB"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "tables" {
  for_each = data.aws_iam_policy_document.tables

  name   = "${var.name}-${each.key}-tables"
  role   = aws_iam_role.task[each.key].id
  policy = each.value.json
}

################################################################################
# Deploy roles: a team's pipeline pushes its image and rolls out its service
################################################################################

# One role per service, assumed by GitHub Actions through OIDC, trusted only for the
# given repository environment ("repo:<owner/name>:environment:<env>").
data "aws_iam_policy_document" "deploy_assume_role" {
  count = var.github_deploy == null ? 0 : 1

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.github_deploy.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = [var.github_deploy.subject]
    }
  }
}

data "aws_iam_policy_document" "deploy" {
  for_each = var.github_deploy == null ? {} : var.services

  statement {
    sid = "EcrLogin"
    # GetAuthorizationToken has no resource-level permissions.
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.this[each.key].arn]
  }

  statement {
    sid = "RegisterTaskDefinition"
    # Neither call has resource-level permissions.
    actions   = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid       = "RollOutService"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${var.name}/${each.key}"]
  }

  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.task[each.key].arn, aws_iam_role.execution[each.key].arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  for_each = var.github_deploy == null ? {} : var.services

  name               = "${var.github_deploy.role_name_prefix}${each.key}"
  description        = "GitHub Actions deploys the ${each.key} service of ${var.name}: image push and roll-out only."
  assume_role_policy = data.aws_iam_policy_document.deploy_assume_role[0].json

  tags = merge(var.tags, { Name = "${var.github_deploy.role_name_prefix}${each.key}" })
}

resource "aws_iam_role_policy" "deploy" {
  for_each = aws_iam_role.deploy

  name   = "${each.value.name}-deploy"
  role   = each.value.id
  policy = data.aws_iam_policy_document.deploy[each.key].json
}
