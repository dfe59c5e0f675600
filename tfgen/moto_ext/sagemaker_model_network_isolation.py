"""SageMaker: a model's network isolation is kept and read back.

moto 5.2 drops ``EnableNetworkIsolation`` on CreateModel and describes every
model as not isolated, so every plan replaced the models of endpoints whose
containers run without network access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from moto.core.responses import ActionResult
from moto.sagemaker.responses import SageMakerResponse

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Response = SageMakerResponse
else:
    _Response = object

_moto_create_model = SageMakerResponse.create_model


class NetworkIsolationResponse(_Response):
    """Methods for moto's ``SageMakerResponse``."""

    def create_model(self) -> ActionResult:
        """CreateModel, keeping ``EnableNetworkIsolation``."""
        result = _moto_create_model(self)
        if self._get_param("EnableNetworkIsolation"):
            model = self.sagemaker_backend.describe_model(self._get_param("ModelName"))
            model.enable_network_isolation = True
        return result


def check(session: boto3.Session) -> bool:
    """An isolated model describes itself isolated; another one not."""
    sagemaker = session.client("sagemaker")
    container = {"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1"}
    role = "arn:aws:iam::123456789012:role/ext-sagemaker"
    for name, isolated in (("ext-isolated", True), ("ext-open", False)):
        sagemaker.create_model(
            ModelName=name,
            ExecutionRoleArn=role,
            PrimaryContainer=container,
            EnableNetworkIsolation=isolated,
        )
    isolated_model = sagemaker.describe_model(ModelName="ext-isolated")
    open_model = sagemaker.describe_model(ModelName="ext-open")
    return bool(
        isolated_model.get("EnableNetworkIsolation") is True
        and not open_model.get("EnableNetworkIsolation")
    )


EXTENSION = Extension(
    name="sagemaker_model_network_isolation",
    summary="a model's EnableNetworkIsolation is kept and described",
    operations=("CreateModel", "DescribeModel"),
    grafts=(Graft(SageMakerResponse, NetworkIsolationResponse),),
    check=check,
)
