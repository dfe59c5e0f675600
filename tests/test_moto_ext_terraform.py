"""Extensions the platform does not use yet, end to end with the real AWS provider.

Budgets with notifications, subscribers and tags, and an AWS Backup selection:
plain terraform applies them on the sandbox, plans again with no changes, and
destroys them. (The platform's own resources go the same way in
tests/test_platform_e2e.py.)
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tfgen import sandbox

from .conftest import E2E, plain_terraform_env

pytestmark = pytest.mark.e2e

ROOT = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region      = "us-east-1"
  max_retries = 2
}

resource "aws_sns_topic" "alerts" {
  name = "budget-alerts"
}

resource "aws_budgets_budget" "monthly" {
  name         = "monthly"
  budget_type  = "COST"
  limit_amount = "100"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = ["ops@example.com", "cfo@example.com"]
    subscriber_sns_topic_arns  = [aws_sns_topic.alerts.arn]
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 100
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = ["ops@example.com"]
  }

  tags = { Team = "platform", Purpose = "cost" }
}

data "aws_iam_policy_document" "backup_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  name               = "backup"
  assume_role_policy = data.aws_iam_policy_document.backup_assume.json
}

resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_backup_vault" "this" {
  name = "vault"
}

resource "aws_backup_plan" "this" {
  name = "daily"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.this.name
    schedule          = "cron(0 5 * * ? *)"

    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_backup_selection" "tagged" {
  name         = "tagged"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.backup.arn

  selection_tag {
    type  = "STRINGEQUALS"
    key   = "Backup"
    value = "daily"
  }
}

resource "aws_backup_selection" "listed" {
  name         = "listed"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]

  condition {
    string_equals {
      key   = "aws:ResourceTag/Env"
      value = "prod"
    }
  }
}
"""


@pytest.fixture
def root(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], sandbox.Sandbox]]:
    state_dir = tmp_path / ".tfgen"
    running = sandbox.start(state_dir)
    workdir = tmp_path / "root"
    workdir.mkdir()
    (workdir / "main.tf").write_text(ROOT)
    yield workdir, running.child_env("us-east-1"), running
    sandbox.stop(state_dir)


def _terraform(tools: E2E, workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tools.terraform, *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=900
    )


def test_budgets_and_backup_selections_apply_replan_clean_and_destroy(
    root: tuple[Path, dict[str, str], sandbox.Sandbox], e2e_tools: E2E
) -> None:
    workdir, sandbox_env, running = root
    env = plain_terraform_env(e2e_tools, workdir, sandbox_env)
    for args in (("init", "-input=false"), ("apply", "-auto-approve", "-input=false")):
        done = _terraform(e2e_tools, workdir, env, *args)
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]

    budgets = running.boto3_session("us-east-1").client("budgets")
    where = {"AccountId": "123456789012", "BudgetName": "monthly"}
    assert len(budgets.describe_notifications_for_budget(**where)["Notifications"]) == 2
    arn = "arn:aws:budgets::123456789012:budget/monthly"
    assert {t["Key"] for t in budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"]} == {"Team", "Purpose"}
    backup = running.boto3_session("us-east-1").client("backup")
    plan_id = backup.list_backup_plans()["BackupPlansList"][0]["BackupPlanId"]
    assert len(backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]) == 2

    replan = _terraform(e2e_tools, workdir, env, "plan", "-detailed-exitcode", "-input=false")
    assert replan.returncode == 0, "the second plan is not empty:\n" + replan.stdout[-6000:] + replan.stderr[-2000:]

    destroyed = _terraform(e2e_tools, workdir, env, "destroy", "-auto-approve", "-input=false")
    assert destroyed.returncode == 0, destroyed.stdout[-4000:] + destroyed.stderr[-4000:]
    assert budgets.describe_budgets(AccountId="123456789012").get("Budgets", []) == []
