"""EC2: reading and resetting the account's default KMS key for EBS encryption.

moto 5.2 has ModifyEbsDefaultKmsKeyId but no GetEbsDefaultKmsKeyId or
ResetEbsDefaultKmsKeyId (HTTP 500): the AWS provider reads the key back after
setting it and resets it on destroy, so ``aws_ebs_default_kms_key`` could not
be applied. Without a customer managed key, AWS answers with the AWS managed
key's alias ARN (``alias/aws/ebs``), which is what moto's volumes then use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from moto.core.responses import ActionResult
from moto.ec2.models import EC2Backend
from moto.ec2.responses import EC2Response

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Backend = EC2Backend
    _Response = EC2Response
else:
    _Backend = _Response = object


class EbsDefaultKmsKeyBackend(_Backend):
    """Methods for moto's ``EC2Backend``."""

    def _aws_managed_ebs_key_arn(self) -> str:
        return f"arn:{self.partition}:kms:{self.region_name}:{self.account_id}:alias/aws/ebs"

    def get_ebs_default_kms_key_id(self) -> str:
        """The default key of new volumes: the one set, or the AWS managed key."""
        return self.default_kms_key_id or self._aws_managed_ebs_key_arn()

    def reset_ebs_default_kms_key_id(self) -> str:
        """Go back to the AWS managed key."""
        self.default_kms_key_id = ""
        return self._aws_managed_ebs_key_arn()


class EbsDefaultKmsKeyResponse(_Response):
    """Methods for moto's ``EC2Response``."""

    if TYPE_CHECKING:

        @property
        def ec2_backend(self) -> EbsDefaultKmsKeyBackend:
            """The backend, with the methods above."""

    def get_ebs_default_kms_key_id(self) -> ActionResult:
        """GetEbsDefaultKmsKeyId."""
        self.error_on_dryrun()
        return ActionResult({"KmsKeyId": self.ec2_backend.get_ebs_default_kms_key_id()})

    def reset_ebs_default_kms_key_id(self) -> ActionResult:
        """ResetEbsDefaultKmsKeyId."""
        self.error_on_dryrun()
        return ActionResult({"KmsKeyId": self.ec2_backend.reset_ebs_default_kms_key_id()})


def check(session: boto3.Session) -> bool:
    """The key set is read back; after a reset, the AWS managed key is."""
    key = session.client("kms").create_key(Description="ext-ebs")["KeyMetadata"]["Arn"]
    ec2 = session.client("ec2")
    ec2.modify_ebs_default_kms_key_id(KmsKeyId=key)
    read = ec2.get_ebs_default_kms_key_id()["KmsKeyId"]
    reset = ec2.reset_ebs_default_kms_key_id()["KmsKeyId"]
    after = ec2.get_ebs_default_kms_key_id()["KmsKeyId"]
    return bool(read == key and reset == after and after.endswith(":alias/aws/ebs"))


EXTENSION = Extension(
    name="ec2_ebs_default_kms_key",
    summary="the account's default EBS key read back, and reset to the AWS managed key",
    operations=("GetEbsDefaultKmsKeyId", "ResetEbsDefaultKmsKeyId"),
    grafts=(
        Graft(EC2Backend, EbsDefaultKmsKeyBackend),
        Graft(EC2Response, EbsDefaultKmsKeyResponse),
    ),
    check=check,
)
