"""Kinesis: the tags given to CreateStream are kept.

moto 5.2 ignores the ``Tags`` of CreateStream (the AWS provider tags a stream
as it creates it), so every plan wanted to add the stream's tags again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from moto.core.responses import ActionResult
from moto.kinesis.responses import KinesisResponse

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Response = KinesisResponse
else:
    _Response = object

_moto_create_stream = KinesisResponse.create_stream


class CreateStreamTagsResponse(_Response):
    """Methods for moto's ``KinesisResponse``."""

    def create_stream(self) -> ActionResult:
        """CreateStream, keeping the ``Tags`` it is given."""
        result = _moto_create_stream(self)
        tags = self._get_param("Tags")
        if tags:
            self.kinesis_backend.add_tags_to_stream(None, self._get_param("StreamName"), tags)
        return result


def check(session: boto3.Session) -> bool:
    """A stream created with tags lists them."""
    kinesis = session.client("kinesis")
    kinesis.create_stream(
        StreamName="ext-tags",
        StreamModeDetails={"StreamMode": "ON_DEMAND"},
        Tags={"Team": "data"},
    )
    tags = kinesis.list_tags_for_stream(StreamName="ext-tags")["Tags"]
    return bool(tags == [{"Key": "Team", "Value": "data"}])


EXTENSION = Extension(
    name="kinesis_stream_tags",
    summary="the tags given to CreateStream are kept",
    operations=("CreateStream", "ListTagsForStream"),
    grafts=(Graft(KinesisResponse, CreateStreamTagsResponse),),
    check=check,
)
