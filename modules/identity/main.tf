data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition

  people_roles = {
    admin = {
      description          = "Administers the account: the cloud engineer, signed in with MFA."
      policy_arn           = "arn:${local.partition}:iam::aws:policy/AdministratorAccess"
      principals           = var.admin_principal_arns
      require_mfa          = true
      max_session_duration = var.admin_max_session_duration
    }
    readonly = {
      description          = "Reads the account's configuration: the product teams."
      policy_arn           = "arn:${local.partition}:iam::aws:policy/${var.readonly_policy_name}"
      principals           = var.readonly_principal_arns
      require_mfa          = var.readonly_require_mfa
      max_session_duration = var.readonly_max_session_duration
    }
  }
}

################################################################################
# Account settings
################################################################################

# Only matters for IAM users, which the baseline does not create; it stops weak
# passwords should anyone add one by hand (CIS 1.8, 1.9).
resource "aws_iam_account_password_policy" "this" {
  minimum_password_length        = var.password_policy.minimum_length
  password_reuse_prevention      = 24
  max_password_age               = var.password_policy.max_age_days
  require_lowercase_characters   = true
  require_uppercase_characters   = true
  require_numbers                = true
  require_symbols                = true
  allow_users_to_change_password = true
  hard_expiry                    = false
}

resource "aws_iam_account_alias" "this" {
  account_alias = var.account_alias
}

# Finds resources (buckets, keys, roles...) shared outside the account (CIS 1.20).
resource "aws_accessanalyzer_analyzer" "this" {
  analyzer_name = "${var.name}-account"
  type          = "ACCOUNT"

  tags = var.tags
}

################################################################################
# Roles for people
################################################################################

data "aws_iam_policy_document" "assume" {
  for_each = local.people_roles

  statement {
    actions = ["sts:AssumeRole", "sts:SetSourceIdentity"]

    principals {
      type        = "AWS"
      identifiers = each.value.principals
    }

    dynamic "condition" {
      for_each = each.value.require_mfa ? [1] : []

      content {
        test     = "Bool"
        variable = "aws:MultiFactorAuthPresent"
        values   = ["true"]
      }
    }
  }
}

resource "aws_iam_role" "people" {
  for_each = local.people_roles

  name                 = "${var.name}-${each.key}"
  description          = each.value.description
  assume_role_policy   = data.aws_iam_policy_document.assume[each.key].json
  max_session_duration = each.value.max_session_duration

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "people" {
  for_each = local.people_roles

  role       = aws_iam_role.people[each.key].name
  policy_arn = each.value.policy_arn
}
