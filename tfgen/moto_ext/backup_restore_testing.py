"""AWS Backup: restore testing plans and their selections.

moto 5.2 has no route for ``/restore-testing/plans`` (HTTP 404), so
``aws_backup_restore_testing_plan`` and ``aws_backup_restore_testing_selection``
could not be created. A plan and a selection read back as written (with their
creation times), are updated in place, and are deleted; a plan with selections
cannot be deleted, as in AWS. Plans are tagged through moto's own tagger.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import boto3
import moto.backup.urls
from moto.backup.exceptions import (
    AlreadyExistsException,
    InvalidRequestException,
    ResourceNotFoundException,
)
from moto.backup.models import BackupBackend
from moto.backup.responses import BackupResponse
from moto.core.common_models import BaseModel
from moto.core.utils import unix_time

from tfgen.moto_ext._extension import Extension, Graft, Routes

if TYPE_CHECKING:
    _Backend = BackupBackend
    _Response = BackupResponse
else:
    _Backend = _Response = object


class RestoreTestingPlan(BaseModel):
    """A restore testing plan, as written, and its selections by name."""

    def __init__(
        self, plan: dict[str, Any], creator_request_id: str | None, account: str, region: str
    ) -> None:
        self.name: str = plan["RestoreTestingPlanName"]
        self.arn = f"arn:aws:backup:{region}:{account}:restore-testing-plan:{self.name}"
        self.plan = plan
        self.creator_request_id = creator_request_id
        self.creation_time = unix_time()
        self.update_time = self.creation_time
        self.selections: dict[str, RestoreTestingSelection] = {}

    def to_get_dict(self) -> dict[str, Any]:
        """The answer of GetRestoreTestingPlan."""
        answer = {
            **self.plan,
            "RestoreTestingPlanArn": self.arn,
            "CreationTime": self.creation_time,
            "LastUpdateTime": self.update_time,
        }
        answer.setdefault("ScheduleExpressionTimezone", "Etc/UTC")
        if self.creator_request_id:
            answer["CreatorRequestId"] = self.creator_request_id
        return answer

    def to_list_dict(self) -> dict[str, Any]:
        """One member of ListRestoreTestingPlans."""
        return {
            "RestoreTestingPlanArn": self.arn,
            "RestoreTestingPlanName": self.name,
            "ScheduleExpression": self.plan.get("ScheduleExpression"),
            "CreationTime": self.creation_time,
            "LastUpdateTime": self.update_time,
        }


class RestoreTestingSelection(BaseModel):
    """A selection of a restore testing plan, as written."""

    def __init__(self, plan: str, selection: dict[str, Any], creator_request_id: str | None):
        self.plan = plan
        self.name: str = selection["RestoreTestingSelectionName"]
        self.selection = selection
        self.creator_request_id = creator_request_id
        self.creation_time = unix_time()

    def to_get_dict(self) -> dict[str, Any]:
        """The answer of GetRestoreTestingSelection."""
        answer = {
            **self.selection,
            "RestoreTestingPlanName": self.plan,
            "CreationTime": self.creation_time,
        }
        if self.creator_request_id:
            answer["CreatorRequestId"] = self.creator_request_id
        return answer

    def to_list_dict(self) -> dict[str, Any]:
        """One member of ListRestoreTestingSelections."""
        return {
            "RestoreTestingPlanName": self.plan,
            "RestoreTestingSelectionName": self.name,
            "ProtectedResourceType": self.selection.get("ProtectedResourceType"),
            "IamRoleArn": self.selection.get("IamRoleArn"),
            "ValidationWindowHours": self.selection.get("ValidationWindowHours"),
            "CreationTime": self.creation_time,
        }


class RestoreTestingBackend(_Backend):
    """Methods for moto's ``BackupBackend``."""

    restore_testing_plans: dict[str, RestoreTestingPlan]

    def extend_init(self) -> None:
        """Keep restore testing plans by name."""
        self.restore_testing_plans = {}

    def create_restore_testing_plan(
        self, plan: dict[str, Any], tags: dict[str, str] | None, creator_request_id: str | None
    ) -> RestoreTestingPlan:
        """Create a plan; names are unique in the region."""
        if plan["RestoreTestingPlanName"] in self.restore_testing_plans:
            raise AlreadyExistsException(msg="Restore testing plan already exists")
        created = RestoreTestingPlan(plan, creator_request_id, self.account_id, self.region_name)
        self.restore_testing_plans[created.name] = created
        if tags:
            self.tag_resource(created.arn, tags)
        return created

    def get_restore_testing_plan(self, name: str) -> RestoreTestingPlan:
        """One plan by name."""
        if name not in self.restore_testing_plans:
            raise ResourceNotFoundException(msg=f"Restore testing plan {name} not found")
        return self.restore_testing_plans[name]

    def update_restore_testing_plan(self, name: str, update: dict[str, Any]) -> RestoreTestingPlan:
        """Replace the given fields of a plan."""
        plan = self.get_restore_testing_plan(name)
        plan.plan = {**plan.plan, **update, "RestoreTestingPlanName": name}
        plan.update_time = unix_time()
        return plan

    def delete_restore_testing_plan(self, name: str) -> None:
        """Delete a plan that has no selections left."""
        plan = self.get_restore_testing_plan(name)
        if plan.selections:
            raise InvalidRequestException(msg="Delete the plan's restore testing selections first")
        del self.restore_testing_plans[name]

    def create_restore_testing_selection(
        self, plan_name: str, selection: dict[str, Any], creator_request_id: str | None
    ) -> tuple[RestoreTestingPlan, RestoreTestingSelection]:
        """Add a selection to a plan."""
        plan = self.get_restore_testing_plan(plan_name)
        name = selection["RestoreTestingSelectionName"]
        if name in plan.selections:
            raise AlreadyExistsException(msg="Restore testing selection already exists")
        created = RestoreTestingSelection(plan_name, selection, creator_request_id)
        plan.selections[name] = created
        return plan, created

    def get_restore_testing_selection(
        self, plan_name: str, name: str
    ) -> tuple[RestoreTestingPlan, RestoreTestingSelection]:
        """One selection of a plan."""
        plan = self.get_restore_testing_plan(plan_name)
        if name not in plan.selections:
            raise ResourceNotFoundException(msg=f"Restore testing selection {name} not found")
        return plan, plan.selections[name]

    def update_restore_testing_selection(
        self, plan_name: str, name: str, update: dict[str, Any]
    ) -> tuple[RestoreTestingPlan, RestoreTestingSelection]:
        """Replace the given fields of a selection."""
        plan, selection = self.get_restore_testing_selection(plan_name, name)
        selection.selection = {**selection.selection, **update, "RestoreTestingSelectionName": name}
        return plan, selection

    def delete_restore_testing_selection(self, plan_name: str, name: str) -> None:
        """Delete a selection of a plan."""
        plan, _ = self.get_restore_testing_selection(plan_name, name)
        del plan.selections[name]


