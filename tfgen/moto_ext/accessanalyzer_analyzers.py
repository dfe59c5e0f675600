"""IAM Access Analyzer: analyzers and their tags, a service moto does not have.

moto 5.2 has no Access Analyzer at all: the server found no backend for a call
signed for ``access-analyzer`` and answered HTTP 500, so
``aws_accessanalyzer_analyzer`` could not be applied. This module is that
service, written as moto writes one (a backend with a BackendDict, a response
class, URL patterns), plus what moto's own index would do for it: the server
finds the service by its signing name and routes its host here. Analyzers are
kept per account and region, named uniquely, and read back with their tags and
configuration as created; they find nothing (the emulator holds no findings).
"""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import boto3
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.common_models import BaseModel
from moto.core.exceptions import JsonRESTError
from moto.core.responses import BaseResponse
from moto.core.utils import iso_8601_datetime_with_milliseconds
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Dispatcher = DomainDispatcherApplication
else:
    _Dispatcher = object

# moto's name for the service (its package would be moto/accessanalyzer); boto3's too.
SERVICE = "accessanalyzer"
TYPES = (
    "ACCOUNT",
    "ORGANIZATION",
    "ACCOUNT_UNUSED_ACCESS",
    "ORGANIZATION_UNUSED_ACCESS",
    "ACCOUNT_INTERNAL_ACCESS",
    "ORGANIZATION_INTERNAL_ACCESS",
)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,254}$")


class ResourceNotFoundException(JsonRESTError):
    """No analyzer has this name or ARN."""

    code = 404

    def __init__(self, what: str) -> None:
        super().__init__("ResourceNotFoundException", f"Analyzer {what} not found")


class ConflictException(JsonRESTError):
    """An analyzer of this name exists already."""

    code = 409

    def __init__(self, name: str) -> None:
        super().__init__("ConflictException", f"An analyzer named {name} already exists")


class ValidationException(JsonRESTError):
    """A parameter has a value Access Analyzer does not accept."""

    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("ValidationException", message)


class ServiceQuotaExceededException(JsonRESTError):
    """One account analyzer per account and region."""

    code = 402

    def __init__(self, analyzer_type: str) -> None:
        super().__init__(
            "ServiceQuotaExceededException",
            f"The account already has an analyzer of type {analyzer_type} in this region",
        )


class Analyzer(BaseModel):
    """An analyzer: its name, type, tags and configuration as created."""

    def __init__(
        self,
        arn: str,
        name: str,
        analyzer_type: str,
        tags: dict[str, str],
        configuration: dict[str, Any] | None,
    ) -> None:
        self.arn = arn
        self.name = name
        self.type = analyzer_type
        self.tags = dict(tags)
        self.configuration = configuration
        self.created_at = iso_8601_datetime_with_milliseconds()

    def to_dict(self) -> dict[str, Any]:
        """The analyzer as GetAnalyzer and ListAnalyzers describe it."""
        answer: dict[str, Any] = {
            "arn": self.arn,
            "name": self.name,
            "type": self.type,
            "createdAt": self.created_at,
            "status": "ACTIVE",
            "tags": self.tags,
        }
        if self.configuration:
            answer["configuration"] = self.configuration
        return answer


