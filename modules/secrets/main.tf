# Read back so that kms_key_id refers to a key object rather than to a variable:
# plan scanners (checkov CKV_AWS_149) only follow such references when the ARN is
# unknown until apply. It also fails early if the ARN names no usable key.
data "aws_kms_key" "this" {
  key_id = var.kms_key_arn
}

# The module declares secrets only. Their values are put out of band (see README.md),
# so no secret value is ever in a variable, a plan or the state.
resource "aws_secretsmanager_secret" "this" {
  for_each = var.secrets

  name                    = "${var.name}/${each.key}"
  description             = each.value.description
  kms_key_id              = data.aws_kms_key.this.arn
  recovery_window_in_days = var.recovery_window_in_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_rotation" "this" {
  for_each = { for key, secret in var.secrets : key => secret if secret.rotate }

  secret_id           = aws_secretsmanager_secret.this[each.key].id
  rotation_lambda_arn = each.value.rotation_lambda_arn
  # A new secret has no value until one is put out of band; rotating it right away
  # would fail, so the first rotation waits for the schedule.
  rotate_immediately = false

  rotation_rules {
    automatically_after_days = each.value.rotation_days
  }
}
