"""CloudFront: response headers policies (security headers such as HSTS).

moto 5.2 has no route for ``/2020-05-31/response-headers-policy`` (HTTP 404), so
``aws_cloudfront_response_headers_policy`` could not be created. A policy reads
back exactly as written; updates and deletes need the current ETag in
``If-Match``, as in AWS, and a policy a distribution uses cannot be deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import moto.cloudfront.urls
from moto.cloudfront.exceptions import CloudFrontException, InvalidIfMatchVersion
from moto.cloudfront.models import CloudFrontBackend, Distribution, random_id
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.common_models import BaseModel
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random

from tfgen.moto_ext._extension import Extension, Graft, Routes

if TYPE_CHECKING:
    _Backend = CloudFrontBackend
    _Response = CloudFrontResponse
else:
    _Backend = _Response = object

_LOCATION = "https://cloudfront.amazonaws.com/2020-05-31/response-headers-policy/{}"


class NoSuchResponseHeadersPolicy(CloudFrontException):
    """No policy has this id."""

    def __init__(self) -> None:
        super().__init__(
            "NoSuchResponseHeadersPolicy", "The response headers policy does not exist."
        )


class ResponseHeadersPolicyAlreadyExists(CloudFrontException):
    """A policy already has this name."""

    def __init__(self, name: str) -> None:
        super().__init__(
            "ResponseHeadersPolicyAlreadyExists",
            f"A response headers policy with this name already exists: {name}",
        )


class ResponseHeadersPolicyInUse(CloudFrontException):
    """A distribution's cache behavior uses the policy."""

    def __init__(self) -> None:
        super().__init__(
            "ResponseHeadersPolicyInUse",
            "Cannot delete the response headers policy because it is attached to a cache behavior.",
        )


class PreconditionFailed(CloudFrontException):
    """The ``If-Match`` ETag is not the policy's current one."""

    def __init__(self) -> None:
        super().__init__(
            "PreconditionFailed", "The If-Match version does not match the current version."
        )


class ResponseHeadersPolicy(BaseModel):
    """A custom response headers policy: its config, as written."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.id = str(mock_random.uuid4())
        self.response_headers_policy_config = config
        self.last_modified_time = utcnow()
        self.etag = random_id()

    def update(self, config: dict[str, Any]) -> None:
        """Replace the config; a new version gets a new ETag."""
        self.response_headers_policy_config = config
        self.last_modified_time = utcnow()
        self.etag = random_id()


def _policy_ids_in_use(distribution: Distribution) -> set[str]:
    # moto keeps the config's fields as attributes named as in the API.
    config = vars(distribution.distribution_config)
    behaviors = [config["DefaultCacheBehavior"], *(config["CacheBehaviors"].get("Items") or [])]
    return {getattr(b, "response_headers_policy_id", None) or "" for b in behaviors} - {""}


class ResponseHeadersPoliciesBackend(_Backend):
    """Methods for moto's ``CloudFrontBackend``."""

    response_headers_policies: dict[str, ResponseHeadersPolicy]

    def extend_init(self) -> None:
        """Keep response headers policies by id."""
        self.response_headers_policies = {}

    def create_response_headers_policy(self, config: dict[str, Any]) -> ResponseHeadersPolicy:
        """Create a policy; names are unique in the account."""
        name = config.get("Name")
        if any(
            p.response_headers_policy_config.get("Name") == name
            for p in self.response_headers_policies.values()
        ):
            raise ResponseHeadersPolicyAlreadyExists(str(name))
        policy = ResponseHeadersPolicy(config)
        self.response_headers_policies[policy.id] = policy
        return policy

    def get_response_headers_policy(self, policy_id: str) -> ResponseHeadersPolicy:
        """One policy by id."""
        if policy_id not in self.response_headers_policies:
            raise NoSuchResponseHeadersPolicy()
        return self.response_headers_policies[policy_id]

    def _current(self, policy_id: str, if_match: str | None) -> ResponseHeadersPolicy:
        policy = self.get_response_headers_policy(policy_id)
        if not if_match:
            raise InvalidIfMatchVersion()
        if if_match != policy.etag:
            raise PreconditionFailed()
        return policy

    def update_response_headers_policy(
        self, policy_id: str, config: dict[str, Any], if_match: str | None
    ) -> ResponseHeadersPolicy:
        """Replace a policy's config, given its current ETag."""
        policy = self._current(policy_id, if_match)
        policy.update(config)
        return policy

    def delete_response_headers_policy(self, policy_id: str, if_match: str | None) -> None:
        """Delete a policy no distribution uses, given its current ETag."""
        self._current(policy_id, if_match)
        if any(policy_id in _policy_ids_in_use(d) for d in self.distributions.values()):
            raise ResponseHeadersPolicyInUse()
        del self.response_headers_policies[policy_id]

    def list_response_headers_policies(
        self, policy_type: str | None
    ) -> list[ResponseHeadersPolicy]:
        """Every custom policy (moto knows no AWS managed ones)."""
        if policy_type == "managed":
            return []
        return list(self.response_headers_policies.values())


