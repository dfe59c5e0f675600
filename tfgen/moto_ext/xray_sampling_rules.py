"""X-Ray: sampling rules, and tags on them.

moto 5.2's X-Ray knows trace segments and telemetry only: ``/CreateSamplingRule``
has no route (HTTP 404), so ``aws_xray_sampling_rule`` could not be created. A
rule reads back as written (with its ARN and times), is updated field by field,
is deleted by name or ARN, and carries tags, as in AWS.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
import moto.xray.urls
from moto.core.common_models import BaseModel
from moto.core.exceptions import JsonRESTError
from moto.core.utils import unix_time
from moto.utilities.tagging_service import TaggingService
from moto.xray.models import XRayBackend
from moto.xray.responses import XRayResponse

from tfgen.moto_ext._extension import Extension, Graft, Routes

if TYPE_CHECKING:
    _Backend = XRayBackend
    _Response = XRayResponse
else:
    _Backend = _Response = object

_OPERATIONS = (
    "CreateSamplingRule",
    "GetSamplingRules",
    "UpdateSamplingRule",
    "DeleteSamplingRule",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
)


class InvalidRequestException(JsonRESTError):
    """A rule that does not exist, or exists already."""

    def __init__(self, message: str) -> None:
        super().__init__("InvalidRequestException", message)


class SamplingRule(BaseModel):
    """A sampling rule, as written, with its ARN and times."""

    def __init__(self, rule: dict[str, Any], account: str, region: str) -> None:
        name = rule["RuleName"]
        self.rule = {**rule, "RuleARN": f"arn:aws:xray:{region}:{account}:sampling-rule/{name}"}
        self.rule.setdefault("Attributes", {})
        self.created_at = unix_time()
        self.modified_at = self.created_at

    @property
    def name(self) -> str:
        """The rule's name."""
        return str(self.rule["RuleName"])

    @property
    def arn(self) -> str:
        """The rule's ARN."""
        return str(self.rule["RuleARN"])

    def to_dict(self) -> dict[str, Any]:
        """A SamplingRuleRecord."""
        return {
            "SamplingRule": self.rule,
            "CreatedAt": self.created_at,
            "ModifiedAt": self.modified_at,
        }


class SamplingRulesBackend(_Backend):
    """Methods for moto's ``XRayBackend``."""

    sampling_rules: dict[str, SamplingRule]
    sampling_rule_tags: TaggingService

    def extend_init(self) -> None:
        """Keep sampling rules by name, and their tags."""
        self.sampling_rules = {}
        self.sampling_rule_tags = TaggingService()

    def create_sampling_rule(
        self, rule: dict[str, Any], tags: list[dict[str, str]] | None
    ) -> SamplingRule:
        """Create a rule; names are unique in the region."""
        if rule["RuleName"] in self.sampling_rules:
            raise InvalidRequestException(f"Sampling rule {rule['RuleName']} already exists")
        created = SamplingRule(rule, self.account_id, self.region_name)
        self.sampling_rules[created.name] = created
        self.sampling_rule_tags.tag_resource(created.arn, tags or [])
        return created

    def find_sampling_rule(self, name: str | None, arn: str | None) -> SamplingRule:
        """A rule by name or ARN."""
        for rule in self.sampling_rules.values():
            if rule.name == name or rule.arn == arn:
                return rule
        raise InvalidRequestException(f"Sampling rule {name or arn} does not exist")

    def update_sampling_rule(self, update: dict[str, Any]) -> SamplingRule:
        """Change the given fields of a rule."""
        rule = self.find_sampling_rule(update.get("RuleName"), update.get("RuleARN"))
        rule.rule.update(
            {key: value for key, value in update.items() if key not in ("RuleName", "RuleARN")}
        )
        rule.modified_at = unix_time()
        return rule

    def delete_sampling_rule(self, name: str | None, arn: str | None) -> SamplingRule:
        """Delete a rule, and its tags."""
        rule = self.find_sampling_rule(name, arn)
        del self.sampling_rules[rule.name]
        self.sampling_rule_tags.delete_all_tags_for_resource(rule.arn)
        return rule