class RestoreTestingResponse(_Response):
    """Methods for moto's ``BackupResponse``."""

    if TYPE_CHECKING:

        @property
        def backup_backend(self) -> RestoreTestingBackend:
            """The backend, with the methods above."""

    def _restore_testing_names(self) -> tuple[str, str]:
        # /restore-testing/plans[/{plan}[/selections[/{selection}]]]
        parts = [unquote(p) for p in self.path.split("?")[0].strip("/").split("/")]
        return (parts[2] if len(parts) > 2 else "", parts[4] if len(parts) > 4 else "")

    def create_restore_testing_plan(self) -> str:
        """CreateRestoreTestingPlan."""
        params = json.loads(self.body)
        plan = self.backup_backend.create_restore_testing_plan(
            params["RestoreTestingPlan"], params.get("Tags"), params.get("CreatorRequestId")
        )
        return json.dumps(
            {
                "CreationTime": plan.creation_time,
                "RestoreTestingPlanArn": plan.arn,
                "RestoreTestingPlanName": plan.name,
            }
        )

    def get_restore_testing_plan(self) -> str:
        """GetRestoreTestingPlan."""
        name, _ = self._restore_testing_names()
        plan = self.backup_backend.get_restore_testing_plan(name)
        return json.dumps({"RestoreTestingPlan": plan.to_get_dict()})

    def update_restore_testing_plan(self) -> str:
        """UpdateRestoreTestingPlan."""
        name, _ = self._restore_testing_names()
        params = json.loads(self.body)
        plan = self.backup_backend.update_restore_testing_plan(name, params["RestoreTestingPlan"])
        return json.dumps(
            {
                "CreationTime": plan.creation_time,
                "RestoreTestingPlanArn": plan.arn,
                "RestoreTestingPlanName": plan.name,
                "UpdateTime": plan.update_time,
            }
        )

    def delete_restore_testing_plan(self) -> str:
        """DeleteRestoreTestingPlan."""
        name, _ = self._restore_testing_names()
        self.backup_backend.delete_restore_testing_plan(name)
        return "{}"

    def list_restore_testing_plans(self) -> str:
        """ListRestoreTestingPlans (one page)."""
        plans = self.backup_backend.restore_testing_plans.values()
        return json.dumps({"RestoreTestingPlans": [p.to_list_dict() for p in plans]})

    def create_restore_testing_selection(self) -> str:
        """CreateRestoreTestingSelection."""
        plan_name, _ = self._restore_testing_names()
        params = json.loads(self.body)
        plan, selection = self.backup_backend.create_restore_testing_selection(
            plan_name, params["RestoreTestingSelection"], params.get("CreatorRequestId")
        )
        return json.dumps(
            {
                "CreationTime": selection.creation_time,
                "RestoreTestingPlanArn": plan.arn,
                "RestoreTestingPlanName": plan.name,
                "RestoreTestingSelectionName": selection.name,
            }
        )

    def get_restore_testing_selection(self) -> str:
        """GetRestoreTestingSelection."""
        _, selection = self.backup_backend.get_restore_testing_selection(
            *self._restore_testing_names()
        )
        return json.dumps({"RestoreTestingSelection": selection.to_get_dict()})

    def update_restore_testing_selection(self) -> str:
        """UpdateRestoreTestingSelection."""
        params = json.loads(self.body)
        plan, selection = self.backup_backend.update_restore_testing_selection(
            *self._restore_testing_names(), params["RestoreTestingSelection"]
        )
        return json.dumps(
            {
                "CreationTime": selection.creation_time,
                "RestoreTestingPlanArn": plan.arn,
                "RestoreTestingPlanName": plan.name,
                "RestoreTestingSelectionName": selection.name,
                "UpdateTime": unix_time(),
            }
        )

    def delete_restore_testing_selection(self) -> str:
        """DeleteRestoreTestingSelection."""
        self.backup_backend.delete_restore_testing_selection(*self._restore_testing_names())
        return "{}"

    def list_restore_testing_selections(self) -> str:
        """ListRestoreTestingSelections (one page)."""
        plan_name, _ = self._restore_testing_names()
        plan = self.backup_backend.get_restore_testing_plan(plan_name)
        selections = [s.to_list_dict() for s in plan.selections.values()]
        return json.dumps({"RestoreTestingSelections": selections})


