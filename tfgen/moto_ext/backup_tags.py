"""AWS Backup: ListTags for an ARN sent without a trailing slash.

The API's path is ``/tags/{resourceArn}/``; boto3 sends the slash, the AWS SDK
for Go (the Terraform provider's) does not. moto 5.2 takes the ARN from the
path's second-to-last segment, which without the slash is ``tags``: every
vault, plan and restore testing plan then read back with no tags, and each plan
wanted to tag them again. The ARN is read the same way with or without it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import boto3
from moto.backup.responses import BackupResponse

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Response = BackupResponse
else:
    _Response = object


class ListTagsWithoutSlashResponse(_Response):
    """Methods for moto's ``BackupResponse``."""

    def list_tags(self) -> str:
        """ListTags, the ARN being everything after ``/tags/``."""
        path = self.path.split("?")[0]
        resource_arn = unquote(path.split("/tags/", 1)[1].rstrip("/"))
        return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=resource_arn)})


def _drop_trailing_slash(request: Any, **_: Any) -> None:
    # As the AWS SDK for Go sends it.
    request.url = request.url.replace("/?", "?").rstrip("/")


def check(session: boto3.Session) -> bool:
    """A vault's tags read back when the path has no trailing slash."""
    backup = session.client("backup")
    backup.meta.events.register("before-sign.backup.ListTags", _drop_trailing_slash)
    arn = backup.create_backup_vault(BackupVaultName="ext-tagged", BackupVaultTags={"team": "x"})[
        "BackupVaultArn"
    ]
    tags = backup.list_tags(ResourceArn=arn)["Tags"]
    backup.delete_backup_vault(BackupVaultName="ext-tagged")
    return bool(tags == {"team": "x"})


EXTENSION = Extension(
    name="backup_tags",
    summary="tags of vaults, plans and restore testing plans read back for the Go SDK's path",
    operations=("ListTags",),
    grafts=(Graft(BackupResponse, ListTagsWithoutSlashResponse),),
    check=check,
)
