"""Receives partner webhooks through the HTTP API and queues them for the backend."""

import json
import os

import boto3

_sqs = boto3.client("sqs")


def handler(event, context):
    """Validate the body is JSON, queue it, answer 202."""
    try:
        body = json.loads(event.get("body") or "{}")
    except json.JSONDecodeError:
        return {"statusCode": 400, "body": json.dumps({"error": "body must be JSON"})}
    queue_url = os.environ.get("QUEUE_URL")
    if queue_url:
        _sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(body))
    return {"statusCode": 202, "body": json.dumps({"queued": bool(queue_url)})}
