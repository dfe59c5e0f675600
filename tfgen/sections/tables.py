"""``tables``: DynamoDB tables, and nothing that reaches them unasked.

A compute service names the tables it uses (``tables: [orders]``); its task role
then gets access to those tables only, through references to this section's
``table_arns`` (so a name that is not a table here is refused by composition).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field

from tfgen.rules import name_problems
from tfgen.section import (
    Alarm,
    Call,
    Context,
    Graph,
    KeySet,
    KmsUse,
    Problem,
    Section,
    SectionModel,
    Strict,
    count_alarm,
    kms_key,
    ref,
)

DYNAMODB_THROTTLES = 1
KeyType = Literal["S", "N", "B"]
_BILLING_MODES = {"on_demand": "PAY_PER_REQUEST", "provisioned": "PROVISIONED"}


class Capacity(Strict):
    """A range of provisioned capacity units that auto scaling moves within."""

    min: int = Field(ge=1, le=40000)
    max: int = Field(ge=1, le=40000)


class Table(Strict):
    """A DynamoDB table, named ``<project>-<env>-<key>``."""

    hash_key: str
    hash_key_type: KeyType = "S"
    range_key: str | None = None
    range_key_type: KeyType = "S"
    billing: Literal["on_demand", "provisioned"] = Field(
        default="on_demand", description="on_demand, or provisioned with auto scaling"
    )
    read_capacity: Capacity | None = None
    write_capacity: Capacity | None = None
    target_utilization: int = Field(default=70, ge=20, le=90)
    ttl_attribute: str | None = None
    deletion_protection: bool | None = Field(
        default=None, description="default: the environment's deletion_protection"
    )


class Tables(SectionModel):
    """DynamoDB tables."""

    tables: dict[str, Table] = Field(default_factory=dict)


class TablesSection(Section[Tables]):
    """Point-in-time recovery and the data key always; deletion protection in production."""

    key = "tables"
    model = Tables
    order = 13
    modules = {"tables": "tables"}
    builds = (
        "DynamoDB tables: KMS, point-in-time recovery, deletion protection, on-demand or"
        " auto-scaled capacity; services get access to the tables they name, and only those"
    )

    def calls(self, ctx: Context, part: Tables) -> list[Call]:
        """The tables module call."""
        tables: dict[str, Any] = {}
        for key, table in part.tables.items():
            entry: dict[str, Any] = {
                "hash_key": table.hash_key,
                "hash_key_type": table.hash_key_type,
                "billing_mode": _BILLING_MODES[table.billing],
                "deletion_protection": _protected(ctx, table),
            }
            if table.range_key is not None:
                entry.update(range_key=table.range_key, range_key_type=table.range_key_type)
            if table.billing == "provisioned":
                entry.update(
                    read_capacity=table.read_capacity.model_dump() if table.read_capacity else None,
                    write_capacity=table.write_capacity.model_dump()
                    if table.write_capacity
                    else None,
                    target_utilization=table.target_utilization,
                )
            if table.ttl_attribute is not None:
                entry["ttl_attribute"] = table.ttl_attribute
            tables[key] = entry
        inputs = {"name": ctx.name, "kms_key_arn": kms_key("data"), "tables": tables}
        return [self.call("tables", inputs, outputs=(("dynamodb_table_names", "table_names"),))]

    def problems(self, ctx: Context, part: Tables) -> Iterator[Problem]:
        """Capacity that fits the billing mode; deletion protection in production."""
        yield from name_problems((self.key, "tables"), part.tables)
        for key, table in part.tables.items():
            where = (self.key, "tables", key)
            if table.range_key is not None and table.range_key == table.hash_key:
                yield (*where, "range_key"), "must differ from hash_key"
            for direction in ("read_capacity", "write_capacity"):
                capacity: Capacity | None = getattr(table, direction)
                if table.billing == "on_demand" and capacity is not None:
                    yield (*where, direction), "an on_demand table takes no capacity"
                elif table.billing == "provisioned" and capacity is None:
                    yield (*where, direction), "a provisioned table needs {min, max} capacity"
                elif capacity is not None and capacity.min > capacity.max:
                    yield (*where, direction), f"min {capacity.min} is above max {capacity.max}"
            if ctx.env.production and not _protected(ctx, table):
                message = "a production table needs deletion_protection (or leave it unset)"
                yield (*where, "deletion_protection"), message

    def kms(self, ctx: Context, part: Tables) -> list[KmsUse]:
        """Tables, their backups and point-in-time recovery data with the data key."""
        return [KmsUse("data", "DynamoDB tables")]

    def keyed_outputs(self, ctx: Context, part: Tables) -> dict[str, KeySet]:
        """Tables by their key in the inventory."""
        tables = KeySet(list(part.tables), "table", "tables.tables")
        return {"table_names": tables, "table_arns": tables}

    def alarms(self, ctx: Context, part: Tables) -> dict[str, Alarm]:
        """Throttled reads and writes of every table (no data: nothing was throttled)."""
        alarms: dict[str, Alarm] = {}
        for name in part.tables:
            for direction in ("Read", "Write"):
                alarms[f"dynamodb-{name}-{direction.lower()}-throttles"] = count_alarm(
                    f"DynamoDB table {name}: at least {DYNAMODB_THROTTLES} throttled"
                    f" {direction.lower()} events in 5 minutes.",
                    DYNAMODB_THROTTLES,
                    namespace="AWS/DynamoDB",
                    metric_name=f"{direction}ThrottleEvents",
                    dimensions={"TableName": ref("tables", "table_names", name)},
                )
        return alarms

    def graphs(self, ctx: Context, part: Tables) -> list[Graph]:
        """Consumed read and write capacity of every table."""
        if not part.tables:
            return []
        return [
            Graph(
                f"DynamoDB {metric} (sum)",
                "Sum",
                tuple(
                    (
                        ("AWS/DynamoDB", metric, "TableName", ref("tables", "table_names", name)),
                        name,
                    )
                    for name in part.tables
                ),
            )
            for metric in ("ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits")
        ]


def _protected(ctx: Context, table: Table) -> bool:
    if table.deletion_protection is None:
        return ctx.env.deletion_protection
    return table.deletion_protection


section = TablesSection()
