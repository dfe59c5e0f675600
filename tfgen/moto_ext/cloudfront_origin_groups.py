"""CloudFront: origin groups (origin failover) as cache behavior targets.

moto 5.2 keeps a distribution's ``OriginGroups`` but refuses a default cache
behavior that targets one (``NoSuchOrigin``: it looks for the id among the
origins only), so a distribution with origin failover could not be created.
As in AWS, a behavior may target an origin group whose members are origins of
the distribution; the group reads back as written.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import boto3
from moto.cloudfront.exceptions import OriginDoesNotExist
from moto.cloudfront.models import DistributionConfig

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Config = DistributionConfig
else:
    _Config = object

_moto_init = DistributionConfig.__init__


class ConfigWithOriginGroups(_Config):
    """Methods for moto's CloudFront ``DistributionConfig``."""

    def __init__(self, config: dict[str, Any]) -> None:
        groups = {
            group["Id"]: [m["OriginId"] for m in group["Members"].get("Items") or []]
            for group in (config.get("OriginGroups") or {}).get("Items") or []
        }
        target = (config.get("DefaultCacheBehavior") or {}).get("TargetOriginId")
        if target not in groups:
            _moto_init(self, config)
            return
        origins = {o["Id"] for o in (config.get("Origins") or {}).get("Items") or []}
        if not groups[target] or not set(groups[target]) <= origins:
            raise OriginDoesNotExist
        # moto checks the target against the origins: hand it a member, then the group.
        as_origin = copy.deepcopy(config)
        as_origin["DefaultCacheBehavior"]["TargetOriginId"] = groups[target][0]
        _moto_init(self, as_origin)
        self.DefaultCacheBehavior.target_origin_id = target  # type: ignore[attr-defined]


def _distribution(group: dict[str, Any], primary: str, replica: str) -> dict[str, Any]:
    return {
        "CallerReference": "ext-failover",
        "Comment": "",
        "Enabled": True,
        "Origins": {
            "Quantity": 2,
            "Items": [
                {
                    "Id": origin,
                    "DomainName": f"{origin}.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
                for origin in (primary, replica)
            ],
        },
        "OriginGroups": {"Quantity": 1, "Items": [group]},
        "DefaultCacheBehavior": {
            "TargetOriginId": group["Id"],
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        },
    }


def check(session: boto3.Session) -> bool:
    """A distribution whose default behavior targets an origin group reads it back."""
    cloudfront = session.client("cloudfront")
    group = {
        "Id": "failover",
        "FailoverCriteria": {"StatusCodes": {"Quantity": 2, "Items": [500, 503]}},
        "Members": {
            "Quantity": 2,
            "Items": [{"OriginId": "ext-primary"}, {"OriginId": "ext-replica"}],
        },
    }
    created = cloudfront.create_distribution(
        DistributionConfig=_distribution(group, "ext-primary", "ext-replica")
    )["Distribution"]
    config = cloudfront.get_distribution_config(Id=created["Id"])["DistributionConfig"]
    read = config["OriginGroups"]["Items"][0]
    return bool(
        config["DefaultCacheBehavior"]["TargetOriginId"] == "failover"
        and read["Members"] == group["Members"]
        and read["FailoverCriteria"] == group["FailoverCriteria"]
    )


EXTENSION = Extension(
    name="cloudfront_origin_groups",
    summary="a cache behavior may target an origin group (origin failover), read back as written",
    operations=("CreateDistribution", "UpdateDistribution", "GetDistributionConfig"),
    grafts=(Graft(DistributionConfig, ConfigWithOriginGroups),),
    check=check,
)
