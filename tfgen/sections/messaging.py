"""``messaging``: SQS queues with their dead-letter queues, and SNS topics."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

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

SQS_OLDEST_MESSAGE_SECONDS = 300


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


class Messaging(SectionModel):
    """SQS queues and SNS topics."""

    queues: dict[str, Queue] = Field(default_factory=dict)
    topics: dict[str, Topic] = Field(default_factory=dict)


class MessagingSection(Section[Messaging]):
    """Encrypted with the data key, TLS-only policies, SNS ➜ SQS fan-out."""

    key = "messaging"
    model = Messaging
    order = 11
    modules = {"messaging": "messaging"}
    builds = "SQS queues with DLQs, SNS topics, KMS, TLS-only policies, SNS➜SQS subscriptions"

    def calls(self, ctx: Context, part: Messaging) -> list[Call]:
        """The messaging module call."""
        inputs = {
            "name": ctx.name,
            "kms_key_arn": kms_key("data"),
            "queues": {key: queue.model_dump() for key, queue in part.queues.items()},
            "topics": {key: topic.model_dump() for key, topic in part.topics.items()},
        }
        outputs = (("queue_urls", "queue_urls"), ("topic_arns", "topic_arns"))
        return [self.call("messaging", inputs, outputs=outputs)]

    def problems(self, ctx: Context, part: Messaging) -> Iterator[Problem]:
        """Usable names; topics subscribe queues of this inventory."""
        yield from name_problems((self.key, "queues"), part.queues)
        yield from name_problems((self.key, "topics"), part.topics)
        for name, topic in part.topics.items():
            for index, queue in enumerate(topic.queue_subscriptions):
                if queue not in part.queues:
                    where = (self.key, "topics", name, "queue_subscriptions", index)
                    yield where, f"no queue '{queue}' in this environment's messaging.queues"

    def kms(self, ctx: Context, part: Messaging) -> list[KmsUse]:
        """SNS delivers into the encrypted queues itself."""
        return [KmsUse("data", "SNS topics and SQS queues", ("sns.amazonaws.com",))]

    def keyed_outputs(self, ctx: Context, part: Messaging) -> dict[str, KeySet]:
        """Queues and topics by their key in the inventory."""
        queues = KeySet(list(part.queues), "queue", "messaging.queues")
        topics = KeySet(list(part.topics), "topic", "messaging.topics")
        return {
            "queue_urls": queues,
            "queue_arns": queues,
            "queue_names": queues,
            "topic_arns": topics,
        }

    def alarms(self, ctx: Context, part: Messaging) -> dict[str, Alarm]:
        """The age of each queue's oldest message (no data: nothing waits)."""
        return {
            f"sqs-{name}-oldest-message": count_alarm(
                f"Oldest message in SQS queue {name} older than {SQS_OLDEST_MESSAGE_SECONDS} s.",
                SQS_OLDEST_MESSAGE_SECONDS,
                comparison_operator="GreaterThanThreshold",
                namespace="AWS/SQS",
                metric_name="ApproximateAgeOfOldestMessage",
                dimensions={"QueueName": ref("messaging", "queue_names", name)},
                statistic="Maximum",
            )
            for name in part.queues
        }

    def graphs(self, ctx: Context, part: Messaging) -> list[Graph]:
        """Oldest message and visible messages of every queue."""
        return [
            Graph(
                f"SQS {metric}",
                "Maximum",
                tuple(
                    (("AWS/SQS", metric, "QueueName", ref("messaging", "queue_names", name)), name)
                    for name in part.queues
                ),
            )
            for metric in ("ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible")
            if part.queues
        ]


section = MessagingSection()
