"""The account-baseline modules apply, re-plan with no change and destroy on the sandbox.

Every root in ``tests/baseline_roots`` runs in account 111111111111 of one sandbox
server (reached through sts:AssumeRole), as ``tests/baseline_e2e.py`` describes.
When checkov is available its findings on the modules' resources must all be
covered by the modules' own ``waivers.yaml``, and every such waiver must cover
something, except what a root's inputs cause on purpose (listed here).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tfgen.sandbox import Sandbox

from .baseline_e2e import modules, run_cycle
from .conftest import E2E

pytestmark = pytest.mark.e2e

# Findings that follow from a root's inputs, not from a module's design: the
# inventory waives them where that input is the intent.
INPUT_FINDINGS = {
    # identity.tf trusts an account root for both roles, which checkov flags.
    "identity": {
        'CKV_AWS_61 module.identity.aws_iam_role.people["admin"]',
        'CKV_AWS_61 module.identity.aws_iam_role.people["readonly"]',
    },
}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every root, sharing one provider plugin cache."""
    return tmp_path_factory.mktemp("baseline-roots")


@pytest.mark.parametrize("module", modules())
def test_root_applies_replans_clean_and_destroys(module: str, emulator: Sandbox, e2e_tools: E2E, work: Path) -> None:
    cycle = run_cycle(emulator, module, work, terraform=e2e_tools.terraform, mirror=e2e_tools.mirror, checkov=True)
    assert cycle.ok, cycle.failure
    unwaived = {f"{f.check_id} {f.resource}" for f in cycle.unwaived}
    assert unwaived == INPUT_FINDINGS.get(module, set())
    assert cycle.unused_waivers == []
