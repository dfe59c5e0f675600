"""An inventory that is not ClientNest's passes the gate with waivers for its own choices only.

Acme: other names, eu-west-1 with its DR copies in eu-central-1, three AZs, and
only network, storage, messaging, secrets and observability. Its waivers say what
Acme chose (nothing reacting to object events, a key rotated at the vendor);
whatever our modules
carry by design they waive themselves. Applied on the sandbox, its no-op
re-plan gets the same verdict: the only findings that differ between the two
plans are ones a module or section waiver marks as checkov misreading a plan.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import E2E, CLIResult, explain_failure, make_project, run_tfgen

pytestmark = pytest.mark.e2e

ACME = """\
project: acme
display_name: Acme
state: {bucket: acme-terraform-state-euw1, lock_table: acme-terraform-locks, region: eu-west-1}
defaults:
  region: eu-west-1
  tags: {Company: Acme, Team: platform}
environments:
  live:
    production: true
    deletion_protection: true
    dr: {region: eu-central-1}   # Acme's data stays in the EU, the copies too
    network:
      cidr: 172.20.0.0/16
      azs: [eu-west-1a, eu-west-1b, eu-west-1c]
      public_subnets: [172.20.0.0/24, 172.20.1.0/24, 172.20.2.0/24]
      private_subnets: [172.20.10.0/24, 172.20.11.0/24, 172.20.12.0/24]
      nat_gateways: per_az
    storage:
      buckets:
        invoices: {transition_to_ia_days: 60}
    messaging:
      queues: {orders: {}}
      topics: {order-events: {queue_subscriptions: [orders]}}
    secrets:
      secrets: {payment-gateway: {description: Card processor API key}}
    observability:
      alert_emails: [ops@acme.example]
waivers:
  - check: CKV2_AWS_62
    resource: all
    reason: Nothing reacts to object events in these buckets.
  - check: CKV2_AWS_57
    resource: module.secrets.aws_secretsmanager_secret.this
    reason: The card processor's key can only be rotated in its own console.
"""


@pytest.fixture
def acme(tmp_path: Path, e2e_tools: E2E) -> Iterator[Path]:
    project = make_project(tmp_path, ACME)
    yield project
    run_tfgen(project, "sandbox", "stop", env=_env(e2e_tools))


def _env(tools: E2E) -> dict[str, str]:
    env = {"TFGEN_TERRAFORM": tools.terraform}
    if tools.mirror is not None:
        env["TFGEN_PROVIDER_MIRROR"] = str(tools.mirror)
    return env


def tfgen(project: Path, tools: E2E, *args: str) -> CLIResult:
    result = run_tfgen(project, *args, env=_env(tools))
    assert result.returncode == 0, explain_failure(project, args, result)
    return result


def verdict(project: Path) -> dict[str, set[tuple[str, str]]]:
    """The last plan's findings, split the way the gate judged them (from its SARIF)."""
    sarif = json.loads((project / ".tfgen" / "plans" / "live" / "checkov.sarif").read_text())
    split: dict[str, set[tuple[str, str]]] = {"blocking": set(), "inventory": set(), "carried": set()}
    for result in sarif["runs"][0]["results"]:
        finding = (result["ruleId"], result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"])
        suppressions: list[dict[str, Any]] = result.get("suppressions", [])
        if not suppressions:
            split["blocking"].add(finding)
        elif suppressions[0]["properties"]["carriedBy"] == "inventory":
            split["inventory"].add(finding)
        else:
            split["carried"].add(finding)
    return split


def test_another_companys_inventory_passes_the_gate_and_keeps_its_verdict(acme: Path, e2e_tools: E2E) -> None:
    planned = tfgen(acme, e2e_tools, "plan", "live", "--sandbox")
    assert "Gate: open" in planned.stdout
    assert "matched no failure" not in planned.stdout  # every one of Acme's waivers is used
    first = verdict(acme)
    assert first["blocking"] == set()
    assert {check for check, _ in first["inventory"]} == {"CKV2_AWS_62", "CKV2_AWS_57"}

    tfgen(acme, e2e_tools, "apply", "live", "--sandbox", "--auto-approve")
    replanned = tfgen(acme, e2e_tools, "plan", "live", "--sandbox")
    assert "Plan: 0 to add, 0 to change, 0 to destroy." in replanned.stdout
    assert "Gate: open" in replanned.stdout
    again = verdict(acme)
    # The same verdict on the same findings; only what a module or section waives
    # as checkov's plan-time misreading (a NAT route it cannot follow before the
    # NAT's id exists) may come or go.
    assert again["blocking"] == first["blocking"] == set()
    assert again["inventory"] == first["inventory"]
    # No destroy: a production environment's buckets keep their objects (no
    # force_destroy), so only stopping the sandbox removes them.
