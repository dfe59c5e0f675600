"""AWS Backup: backup selections (which resources a backup plan protects).

moto 5.2 has backup plans and vaults but no selections: CreateBackupSelection
is not implemented, so ``aws_backup_selection`` could not be applied. A
selection reads back as written, and belongs to a plan that exists.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
from moto.backup.exceptions import ResourceNotFoundException
from moto.backup.models import BackupBackend
from moto.backup.responses import BackupResponse
from moto.core.common_models import BaseModel
from moto.core.utils import unix_time
from moto.moto_api._internal import mock_random

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = BackupBackend
    _Response = BackupResponse
else:
    _Backend = _Response = object


class BackupSelection(BaseModel):
    """A backup selection of a plan: its document, as written."""

    def __init__(
        self, backup_plan_id: str, selection: dict[str, Any], creator_request_id: str | None
    ) -> None:
        self.selection_id = str(mock_random.uuid4())
        self.backup_plan_id = backup_plan_id
        self.backup_selection = selection
        self.creator_request_id = creator_request_id
        self.creation_date = unix_time()

    def to_get_dict(self) -> dict[str, Any]:
        """The answer of GetBackupSelection."""
        answer = {
            "BackupSelection": self.backup_selection,
            "SelectionId": self.selection_id,
            "BackupPlanId": self.backup_plan_id,
            "CreationDate": self.creation_date,
        }
        if self.creator_request_id:
            answer["CreatorRequestId"] = self.creator_request_id
        return answer

    def to_list_dict(self) -> dict[str, Any]:
        """One member of ListBackupSelections."""
        answer = {
            "SelectionId": self.selection_id,
            "SelectionName": self.backup_selection.get("SelectionName"),
            "BackupPlanId": self.backup_plan_id,
            "CreationDate": self.creation_date,
            "IamRoleArn": self.backup_selection.get("IamRoleArn"),
        }
        if self.creator_request_id:
            answer["CreatorRequestId"] = self.creator_request_id
        return answer


class BackupSelectionsBackend(_Backend):
    """Methods for moto's ``BackupBackend``."""

    backup_selections: dict[str, BackupSelection]

    def extend_init(self) -> None:
        """Keep backup selections by id."""
        self.backup_selections = {}

    def _live_plan(self, backup_plan_id: str) -> None:
        plan = self.plans.get(backup_plan_id)
        if plan is None or plan.deletion_date is not None:
            raise ResourceNotFoundException(msg=f"Backup plan {backup_plan_id} not found")

    def create_backup_selection(
        self, backup_plan_id: str, selection: dict[str, Any], creator_request_id: str | None
    ) -> BackupSelection:
        """Add a selection to an existing plan."""
        self._live_plan(backup_plan_id)
        created = BackupSelection(backup_plan_id, selection, creator_request_id)
        self.backup_selections[created.selection_id] = created
        return created

    def get_backup_selection(self, backup_plan_id: str, selection_id: str) -> BackupSelection:
        """One selection of a plan."""
        found = self.backup_selections.get(selection_id)
        if found is None or found.backup_plan_id != backup_plan_id:
            raise ResourceNotFoundException(msg=f"Backup selection {selection_id} not found")
        return found

    def list_backup_selections(self, backup_plan_id: str) -> list[BackupSelection]:
        """The selections of a plan."""
        self._live_plan(backup_plan_id)
        return [s for s in self.backup_selections.values() if s.backup_plan_id == backup_plan_id]

    def delete_backup_selection(self, backup_plan_id: str, selection_id: str) -> None:
        """Delete a selection of a plan."""
        self.get_backup_selection(backup_plan_id, selection_id)
        del self.backup_selections[selection_id]


class BackupSelectionsResponse(_Response):
    """Methods for moto's ``BackupResponse``."""

    if TYPE_CHECKING:

        @property
        def backup_backend(self) -> BackupSelectionsBackend:
            """The backend, with the methods above."""

    def _plan_and_selection(self) -> tuple[str, str]:
        # /backup/plans/{backupPlanId}/selections/[{selectionId}]
        parts = self.path.strip("/").split("/")
        return parts[2], parts[4] if len(parts) > 4 else ""

    def create_backup_selection(self) -> str:
        """CreateBackupSelection."""
        plan_id, _ = self._plan_and_selection()
        params = json.loads(self.body)
        created = self.backup_backend.create_backup_selection(
            plan_id, params["BackupSelection"], params.get("CreatorRequestId")
        )
        return json.dumps(
            {
                "SelectionId": created.selection_id,
                "BackupPlanId": created.backup_plan_id,
                "CreationDate": created.creation_date,
            }
        )

    def get_backup_selection(self) -> str:
        """GetBackupSelection."""
        selection = self.backup_backend.get_backup_selection(*self._plan_and_selection())
        return json.dumps(selection.to_get_dict())

    def list_backup_selections(self) -> str:
        """ListBackupSelections (one page)."""
        plan_id, _ = self._plan_and_selection()
        selections = self.backup_backend.list_backup_selections(plan_id)
        return json.dumps({"BackupSelectionsList": [s.to_list_dict() for s in selections]})

    def delete_backup_selection(self) -> str:
        """DeleteBackupSelection."""
        self.backup_backend.delete_backup_selection(*self._plan_and_selection())
        return "{}"


def check(session: boto3.Session) -> bool:
    """A selection reads back as written, is listed, and is deleted."""
    backup = session.client("backup")
    plan_id = backup.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "ext-daily",
            "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "Default"}],
        }
    )["BackupPlanId"]
    selection = {
        "SelectionName": "ext-tagged",
        "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
        "Resources": ["*"],
        "ListOfTags": [
            {"ConditionType": "STRINGEQUALS", "ConditionKey": "Backup", "ConditionValue": "yes"}
        ],
    }
    selection_id = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection)[
        "SelectionId"
    ]
    read = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    listed = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    left = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    return bool(
        read["BackupSelection"] == selection
        and [s["SelectionName"] for s in listed] == ["ext-tagged"]
        and left == []
    )


EXTENSION = Extension(
    name="backup_selections",
    summary="backup selections of a plan: create, get, list, delete",
    operations=(
        "CreateBackupSelection",
        "GetBackupSelection",
        "ListBackupSelections",
        "DeleteBackupSelection",
    ),
    grafts=(
        Graft(BackupBackend, BackupSelectionsBackend),
        Graft(BackupResponse, BackupSelectionsResponse),
    ),
    check=check,
)
