"""``functions``: Lambda functions packaged by tfgen, and their HTTP API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from tfgen.hcl import Expr
from tfgen.package import package_function
from tfgen.project import escaping_links, outside_project
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

LAMBDA_ERRORS = 1
LAMBDA_THROTTLES = 1
_ROUTE_KEY = re.compile(r"(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S*")


class Function(Strict):
    """A Lambda function packaged from a source folder of the project."""

    source: str = Field(description="folder relative to the inventory, zipped by tfgen")
    handler: str
    runtime: str = "python3.12"
    memory_size: int = Field(default=256, ge=128, le=10240)
    timeout: int = Field(default=30, ge=1, le=900)
    reserved_concurrency: int = Field(default=5, ge=0)
    environment: dict[str, str] = Field(default_factory=dict)


class Route(Strict):
    """An HTTP API route to a function."""

    function: str
    authorization: Literal["JWT", "AWS_IAM"] = "JWT"


class Api(SectionModel):
    """The HTTP API in front of the functions."""

    enabled: bool = False
    routes: dict[str, Route] = Field(default_factory=dict)
    jwt_issuer: str | None = None
    jwt_audience: list[str] = Field(default_factory=list)
    cors_allow_origins: list[str] = Field(default_factory=list)


class Functions(SectionModel):
    """Lambda functions and their HTTP API."""

    functions: dict[str, Function] = Field(default_factory=dict)
    api: Api = Api()


class FunctionsSection(Section[Functions]):
    """Sources stay inside the project; zips are deterministic and committed."""

    key = "functions"
    model = Functions
    order = 12
    modules = {"functions": "functions"}
    builds = (
        "Lambda functions packaged by tfgen from `functions/<name>/` (deterministic zips in"
        " `envs/<env>/artifacts/`), X-Ray, DLQ, HTTP API with IAM or JWT authorization and"
        " access logs"
    )

    def calls(self, ctx: Context, part: Functions) -> list[Call]:
        """The functions module call, and the zips it deploys."""
        artifacts = {
            f"artifacts/{key}.zip": package_function(ctx.project_dir / fn.source, ctx.project_dir)
            for key, fn in part.functions.items()
        }
        inputs = {
            "name": ctx.name,
            "kms_key_arn": kms_key("data"),
            "log_kms_key_arn": kms_key("logs"),
            "log_retention_days": ctx.log_retention_days,
            "functions": {
                key: {
                    # path.root: the zip sits in the generated root, wherever terraform runs.
                    "package_path": Expr(f'"${{path.root}}/artifacts/{key}.zip"'),
                    "runtime": fn.runtime,
                    "handler": fn.handler,
                    "memory_size": fn.memory_size,
                    "timeout": fn.timeout,
                    "reserved_concurrency": fn.reserved_concurrency,
                    "environment": dict(fn.environment),
                }
                for key, fn in part.functions.items()
            },
            "api": {
                "enabled": part.api.enabled,
                "routes": {key: route.model_dump() for key, route in part.api.routes.items()},
                "jwt_issuer": part.api.jwt_issuer,
                "jwt_audience": list(part.api.jwt_audience),
                "cors_allow_origins": list(part.api.cors_allow_origins),
            },
        }
        outputs = (("function_names", "function_names"), ("api_endpoint", "api_endpoint"))
        return [
            self.call(
                "functions",
                inputs,
                outputs=outputs,
                artifacts=artifacts,
            )
        ]

    def problems(self, ctx: Context, part: Functions) -> Iterator[Problem]:
        """Sources inside the project; routes to functions that exist; JWT with an issuer."""
        yield from name_problems((self.key, "functions"), part.functions)
        for name, function in part.functions.items():
            where = (self.key, "functions", name, "source")
            outside = outside_project(ctx.project_dir, function.source)
            if outside is not None:
                yield where, outside
            elif not (ctx.project_dir / function.source).is_dir():
                yield where, f"no folder '{function.source}' next to the inventory"
            else:
                for link in escaping_links(ctx.project_dir, ctx.project_dir / function.source):
                    yield where, f"{link} is a symlink that leads out of the project"
        api = part.api
        for route_key, route in api.routes.items():
            where = (self.key, "api", "routes", route_key)
            if route.function not in part.functions:
                yield (*where, "function"), f"no function '{route.function}'"
            if not _ROUTE_KEY.fullmatch(route_key):
                yield where, "route keys look like 'GET /items/{id}'"
        uses_jwt = any(route.authorization == "JWT" for route in api.routes.values())
        if api.enabled and uses_jwt and not api.jwt_issuer:
            yield (self.key, "api", "jwt_issuer"), "JWT routes need a jwt_issuer"

    def kms(self, ctx: Context, part: Functions) -> list[KmsUse]:
        """Environment variables and DLQs with the data key; logs with the logs key."""
        return [
            KmsUse("data", "Lambda environments and dead-letter queues"),
            KmsUse("logs", "CloudWatch Logs log groups"),
        ]

    def keyed_outputs(self, ctx: Context, part: Functions) -> dict[str, KeySet]:
        """Functions by their key in the inventory."""
        functions = KeySet(list(part.functions), "function", "functions.functions")
        return {
            name: functions
            for name in ("function_arns", "function_names", "invoke_arns", "role_arns")
        }

    def alarms(self, ctx: Context, part: Functions) -> dict[str, Alarm]:
        """Errors and throttles of every function."""
        alarms: dict[str, Alarm] = {}
        for name in part.functions:
            dimensions = {"FunctionName": ref("functions", "function_names", name)}
            alarms[f"lambda-{name}-errors"] = count_alarm(
                f"Lambda function {name} had at least {LAMBDA_ERRORS} errors in 5 minutes.",
                LAMBDA_ERRORS,
                namespace="AWS/Lambda",
                metric_name="Errors",
                dimensions=dimensions,
            )
            alarms[f"lambda-{name}-throttles"] = count_alarm(
                f"Lambda function {name} was throttled at least {LAMBDA_THROTTLES} times"
                " in 5 minutes.",
                LAMBDA_THROTTLES,
                namespace="AWS/Lambda",
                metric_name="Throttles",
                dimensions=dimensions,
            )
        return alarms

    def graphs(self, ctx: Context, part: Functions) -> list[Graph]:
        """Invocations, errors, throttles and p95 duration of every function."""
        if not part.functions:
            return []
        return [
            Graph(
                f"Lambda {metric} ({stat})",
                stat,
                tuple(
                    (
                        (
                            "AWS/Lambda",
                            metric,
                            "FunctionName",
                            ref("functions", "function_names", name),
                        ),
                        name,
                    )
                    for name in part.functions
                ),
            )
            for metric, stat in (
                ("Invocations", "Sum"),
                ("Errors", "Sum"),
                ("Throttles", "Sum"),
                ("Duration", "p95"),
            )
        ]


section = FunctionsSection()
