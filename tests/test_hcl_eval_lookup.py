"""`lookup` in module validations converts its key to a string, as Terraform does.

The service module's Fargate rule looks sizes up by CPU (`lookup({256 = [...]},
s.cpu, [])`): map keys are strings, the CPU a number. Inventories whose services
all read secrets never reached the rule statically (the secret ARNs are unknown),
so a service without secrets was refused with a valid size.
"""

from __future__ import annotations

from pathlib import Path

from tfgen.hcl_eval import condition_holds
from tfgen.module_schema import load_module_schema

from .conftest import REPO


def test_lookup_takes_a_number_key() -> None:
    assert condition_holds("lookup({256 = [512]}, var.cpu, []) == [512]", {"cpu": 256}) is True
    assert condition_holds("contains(lookup({256 = [512]}, var.cpu, []), 1024)", {"cpu": 256}) is False


def test_a_service_without_secrets_passes_the_fargate_rule() -> None:
    schema = load_module_schema(Path(REPO / "modules" / "service"))
    arn = "arn:aws:kms:us-east-1:111111111111:key/k"
    inputs = {
        "name": "shop-prod", "vpc_id": "vpc-1", "vpc_cidr_block": "10.0.0.0/16",
        "public_subnet_ids": ["a", "b"], "private_subnet_ids": ["a"], "certificate_arn": "c",
        "kms_key_arn": arn, "log_kms_key_arn": arn, "access_logs_bucket": "logs",
    }
    good = {"api": {"cpu": 1024, "memory": 2048, "desired_count": 2, "min_count": 2, "max_count": 4, "priority": 1}}
    bad = {"api": {**good["api"], "memory": 512}}
    assert list(schema.check_validations({**inputs, "services": good})) == []
    assert [m for m in schema.check_validations({**inputs, "services": bad}) if "Fargate" in m]
