"""SageMaker: DeleteModelPackageGroup.

moto 5.2 creates and describes model package groups (the registry of a model's
versions) but cannot delete them (HTTP 500), so no destroy of an ``ml``
section could finish. As in AWS, a group that still holds model packages is
not deleted (ConflictException): its versions are deleted first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from botocore.exceptions import ClientError
from moto.core.responses import EmptyResult
from moto.sagemaker.exceptions import ConflictException
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = SageMakerModelBackend
    _Response = SageMakerResponse
else:
    _Backend = _Response = object


class ModelPackageGroupDeleteBackend(_Backend):
    """Methods for moto's ``SageMakerModelBackend``."""

    def delete_model_package_group(self, model_package_group_name: str) -> None:
        """Delete an empty model package group (its tags are kept on it, and go with it)."""
        self.describe_model_package_group(model_package_group_name)  # or ValidationError
        if any(
            package.model_package_group_name == model_package_group_name
            for package in self.model_packages.values()
        ):
            raise ConflictException(
                f"Model package group {model_package_group_name} still holds model packages."
            )
        del self.model_package_groups[model_package_group_name]


class ModelPackageGroupDeleteResponse(_Response):
    """Methods for moto's ``SageMakerResponse``."""

    if TYPE_CHECKING:

        @property
        def sagemaker_backend(self) -> ModelPackageGroupDeleteBackend:
            """The backend, with the method above."""

    def delete_model_package_group(self) -> EmptyResult:
        """DeleteModelPackageGroup."""
        self.sagemaker_backend.delete_model_package_group(self._get_param("ModelPackageGroupName"))
        return EmptyResult()


def check(session: boto3.Session) -> bool:
    """An empty group is deleted; one holding a version is refused until the version goes."""
    sagemaker = session.client("sagemaker")
    sagemaker.create_model_package_group(ModelPackageGroupName="ext-empty")
    sagemaker.delete_model_package_group(ModelPackageGroupName="ext-empty")
    sagemaker.create_model_package_group(ModelPackageGroupName="ext-versions")
    sagemaker.create_model_package(
        ModelPackageGroupName="ext-versions",
        InferenceSpecification={
            "Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"}],
            "SupportedContentTypes": ["application/json"],
            "SupportedResponseMIMETypes": ["application/json"],
        },
    )
    try:
        sagemaker.delete_model_package_group(ModelPackageGroupName="ext-versions")
    except ClientError as error:
        refused = error.response["Error"]["Code"] == "ConflictException"
    else:
        refused = False
    groups = sagemaker.list_model_package_groups()["ModelPackageGroupSummaryList"]
    return refused and [g["ModelPackageGroupName"] for g in groups] == ["ext-versions"]


EXTENSION = Extension(
    name="sagemaker_model_package_group_delete",
    summary="DeleteModelPackageGroup, refused while the group holds model packages",
    operations=("DeleteModelPackageGroup",),
    grafts=(
        Graft(SageMakerModelBackend, ModelPackageGroupDeleteBackend),
        Graft(SageMakerResponse, ModelPackageGroupDeleteResponse),
    ),
    check=check,
)