class AccessAnalyzerBackend(BaseBackend):
    """The analyzers of one account in one region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.analyzers: dict[str, Analyzer] = {}

    @property
    def _url_module(self) -> Any:
        # moto reads url_bases and url_paths from a service's urls module; here,
        # from this module.
        return sys.modules[__name__]

    def create_analyzer(
        self,
        name: str,
        analyzer_type: str,
        tags: dict[str, str],
        configuration: dict[str, Any] | None,
    ) -> Analyzer:
        """Create an analyzer; names are unique, and there is one analyzer per type."""
        if not _NAME.match(name or ""):
            raise ValidationException(f"Invalid analyzer name: {name}")
        if analyzer_type not in TYPES:
            raise ValidationException(f"Invalid analyzer type: {analyzer_type}")
        if name in self.analyzers:
            raise ConflictException(name)
        if any(a.type == analyzer_type for a in self.analyzers.values()):
            raise ServiceQuotaExceededException(analyzer_type)
        arn = (
            f"arn:{self.partition}:access-analyzer:{self.region_name}:{self.account_id}"
            f":analyzer/{name}"
        )
        analyzer = Analyzer(arn, name, analyzer_type, tags, configuration)
        self.analyzers[name] = analyzer
        return analyzer

    def get_analyzer(self, name: str) -> Analyzer:
        """One analyzer by name."""
        if name not in self.analyzers:
            raise ResourceNotFoundException(name)
        return self.analyzers[name]

    def list_analyzers(self, analyzer_type: str | None) -> list[Analyzer]:
        """The analyzers, all or of one type."""
        return [a for a in self.analyzers.values() if analyzer_type in (None, a.type)]

    def delete_analyzer(self, name: str) -> None:
        """Delete an analyzer."""
        self.get_analyzer(name)
        del self.analyzers[name]

    def _by_arn(self, arn: str) -> Analyzer:
        for analyzer in self.analyzers.values():
            if analyzer.arn == arn:
                return analyzer
        raise ResourceNotFoundException(arn)

    def tag_resource(self, arn: str, tags: dict[str, str]) -> None:
        """Add or overwrite tags of an analyzer."""
        self._by_arn(arn).tags.update(tags)

    def untag_resource(self, arn: str, keys: list[str]) -> None:
        """Remove tags of an analyzer by key."""
        tags = self._by_arn(arn).tags
        for key in keys:
            tags.pop(key, None)

    def list_tags_for_resource(self, arn: str) -> dict[str, str]:
        """The tags of an analyzer."""
        return dict(self._by_arn(arn).tags)


accessanalyzer_backends = BackendDict(AccessAnalyzerBackend, SERVICE)


class AccessAnalyzerResponse(BaseResponse):
    """The Access Analyzer API (restJson1) for analyzers and tags."""

    def __init__(self) -> None:
        super().__init__(service_name=SERVICE)

    @property
    def backend(self) -> AccessAnalyzerBackend:
        """The backend of the caller's account and region."""
        return accessanalyzer_backends[self.current_account][self.region]

    def _body(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}

    def _uri(self, name: str) -> str:
        return unquote(self.uri_match[name])

    def create_analyzer(self) -> str:
        """CreateAnalyzer."""
        params = self._body()
        analyzer = self.backend.create_analyzer(
            params.get("analyzerName", ""),
            params.get("type", "ACCOUNT"),
            params.get("tags") or {},
            params.get("configuration"),
        )
        return json.dumps({"arn": analyzer.arn})

    def get_analyzer(self) -> str:
        """GetAnalyzer."""
        analyzer = self.backend.get_analyzer(self._uri("analyzerName"))
        return json.dumps({"analyzer": analyzer.to_dict()})

    def list_analyzers(self) -> str:
        """ListAnalyzers (one page)."""
        analyzers = self.backend.list_analyzers(self._get_param("type"))
        return json.dumps({"analyzers": [a.to_dict() for a in analyzers]})

    def delete_analyzer(self) -> str:
        """DeleteAnalyzer."""
        self.backend.delete_analyzer(self._uri("analyzerName"))
        return "{}"

    def tag_resource(self) -> str:
        """TagResource."""
        self.backend.tag_resource(self._uri("resourceArn"), self._body().get("tags") or {})
        return "{}"

    def untag_resource(self) -> str:
        """UntagResource."""
        self.backend.untag_resource(self._uri("resourceArn"), self.querystring.get("tagKeys", []))
        return "{}"

    def list_tags_for_resource(self) -> str:
        """ListTagsForResource."""
        tags = self.backend.list_tags_for_resource(self._uri("resourceArn"))
        return json.dumps({"tags": tags})


# What moto's urls.py of the service would hold.
url_bases = [r"https?://access-analyzer\.(.+)\.amazonaws\.com"]
url_paths = {
    "{0}/analyzer$": AccessAnalyzerResponse.dispatch,
    "{0}/analyzer/(?P<analyzerName>[^/]+)$": AccessAnalyzerResponse.dispatch,
    "{0}/tags/(?P<resourceArn>.+)$": AccessAnalyzerResponse.dispatch,
}


class AccessAnalyzerHost(_Dispatcher):
    """Methods for moto's ``DomainDispatcherApplication`` (the server's router)."""

    def extend_init(self) -> None:
        """Know the service as moto knows its own.

        moto finds a service's backends in the package ``moto.<service>`` and
        routes a request by matching the host its signing name makes (here
        ``access-analyzer.<region>.amazonaws.com``) against its URL index.
        """
        sys.modules.setdefault(f"moto.{SERVICE}", sys.modules[__name__])
        own = [(SERVICE, re.compile(base)) for base in url_bases]
        self.backend_url_patterns = [*own, *self.backend_url_patterns]


def check(session: boto3.Session) -> bool:
    """An account analyzer is created with tags, read, retagged, listed and deleted."""
    analyzer = session.client("accessanalyzer")
    arn = analyzer.create_analyzer(
        analyzerName="ext-account", type="ACCOUNT", tags={"Team": "core"}
    )["arn"]
    analyzer.tag_resource(resourceArn=arn, tags={"Env": "dev"})
    analyzer.untag_resource(resourceArn=arn, tagKeys=["Team"])
    read = analyzer.get_analyzer(analyzerName="ext-account")["analyzer"]
    listed = analyzer.list_analyzers(type="ACCOUNT")["analyzers"]
    analyzer.delete_analyzer(analyzerName="ext-account")
    left = analyzer.list_analyzers()["analyzers"]
    return bool(
        read["arn"] == arn
        and read["status"] == "ACTIVE"
        and read["tags"] == {"Env": "dev"}
        and [a["name"] for a in listed] == ["ext-account"]
        and left == []
    )


EXTENSION = Extension(
    name="accessanalyzer_analyzers",
    summary="IAM Access Analyzer (a service moto lacks): analyzers and their tags",
    operations=(
        "CreateAnalyzer",
        "GetAnalyzer",
        "ListAnalyzers",
        "DeleteAnalyzer",
        "TagResource",
        "UntagResource",
        "ListTagsForResource",
    ),
    grafts=(Graft(DomainDispatcherApplication, AccessAnalyzerHost),),
    check=check,
)
