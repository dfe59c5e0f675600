"""Systems Manager: patch baselines, patch groups and maintenance windows read back.

moto 5.2 creates patch baselines, patch groups, maintenance windows, their
targets and tasks, but what Terraform reads them back with is missing or
wrong: GetPatchBaseline, DescribePatchGroups and GetMaintenanceWindowTask are
not implemented, tags on a patch baseline are refused (``InvalidResourceId``,
for every baseline), DescribeMaintenanceWindowTargets and ...Tasks answer
nothing to any filter, and DeregisterPatchBaselineForPatchGroup registers the
baseline again. Each now answers as AWS does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.ssm.exceptions import DoesNotExistException
from moto.ssm.models import SimpleSystemManagerBackend
from moto.ssm.responses import SimpleSystemManagerResponse

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = SimpleSystemManagerBackend
    _Response = SimpleSystemManagerResponse
else:
    _Backend = _Response = object

_moto_validate = SimpleSystemManagerBackend._validate_resource_type_and_id


def _matches(filters: list[dict[str, Any]] | None, item: Any, fields: dict[str, str]) -> bool:
    """Whether ``item`` passes every filter on the keys ``fields`` maps to attributes."""
    for flt in filters or []:
        attribute = fields.get(flt.get("Key", ""))
        if attribute is not None and str(getattr(item, attribute, None)) not in flt.get(
            "Values", []
        ):
            return False
    return True


class PatchingBackend(_Backend):
    """Methods for moto's ``SimpleSystemManagerBackend``."""

    def _validate_resource_type_and_id(self, resource_type: str, resource_id: str) -> str:
        """Patch baselines are taggable resources, by their id."""
        if resource_type == "PatchBaseline":
            if resource_id not in self.baselines:
                raise DoesNotExistException(resource_id)
            return resource_id
        return str(_moto_validate(self, resource_type, resource_id))

    def get_patch_baseline(self, baseline_id: str) -> Any:
        """One custom patch baseline by id."""
        if baseline_id not in self.baselines:
            raise DoesNotExistException(baseline_id)
        return self.baselines[baseline_id]

    def patch_groups_of(self, baseline_id: str) -> list[str]:
        """The patch groups registered with a baseline."""
        return sorted(
            name
            for name, group in self.patch_groups.items()
            if baseline_id in group.associations.values()
        )

    def deregister_patch_baseline_for_patch_group(
        self, baseline_id: str, patch_group: str
    ) -> tuple[str, str]:
        """Remove the registration: the group falls back to the default baseline."""
        group = self.patch_groups.get(patch_group)
        baseline = self.get_patch_baseline(baseline_id)
        if group is not None and group.associations.get(baseline.operating_system) == baseline_id:
            del group.associations[baseline.operating_system]
            if not set(group.associations.values()) & set(self.baselines):
                del self.patch_groups[patch_group]
        return baseline_id, patch_group

    def describe_maintenance_window_targets(
        self, window_id: str, filters: list[dict[str, Any]] | None
    ) -> list[Any]:
        """A window's targets that pass the filters (by id, owner information)."""
        window = self.get_maintenance_window(window_id)
        fields = {"WindowTargetId": "window_target_id", "OwnerInformation": "owner_information"}
        return [t for t in window.targets.values() if _matches(filters, t, fields)]

    def describe_maintenance_window_tasks(
        self, window_id: str, filters: list[dict[str, Any]] | None
    ) -> list[Any]:
        """A window's tasks that pass the filters (by id, type, ARN)."""
        window = self.get_maintenance_window(window_id)
        fields = {"WindowTaskId": "window_task_id", "TaskType": "task_type", "TaskArn": "task_arn"}
        return [t for t in window.tasks.values() if _matches(filters, t, fields)]

    def get_maintenance_window_task(self, window_id: str, window_task_id: str) -> Any:
        """One task of a window."""
        window = self.get_maintenance_window(window_id)
        if window_task_id not in window.tasks:
            raise DoesNotExistException(window_task_id)
        return window.tasks[window_task_id]


