"""The shape of one environment in the inventory (pydantic, strict, frozen).

Each platform section is optional: absent, or ``enabled: false``, means the
environment does not get that module. Rules that need more than one field (a
Fargate memory size valid for its CPU, what a production environment requires)
live in ``checks.py``, so every problem is reported with its line at once.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Unknown keys are refused; loaded values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Section(Strict):
    """A platform part an environment can switch off (``enabled: false``)."""

    enabled: bool = True


class FlowLogs(Strict):
    """VPC flow logs to an encrypted CloudWatch log group."""

    enabled: bool = True
    retention_days: int = 365


class Network(Strict):
    """One VPC with public and private subnets, one pair per availability zone."""

    cidr: str
    public_subnets: list[str]
    private_subnets: list[str]
    azs: list[str] = Field(default_factory=list)
    nat_gateways: Literal["single", "per_az", "none"] = "single"
    flow_logs: FlowLogs = FlowLogs()


class Kms(Strict):
    """Customer-managed keys per purpose (logs, data, secrets)."""

    deletion_window_days: int = Field(default=30, ge=7, le=30)


class Bucket(Strict):
    """One S3 bucket, named ``<project>-<env>-<key>``."""

    versioning: bool = True
    transition_to_ia_days: int | None = Field(default=None, ge=30)
    transition_to_glacier_days: int | None = Field(default=None, ge=1)
    expiration_days: int | None = Field(default=None, ge=1)
    noncurrent_expiration_days: int = Field(default=90, ge=1)


class Storage(Section):
    """S3 buckets plus the environment's log bucket."""

    buckets: dict[str, Bucket] = Field(default_factory=dict)
    log_retention_days: int = 365


class Dns(Section):
    """The environment's Route53 zone and the ALB's certificate."""

    domain: str
    wait_for_validation: bool = True


class Waf(Section):
    """WAFv2 web ACLs (regional for the ALB, CloudFront for the CDN)."""

    rate_limit: int = Field(default=2000, ge=100, le=2_000_000_000)


class Frontend(Section):
    """Static site: private S3 origin behind CloudFront."""

    subdomain: str = "app"
    price_class: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] = "PriceClass_100"


class Service(Strict):
    """One Fargate service behind the ALB."""

    cpu: int
    memory: int
    desired_count: int = Field(ge=0)
    min_count: int = Field(ge=0)
    max_count: int = Field(ge=1)
    priority: int = Field(ge=1, le=50000)
    container_port: int = Field(default=8080, ge=1, le=65535)
    health_check_path: str = "/health"
    image_tag: str = "bootstrap"
    cpu_target_percent: int = Field(default=60, ge=10, le=95)
    path_patterns: list[str] = Field(default_factory=lambda: ["/*"])
    environment: dict[str, str] = Field(default_factory=dict)
    secrets: dict[str, str] = Field(
        default_factory=dict, description="env var name ➜ name of a secret in `secrets`"
    )


class Compute(Section):
    """ECR, the ECS cluster, Fargate services and the ALB in front of them."""

    subdomain: str = "api"
    services: dict[str, Service] = Field(default_factory=dict)


class Database(Section):
    """RDS PostgreSQL."""

    engine_version: str = "16"
    instance_class: str = "db.t4g.micro"
    allocated_storage: int = Field(default=20, ge=20, le=65536)
    max_allocated_storage: int = Field(default=100, ge=20, le=65536)
    multi_az: bool = True
    backup_retention_days: int = Field(default=7, ge=1, le=35)
    performance_insights_retention_days: int = 7


class Cache(Section):
    """ElastiCache Redis for caching and sessions."""

    node_type: str = "cache.t4g.micro"
    engine_version: str = "7.1"
    num_cache_clusters: int = Field(default=2, ge=1, le=6)
    automatic_failover: bool = True
    multi_az: bool = True
    snapshot_retention_limit: int = Field(default=7, ge=0, le=35)


class Queue(Strict):
    """An SQS queue with its dead-letter queue."""

    visibility_timeout_seconds: int = Field(default=30, ge=0, le=43200)
    message_retention_seconds: int = Field(default=345600, ge=60, le=1209600)
    max_receive_count: int = Field(default=5, ge=1, le=1000)


class Subscription(Strict):
    """An SNS subscription outside the platform (email, https...)."""

    protocol: Literal["email", "email-json", "https", "sms"]
    endpoint: str


class Topic(Strict):
    """An SNS topic; queues of this inventory may subscribe to it."""

    subscriptions: list[Subscription] = Field(default_factory=list)
    queue_subscriptions: list[str] = Field(default_factory=list)


class Messaging(Section):
    """SQS queues and SNS topics."""

    queues: dict[str, Queue] = Field(default_factory=dict)
    topics: dict[str, Topic] = Field(default_factory=dict)


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


class Api(Section):
    """The HTTP API in front of the functions."""

    enabled: bool = False
    routes: dict[str, Route] = Field(default_factory=dict)
    jwt_issuer: str | None = None
    jwt_audience: list[str] = Field(default_factory=list)
    cors_allow_origins: list[str] = Field(default_factory=list)


class Functions(Section):
    """Lambda functions and their HTTP API."""

    functions: dict[str, Function] = Field(default_factory=dict)
    api: Api = Api()


class Secret(Strict):
    """A Secrets Manager secret (its value is put out of band, never in files)."""

    description: str
    rotation_function: str | None = Field(
        default=None, description="name of a function in `functions` that rotates it"
    )
    rotation_days: int = Field(default=30, ge=1, le=1000)


class Secrets(Section):
    """Secrets Manager secrets."""

    secrets: dict[str, Secret] = Field(default_factory=dict)


class Observability(Section):
    """Log retention, the alerts topic, alarms and the dashboard."""

    log_retention_days: int = 365
    alert_emails: list[str] = Field(default_factory=list)


class Environment(Strict):
    """One environment, after ``defaults`` were merged under it."""

    region: str
    name_tag_prefix: str | None = None
    production: bool = False
    deletion_protection: bool = False
    tags: dict[str, str] = Field(default_factory=dict)
    network: Network
    kms: Kms = Kms()
    storage: Storage | None = None
    dns: Dns | None = None
    waf: Waf | None = None
    frontend: Frontend | None = None
    compute: Compute | None = None
    database: Database | None = None
    cache: Cache | None = None
    messaging: Messaging | None = None
    functions: Functions | None = None
    secrets: Secrets | None = None
    observability: Observability | None = None

    def has(self, section: str) -> bool:
        """Whether the platform section ``section`` is present and enabled."""
        part = getattr(self, section)
        return isinstance(part, Section) and part.enabled