class ResponseHeadersPoliciesResponse(_Response):
    """Methods for moto's ``CloudFrontResponse``."""

    if TYPE_CHECKING:

        @property
        def backend(self) -> ResponseHeadersPoliciesBackend:
            """The backend, with the methods above."""

    def create_response_headers_policy(self) -> ActionResult:
        """CreateResponseHeadersPolicy."""
        policy = self.backend.create_response_headers_policy(
            self._get_param("ResponseHeadersPolicyConfig", {})
        )
        return ActionResult(
            {
                "ResponseHeadersPolicy": policy,
                "Location": _LOCATION.format(policy.id),
                "ETag": policy.etag,
            }
        )

    def get_response_headers_policy(self) -> ActionResult:
        """GetResponseHeadersPolicy."""
        policy = self.backend.get_response_headers_policy(self._get_param("Id"))
        return ActionResult({"ResponseHeadersPolicy": policy, "ETag": policy.etag})

    def get_response_headers_policy_config(self) -> ActionResult:
        """GetResponseHeadersPolicyConfig."""
        policy = self.backend.get_response_headers_policy(self._get_param("Id"))
        return ActionResult(
            {
                "ResponseHeadersPolicyConfig": policy.response_headers_policy_config,
                "ETag": policy.etag,
            }
        )

    def update_response_headers_policy(self) -> ActionResult:
        """UpdateResponseHeadersPolicy."""
        policy = self.backend.update_response_headers_policy(
            self._get_param("Id"),
            self._get_param("ResponseHeadersPolicyConfig", {}),
            self._get_param("IfMatch"),
        )
        return ActionResult({"ResponseHeadersPolicy": policy, "ETag": policy.etag})

    def delete_response_headers_policy(self) -> EmptyResult:
        """DeleteResponseHeadersPolicy."""
        self.backend.delete_response_headers_policy(
            self._get_param("Id"), self._get_param("IfMatch")
        )
        return EmptyResult()

    def list_response_headers_policies(self) -> ActionResult:
        """ListResponseHeadersPolicies (one page)."""
        policies = self.backend.list_response_headers_policies(self._get_param("Type"))
        items = [{"Type": "custom", "ResponseHeadersPolicy": policy} for policy in policies]
        listing = {
            "MaxItems": self._get_int_param("MaxItems") or 100,
            "Quantity": len(items),
            "Items": items,
        }
        return ActionResult({"ResponseHeadersPolicyList": listing})


_BASE = "{0}/2020-05-31/response-headers-policy"


def check(session: boto3.Session) -> bool:
    """A policy reads back as written; update and delete need its current ETag."""
    cloudfront = session.client("cloudfront")
    config: dict[str, Any] = {
        "Name": "ext-headers",
        "Comment": "hsts",
        "SecurityHeadersConfig": {
            "StrictTransportSecurity": {
                "Override": True,
                "AccessControlMaxAgeSec": 31536000,
                "IncludeSubdomains": True,
                "Preload": True,
            },
            "FrameOptions": {"Override": True, "FrameOption": "DENY"},
        },
    }
    created = cloudfront.create_response_headers_policy(ResponseHeadersPolicyConfig=config)
    policy_id = created["ResponseHeadersPolicy"]["Id"]
    read = cloudfront.get_response_headers_policy(Id=policy_id)
    config["Comment"] = "hsts, updated"
    try:
        cloudfront.update_response_headers_policy(
            Id=policy_id, IfMatch="stale", ResponseHeadersPolicyConfig=config
        )
        return False
    except cloudfront.exceptions.PreconditionFailed:
        pass
    updated = cloudfront.update_response_headers_policy(
        Id=policy_id, IfMatch=read["ETag"], ResponseHeadersPolicyConfig=config
    )
    listed = cloudfront.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]
    cloudfront.delete_response_headers_policy(Id=policy_id, IfMatch=updated["ETag"])
    try:
        cloudfront.get_response_headers_policy(Id=policy_id)
        return False
    except cloudfront.exceptions.NoSuchResponseHeadersPolicy:
        pass
    written = read["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]
    return bool(
        written["SecurityHeadersConfig"]["StrictTransportSecurity"]["AccessControlMaxAgeSec"]
        == 31536000
        and written["SecurityHeadersConfig"]["FrameOptions"]["FrameOption"] == "DENY"
        and updated["ETag"] != read["ETag"]
        and updated["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Comment"]
        == "hsts, updated"
        and listed["Quantity"] == 1
    )


EXTENSION = Extension(
    name="cloudfront_response_headers_policies",
    summary="response headers policies: create, get, update, delete, list, with ETags",
    operations=(
        "CreateResponseHeadersPolicy",
        "GetResponseHeadersPolicy",
        "GetResponseHeadersPolicyConfig",
        "UpdateResponseHeadersPolicy",
        "DeleteResponseHeadersPolicy",
        "ListResponseHeadersPolicies",
    ),
    grafts=(
        Graft(CloudFrontBackend, ResponseHeadersPoliciesBackend),
        Graft(CloudFrontResponse, ResponseHeadersPoliciesResponse),
    ),
    check=check,
    routes=(
        Routes(
            moto.cloudfront.urls,
            {
                f"{_BASE}$": CloudFrontResponse.dispatch,
                f"{_BASE}/(?P<Id>[^/]+)$": CloudFrontResponse.dispatch,
                f"{_BASE}/(?P<Id>[^/]+)/config$": CloudFrontResponse.dispatch,
            },
        ),
    ),
)
