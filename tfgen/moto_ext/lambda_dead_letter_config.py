"""Lambda: a function's dead-letter queue (``DeadLetterConfig``) reads back.

moto 5.2 drops ``DeadLetterConfig`` on CreateFunction and on
UpdateFunctionConfiguration, so every plan wanted to set the function's
``dead_letter_config`` again. An empty ``TargetArn`` removes it, as in AWS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from moto.awslambda.models import LambdaFunction

from tfgen.moto_ext._extension import Extension, Graft

if TYPE_CHECKING:
    _Function = LambdaFunction
else:
    _Function = object

_moto_init = LambdaFunction.__init__
_moto_get_configuration = LambdaFunction.get_configuration
_moto_update_configuration = LambdaFunction.update_configuration


class DeadLetterFunction(_Function):
    """Methods for moto's ``LambdaFunction``."""

    dead_letter_config: dict[str, str] | None = None

    def __init__(self, account_id: str, spec: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        _moto_init(self, account_id, spec, *args, **kwargs)
        self._set_dead_letter_config(spec.get("DeadLetterConfig"))

    def _set_dead_letter_config(self, config: dict[str, str] | None) -> None:
        self.dead_letter_config = config if config and config.get("TargetArn") else None

    def get_configuration(self, on_create: bool = False) -> dict[str, Any]:
        """The function's configuration, its dead-letter queue included."""
        config = _moto_get_configuration(self, on_create)
        if self.dead_letter_config:
            config["DeadLetterConfig"] = self.dead_letter_config
        return config

    def update_configuration(self, config_updates: dict[str, Any]) -> dict[str, Any]:
        """Apply UpdateFunctionConfiguration, ``DeadLetterConfig`` included."""
        if "DeadLetterConfig" in config_updates:
            self._set_dead_letter_config(config_updates["DeadLetterConfig"])
        return _moto_update_configuration(self, config_updates)


def check(session: boto3.Session) -> bool:
    """A dead-letter queue given at create is read back, changed, then removed."""
    role = session.client("iam").create_role(RoleName="ext-dlq", AssumeRolePolicyDocument="{}")[
        "Role"
    ]["Arn"]
    aws_lambda = session.client("lambda")
    first = "arn:aws:sqs:us-east-1:123456789012:ext-dlq-1"
    second = "arn:aws:sqs:us-east-1:123456789012:ext-dlq-2"
    aws_lambda.create_function(
        FunctionName="ext-dlq",
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        DeadLetterConfig={"TargetArn": first},
    )
    created = aws_lambda.get_function_configuration(FunctionName="ext-dlq")
    aws_lambda.update_function_configuration(
        FunctionName="ext-dlq", DeadLetterConfig={"TargetArn": second}
    )
    changed = aws_lambda.get_function(FunctionName="ext-dlq")["Configuration"]
    aws_lambda.update_function_configuration(
        FunctionName="ext-dlq", DeadLetterConfig={"TargetArn": ""}
    )
    removed = aws_lambda.get_function_configuration(FunctionName="ext-dlq")
    return bool(
        created.get("DeadLetterConfig") == {"TargetArn": first}
        and changed.get("DeadLetterConfig") == {"TargetArn": second}
        and "DeadLetterConfig" not in removed
    )


EXTENSION = Extension(
    name="lambda_dead_letter_config",
    summary="a function's DeadLetterConfig is kept, updated and read back",
    operations=(
        "CreateFunction",
        "UpdateFunctionConfiguration",
        "GetFunction",
        "GetFunctionConfiguration",
    ),
    grafts=(Graft(LambdaFunction, DeadLetterFunction),),
    check=check,
)
