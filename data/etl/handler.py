"""ETL on arrival: each new raw-zone object, as clean JSON lines in the curated zone.

Triggered by S3 for objects under landing/ and streams/ of the raw zone. Each
line must be a JSON object; lines that are not are counted and dropped. The
result is written to CURATED_BUCKET under CURATED_PREFIX, partitioned by the
day the object arrived, under the same file name.
"""

import gzip
import json
import logging
import os
import urllib.parse
from datetime import datetime, timezone

import boto3

s3 = boto3.client("s3")
logger = logging.getLogger()
logger.setLevel(logging.INFO)


def clean_lines(body: bytes) -> tuple[list[str], int]:
    """The JSON objects of a (possibly gzipped) JSON-lines body, and how many lines were not."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    kept, dropped = [], 0
    for line in body.decode("utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            dropped += 1
            continue
        if isinstance(record, dict):
            kept.append(json.dumps(record, sort_keys=True, separators=(",", ":")))
        else:
            dropped += 1
    return kept, dropped


def handler(event, context):
    bucket = os.environ["CURATED_BUCKET"]
    prefix = os.environ.get("CURATED_PREFIX", "events/")
    written = 0
    for record in event.get("Records", []):
        source = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        lines, dropped = clean_lines(s3.get_object(Bucket=source, Key=key)["Body"].read())
        day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        name = key.rsplit("/", 1)[-1].removesuffix(".gz")
        target = f"{prefix}{key.split('/', 1)[0]}/dt={day}/{name}.jsonl"
        s3.put_object(Bucket=bucket, Key=target, Body=("\n".join(lines) + "\n").encode())
        logger.info("%s -> %s: %d records, %d dropped", key, target, len(lines), dropped)
        written += 1
    return {"written": written}