def check(session: boto3.Session) -> bool:
    """A plan and a selection read back as written, are listed, and are deleted."""
    backup = session.client("backup")
    plan = {
        "RestoreTestingPlanName": "ext_restore_tests",
        "ScheduleExpression": "cron(0 6 ? * SAT *)",
        "RecoveryPointSelection": {
            "Algorithm": "LATEST_WITHIN_WINDOW",
            "IncludeVaults": ["*"],
            "RecoveryPointTypes": ["SNAPSHOT"],
            "SelectionWindowDays": 7,
        },
    }
    backup.create_restore_testing_plan(RestoreTestingPlan=plan, Tags={"team": "ext"})
    selection = {
        "RestoreTestingSelectionName": "rds",
        "ProtectedResourceType": "RDS",
        "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
        "ValidationWindowHours": 4,
    }
    backup.create_restore_testing_selection(
        RestoreTestingPlanName="ext_restore_tests", RestoreTestingSelection=selection
    )
    read = backup.get_restore_testing_plan(RestoreTestingPlanName="ext_restore_tests")
    chosen = backup.get_restore_testing_selection(
        RestoreTestingPlanName="ext_restore_tests", RestoreTestingSelectionName="rds"
    )["RestoreTestingSelection"]
    backup.delete_restore_testing_selection(
        RestoreTestingPlanName="ext_restore_tests", RestoreTestingSelectionName="rds"
    )
    backup.delete_restore_testing_plan(RestoreTestingPlanName="ext_restore_tests")
    left = backup.list_restore_testing_plans()["RestoreTestingPlans"]
    return bool(
        read["RestoreTestingPlan"]["RecoveryPointSelection"] == plan["RecoveryPointSelection"]
        and chosen["ProtectedResourceType"] == "RDS"
        and chosen["ValidationWindowHours"] == 4
        and left == []
    )


EXTENSION = Extension(
    name="backup_restore_testing",
    summary="restore testing plans and selections: create, get, update, list, delete",
    operations=(
        "CreateRestoreTestingPlan",
        "GetRestoreTestingPlan",
        "UpdateRestoreTestingPlan",
        "DeleteRestoreTestingPlan",
        "ListRestoreTestingPlans",
        "CreateRestoreTestingSelection",
        "GetRestoreTestingSelection",
        "UpdateRestoreTestingSelection",
        "DeleteRestoreTestingSelection",
        "ListRestoreTestingSelections",
    ),
    grafts=(
        Graft(BackupBackend, RestoreTestingBackend),
        Graft(BackupResponse, RestoreTestingResponse),
    ),
    check=check,
    routes=(
        Routes(
            moto.backup.urls,
            {
                "{0}/restore-testing/plans/?$": BackupResponse.dispatch,
                "{0}/restore-testing/plans/(?P<name>[^/]+)/?$": BackupResponse.dispatch,
                "{0}/restore-testing/plans/(?P<name>[^/]+)/selections/?$": BackupResponse.dispatch,
                "{0}/restore-testing/plans/(?P<name>[^/]+)/selections/(?P<selection>[^/]+)/?$": (
                    BackupResponse.dispatch
                ),
            },
        ),
    ),
)
