"""``dr``: disaster recovery in a second region, the environment's ``dr.region``.

The environment's data is copied into the DR region as it changes: the storage
and frontend sections replicate their buckets there, the backup section copies
its recovery points to a vault there, and this section adds the rest: the DR
region's KMS key (every copy there is encrypted with it), the database's
automated backups replicated there, and the image repositories replicated there.
A production environment must name its DR region.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import Field

from tfgen.rules import REGION
from tfgen.section import Call, Context, KeySet, Problem, Section, Strict, dr_kms_key, ref


class Dr(Strict):
    """The disaster-recovery region, and how long copies are kept there."""

    region: str | None = Field(
        default=None, description="the DR region (required in production); none: no DR copies"
    )
    db_backup_retention_days: int | None = Field(
        default=None,
        ge=1,
        le=35,
        description="days of database backups kept in the DR region (default: the database's)",
    )


class DrSection(Section[Dr]):
    """Always present; it makes calls only when the environment names a DR region."""

    key = "dr"
    model = Dr
    order = 10
    modules = {"kms_dr": "kms", "dr": "dr"}
    builds = (
        "disaster recovery in `dr.region` (required in production): a KMS key there, the"
        " database's automated backups and the image repositories replicated there"
        " (buckets and backup copies: see storage, frontend, backup)"
    )

    def field(self) -> tuple[Any, Any]:
        """Settings with defaults: an environment names `dr` to give its DR region."""
        return Dr, Dr()

    def calls(self, ctx: Context, part: Dr) -> list[Call]:
        """The DR region's key and the DR module, as far as the environment has data to copy."""
        dr = ctx.dr
        if dr is None:
            return []
        calls = []
        # Bucket replicas, backup copies and the database's backups are encrypted there.
        if any(ctx.has(key) for key in ("storage", "backup", "database")):
            kms_inputs = {
                "name": ctx.name,
                "keys": {
                    "data": {
                        "description": f"Encrypts the disaster-recovery copies of {ctx.name}"
                        f" in {dr.region}"
                    }
                },
                "deletion_window_in_days": getattr(ctx.part("kms"), "deletion_window_days", 30),
            }
            calls.append(self.call("kms_dr", kms_inputs, providers={"aws": dr}))
        database = ctx.part("database") if ctx.has("database") else None
        if database is None and not ctx.has("compute"):
            return calls
        inputs: dict[str, Any] = {"name": ctx.name, "replicate_db_backups": database is not None}
        if database is not None:
            inputs["kms_key_arn"] = dr_kms_key()
            inputs["db_instance_arn"] = ref("database", "db_instance_arn")
            inputs["db_backup_retention_days"] = (
                part.db_backup_retention_days or database.backup_retention_days
            )
        if ctx.has("compute"):
            inputs["ecr_repository_prefix"] = f"{ctx.name}-"
        calls.append(
            self.call(
                "dr",
                inputs,
                providers={"aws": None, "aws.dr": dr},
                outputs=(("dr_region", "region"),),
            )
        )
        return calls

    def problems(self, ctx: Context, part: Dr) -> Iterator[Problem]:
        """A real region, not the home one, required in production; one ECR replication each."""
        if part.region is None:
            if ctx.env.production:
                message = (
                    "a production environment needs a disaster-recovery region (dr.region),"
                    " where its backups and replicas are kept"
                )
                yield (self.key, "region"), message
            return
        if not REGION.match(part.region):
            yield (self.key, "region"), f"'{part.region}' is not an AWS region name"
        elif part.region == ctx.env.region:
            message = f"the DR region must differ from the environment's region ({part.region})"
            yield (self.key, "region"), message
        yield from _shared_registry_problems(ctx)

    def keyed_outputs(self, ctx: Context, part: Dr) -> dict[str, KeySet]:
        """The DR region has a data key only."""
        return {"key_arns": KeySet(["data"], "KMS key purpose", "the DR region's keys")}


def _shared_registry_problems(ctx: Context) -> Iterator[Problem]:
    """ECR replication is a setting of the registry: one environment per account and region."""
    inventory = ctx.inventory
    if inventory is None or not ctx.has("compute"):
        return
    mine = inventory.root(ctx.env_name)
    for name, other in inventory.environments.items():
        if name == ctx.env_name:
            break
        same_registry = (
            other.account == getattr(ctx.env, "account", None)
            and mine.account is not None
            and other.region == ctx.env.region
        )
        if same_registry and other.has("compute") and getattr(other.part("dr"), "region", None):
            message = (
                f"environment '{name}' already replicates this account's image registry"
                f" ({other.region}); ECR has one replication configuration per registry"
            )
            yield ("dr", "region"), message


section = DrSection()
