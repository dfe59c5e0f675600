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
