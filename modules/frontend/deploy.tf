################################################################################
# Deploy role: the frontend team's pipeline syncs the site and invalidates the CDN
################################################################################

# Assumed by GitHub Actions through OIDC, trusted only for the given repository
# environment ("repo:<owner/name>:environment:<env>").
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
  count = var.github_deploy == null ? 0 : 1

  statement {
    sid       = "ListSite"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]
  }

  statement {
    sid       = "SyncSite"
    actions   = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/*"]
  }

  statement {
    sid       = "Invalidate"
    actions   = ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"]
    resources = [aws_cloudfront_distribution.this.arn]
  }

  statement {
    sid = "FindDistribution"
    # The pipeline finds the distribution by its alias; listing has no resource-level permissions.
    actions   = ["cloudfront:ListDistributions"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "deploy" {
  count = var.github_deploy == null ? 0 : 1

  name               = var.github_deploy.role_name
  description        = "GitHub Actions deploys the static site of ${var.name}: S3 sync and CloudFront invalidation only."
  assume_role_policy = data.aws_iam_policy_document.deploy_assume_role[0].json

  tags = merge(var.tags, { Name = var.github_deploy.role_name })
}

resource "aws_iam_role_policy" "deploy" {
  count = var.github_deploy == null ? 0 : 1

  name   = "${var.github_deploy.role_name}-deploy"
  role   = aws_iam_role.deploy[0].id
  policy = data.aws_iam_policy_document.deploy[0].json
}
