"""Where the relay publishes: Amazon SNS (FIFO) in the cloud, a JSON-lines file locally."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class PublishError(Exception):
    """The transport did not accept the message; the relay retries it later."""


@dataclass(frozen=True)
class Message:
    event_id: str
    event_type: str
    group_id: str  # the order id: FIFO order per order
    body: str  # the JSON document of docs/contracts/events.md


class Transport(Protocol):
    def publish(self, message: Message) -> None: ...


class SnsTransport:
    """SNS FIFO topic: MessageGroupId = order, MessageDeduplicationId = event id."""

    def __init__(self, topic_arn: str, client: Any = None) -> None:
        import boto3

        self.topic_arn = topic_arn
        self.client = client or boto3.client("sns")

    def publish(self, message: Message) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.publish(
                TopicArn=self.topic_arn,
                Message=message.body,
                MessageGroupId=message.group_id,
                MessageDeduplicationId=message.event_id,
                MessageAttributes={
                    "event_type": {"DataType": "String", "StringValue": message.event_type}
                },
            )
        except (BotoCoreError, ClientError) as exc:
            raise PublishError(str(exc)[:300]) from exc


class FileTransport:
    """Local stand-in for SNS: one message body per line (`make run`'s delivery demo)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def publish(self, message: Message) -> None:
        try:
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(json.loads(message.body), ensure_ascii=False) + "\n")
        except OSError as exc:
            raise PublishError(str(exc)) from exc