class SamplingRulesResponse(_Response):
    """Methods for moto's ``XRayResponse``."""

    if TYPE_CHECKING:

        @property
        def xray_backend(self) -> SamplingRulesBackend:
            """The backend, with the methods above."""

    def create_sampling_rule(self) -> str:
        """CreateSamplingRule."""
        rule = self.xray_backend.create_sampling_rule(
            self._get_param("SamplingRule"), self._get_param("Tags")
        )
        return self._json({"SamplingRuleRecord": rule.to_dict()})

    def get_sampling_rules(self) -> str:
        """GetSamplingRules (one page)."""
        rules = [rule.to_dict() for rule in self.xray_backend.sampling_rules.values()]
        return self._json({"SamplingRuleRecords": rules})

    def update_sampling_rule(self) -> str:
        """UpdateSamplingRule."""
        rule = self.xray_backend.update_sampling_rule(self._get_param("SamplingRuleUpdate"))
        return self._json({"SamplingRuleRecord": rule.to_dict()})

    def delete_sampling_rule(self) -> str:
        """DeleteSamplingRule."""
        rule = self.xray_backend.delete_sampling_rule(
            self._get_param("RuleName"), self._get_param("RuleARN")
        )
        return self._json({"SamplingRuleRecord": rule.to_dict()})

    def tag_resource(self) -> str:
        """TagResource (sampling rules)."""
        rule = self.xray_backend.find_sampling_rule(None, self._get_param("ResourceARN"))
        self.xray_backend.sampling_rule_tags.tag_resource(rule.arn, self._get_param("Tags"))
        return "{}"

    def untag_resource(self) -> str:
        """UntagResource (sampling rules)."""
        rule = self.xray_backend.find_sampling_rule(None, self._get_param("ResourceARN"))
        self.xray_backend.sampling_rule_tags.untag_resource_using_names(
            rule.arn, self._get_param("TagKeys")
        )
        return "{}"

    def list_tags_for_resource(self) -> str:
        """ListTagsForResource (sampling rules)."""
        rule = self.xray_backend.find_sampling_rule(None, self._get_param("ResourceARN"))
        tags = self.xray_backend.sampling_rule_tags.list_tags_for_resource(rule.arn)["Tags"]
        return self._json({"Tags": tags})

    @staticmethod
    def _json(answer: dict[str, Any]) -> str:
        return json.dumps(answer)


def check(session: boto3.Session) -> bool:
    """A rule reads back as written, is updated, carries tags and is deleted."""
    xray = session.client("xray")
    rule = {
        "RuleName": "ext-api",
        "Priority": 1000,
        "FixedRate": 0.05,
        "ReservoirSize": 1,
        "ServiceName": "ext-api",
        "ServiceType": "*",
        "Host": "*",
        "HTTPMethod": "*",
        "URLPath": "*",
        "ResourceARN": "*",
        "Version": 1,
    }
    created = xray.create_sampling_rule(SamplingRule=rule, Tags=[{"Key": "team", "Value": "x"}])
    arn = created["SamplingRuleRecord"]["SamplingRule"]["RuleARN"]
    xray.update_sampling_rule(SamplingRuleUpdate={"RuleName": "ext-api", "FixedRate": 0.1})
    read = next(
        r["SamplingRule"]
        for r in xray.get_sampling_rules()["SamplingRuleRecords"]
        if r["SamplingRule"]["RuleName"] == "ext-api"
    )
    tags = xray.list_tags_for_resource(ResourceARN=arn)["Tags"]
    xray.delete_sampling_rule(RuleName="ext-api")
    left = xray.get_sampling_rules()["SamplingRuleRecords"]
    return bool(
        read["FixedRate"] == 0.1
        and read["ServiceName"] == "ext-api"
        and tags == [{"Key": "team", "Value": "x"}]
        and all(r["SamplingRule"]["RuleName"] != "ext-api" for r in left)
    )


EXTENSION = Extension(
    name="xray_sampling_rules",
    summary="sampling rules: create, read, update, delete, and their tags",
    operations=_OPERATIONS,
    grafts=(
        Graft(XRayBackend, SamplingRulesBackend),
        Graft(XRayResponse, SamplingRulesResponse),
    ),
    check=check,
    routes=(
        Routes(
            moto.xray.urls,
            {f"{{0}}/{operation}$": XRayResponse.dispatch for operation in _OPERATIONS},
        ),
    ),
)