class PatchingResponse(_Response):
    """Methods for moto's ``SimpleSystemManagerResponse``."""

    if TYPE_CHECKING:

        @property
        def ssm_backend(self) -> PatchingBackend:
            """The backend, with the methods above."""

    def get_patch_baseline(self) -> ActionResult:
        """GetPatchBaseline."""
        baseline = self.ssm_backend.get_patch_baseline(self._get_param("BaselineId"))
        answer = {
            key: value
            for key, value in {
                "BaselineId": baseline.id,
                "Name": baseline.name,
                "OperatingSystem": baseline.operating_system,
                "GlobalFilters": baseline.global_filters,
                "ApprovalRules": baseline.approval_rules,
                "ApprovedPatches": baseline.approved_patches or [],
                "ApprovedPatchesComplianceLevel": baseline.approved_patches_compliance_level,
                "ApprovedPatchesEnableNonSecurity": baseline.approved_patches_enable_non_security,
                "RejectedPatches": baseline.rejected_patches or [],
                "RejectedPatchesAction": baseline.rejected_patches_action,
                "Description": baseline.description,
                "Sources": baseline.sources or [],
                "PatchGroups": self.ssm_backend.patch_groups_of(baseline.id),
                "CreatedDate": getattr(baseline, "created_date", None) or utcnow(),
            }.items()
            if value is not None
        }
        return ActionResult(answer)

    def describe_patch_groups(self) -> ActionResult:
        """DescribePatchGroups: each group with the custom baselines registered for it."""
        backend = self.ssm_backend
        mappings = [
            {
                "PatchGroup": name,
                "BaselineIdentity": {
                    "BaselineId": baseline_id,
                    "BaselineName": backend.baselines[baseline_id].name,
                    "OperatingSystem": backend.baselines[baseline_id].operating_system,
                    "BaselineDescription": backend.baselines[baseline_id].description or "",
                    "DefaultBaseline": False,
                },
            }
            for name, group in sorted(backend.patch_groups.items())
            for baseline_id in group.associations.values()
            if baseline_id in backend.baselines
        ]
        return ActionResult({"Mappings": mappings})

    def get_maintenance_window_task(self) -> ActionResult:
        """GetMaintenanceWindowTask."""
        task = self.ssm_backend.get_maintenance_window_task(
            self._get_param("WindowId"), self._get_param("WindowTaskId")
        )
        answer = {key: value for key, value in task.to_json().items() if value is not None}
        if task.cutoff_behavior:
            answer["CutoffBehavior"] = task.cutoff_behavior
        if task.alarm_configurations:
            answer["AlarmConfiguration"] = task.alarm_configurations
        return ActionResult(answer)


def check(session: boto3.Session) -> bool:
    """A tagged baseline, its patch group and a window's filtered target and task read back."""
    ssm = session.client("ssm")
    baseline = ssm.create_patch_baseline(
        Name="ext-al2023",
        OperatingSystem="AMAZON_LINUX_2023",
        ApprovalRules={
            "PatchRules": [
                {
                    "PatchFilterGroup": {
                        "PatchFilters": [{"Key": "CLASSIFICATION", "Values": ["Security"]}]
                    },
                    "ApproveAfterDays": 7,
                }
            ]
        },
        Tags=[{"Key": "team", "Value": "x"}],
    )["BaselineId"]
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline, PatchGroup="ext-hosts")
    read = ssm.get_patch_baseline(BaselineId=baseline)
    groups = ssm.describe_patch_groups()["Mappings"]
    window = ssm.create_maintenance_window(
        Name="ext-window",
        Schedule="cron(0 3 ? * SUN *)",
        Duration=3,
        Cutoff=1,
        AllowUnassociatedTargets=False,
    )["WindowId"]
    target = ssm.register_target_with_maintenance_window(
        WindowId=window,
        ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Patch Group", "Values": ["ext-hosts"]}],
    )["WindowTargetId"]
    task = ssm.register_task_with_maintenance_window(
        WindowId=window,
        TaskArn="AWS-RunPatchBaseline",
        TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
        MaxConcurrency="1",
        MaxErrors="1",
    )["WindowTaskId"]
    targets = ssm.describe_maintenance_window_targets(
        WindowId=window, Filters=[{"Key": "WindowTargetId", "Values": [target]}]
    )["Targets"]
    got_task = ssm.get_maintenance_window_task(WindowId=window, WindowTaskId=task)
    ssm.deregister_patch_baseline_for_patch_group(BaselineId=baseline, PatchGroup="ext-hosts")
    left = ssm.describe_patch_groups()["Mappings"]
    return bool(
        read["Name"] == "ext-al2023"
        and read["PatchGroups"] == ["ext-hosts"]
        and ssm.list_tags_for_resource(ResourceType="PatchBaseline", ResourceId=baseline)["TagList"]
        == [{"Key": "team", "Value": "x"}]
        and [g["PatchGroup"] for g in groups] == ["ext-hosts"]
        and [t["WindowTargetId"] for t in targets] == [target]
        and got_task["TaskArn"] == "AWS-RunPatchBaseline"
        and left == []
    )


EXTENSION = Extension(
    name="ssm_patching",
    summary="patch baselines (with tags), patch groups and maintenance window targets and"
    " tasks read back as AWS answers them",
    operations=(
        "GetPatchBaseline",
        "DescribePatchGroups",
        "DeregisterPatchBaselineForPatchGroup",
        "GetMaintenanceWindowTask",
        "DescribeMaintenanceWindowTargets",
        "DescribeMaintenanceWindowTasks",
        "AddTagsToResource",
        "ListTagsForResource",
    ),
    grafts=(
        Graft(SimpleSystemManagerBackend, PatchingBackend),
        Graft(SimpleSystemManagerResponse, PatchingResponse),
    ),
    check=check,
)
