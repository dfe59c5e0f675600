"""GuardDuty: a detector's protection plans (features), updated one at a time.

moto 5.2 keeps the ``features`` list of the last CreateDetector or
UpdateDetector call as it was sent, replacing what was there. AWS merges them:
UpdateDetector changes the named features (and, within a feature, the named
additional configurations) and leaves the others as they are. The AWS provider
sends one feature per ``aws_guardduty_detector_feature``, so on moto only the
last one survived and the others failed to read back ("empty result").
GetDetector now answers every feature set so far, with its ``updatedAt``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from moto.core.utils import unix_time
from moto.guardduty.models import Detector

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Detector = Detector
else:
    _Detector = object

_moto_update = Detector.update


def _merged(current: list[dict[str, Any]], given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``current`` with each entry of ``given`` set by name; an update stamps ``updatedAt``."""
    by_name = {entry["name"]: entry for entry in current}
    for entry in given:
        kept = by_name.setdefault(entry["name"], {"name": entry["name"]})
        if "status" in entry:
            kept["status"] = entry["status"]
            kept["updatedAt"] = unix_time()
        nested = entry.get("additionalConfiguration")
        if nested:
            kept["additionalConfiguration"] = _merged(
                kept.get("additionalConfiguration", []), nested
            )
    return list(by_name.values())


class MergedFeaturesDetector(_Detector):
    """Methods for moto's GuardDuty ``Detector``."""

    def extend_init(self) -> None:
        """Keep CreateDetector's features in the merged form."""
        self.features = _merged([], self.features)

    def update(
        self,
        enable: bool,
        finding_publishing_frequency: str,
        data_sources: dict[str, Any],
        features: list[dict[str, Any]],
    ) -> None:
        """UpdateDetector: the named features change, the others stay."""
        _moto_update(self, enable, finding_publishing_frequency, data_sources, None)  # type: ignore[arg-type]
        if features is not None:
            self.features = _merged(self.features, features)


def check(session: boto3.Session) -> bool:
    """Features enabled one call at a time are all read back, with their configurations."""
    guardduty = session.client("guardduty")
    detector = guardduty.create_detector(Enable=True)["DetectorId"]
    guardduty.update_detector(
        DetectorId=detector, Features=[{"Name": "S3_DATA_EVENTS", "Status": "ENABLED"}]
    )
    guardduty.update_detector(
        DetectorId=detector,
        Features=[
            {
                "Name": "RUNTIME_MONITORING",
                "Status": "ENABLED",
                "AdditionalConfiguration": [
                    {"Name": "ECS_FARGATE_AGENT_MANAGEMENT", "Status": "ENABLED"}
                ],
            }
        ],
    )
    features = {f["Name"]: f for f in guardduty.get_detector(DetectorId=detector)["Features"]}
    runtime = features.get("RUNTIME_MONITORING", {}).get("AdditionalConfiguration", [])
    guardduty.delete_detector(DetectorId=detector)
    return bool(
        features.get("S3_DATA_EVENTS", {}).get("Status") == "ENABLED"
        and [(c["Name"], c["Status"]) for c in runtime]
        == [("ECS_FARGATE_AGENT_MANAGEMENT", "ENABLED")]
    )


EXTENSION = Extension(
    name="guardduty_detector_features",
    summary="detector features merged by name, as AWS does, and read back with GetDetector",
    operations=("UpdateDetector", "CreateDetector", "GetDetector"),
    grafts=(Graft(Detector, MergedFeaturesDetector),),
    check=check,
)
