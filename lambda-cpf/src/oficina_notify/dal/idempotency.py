"""Processed event ids: a claim / complete / release protocol over a conditional write.

``claim`` writes ``{event_id, status: "pending", lease_expires_at}`` only if the id is new or
its earlier claim's lease ran out (a crashed invocation); ``complete`` marks it ``sent``;
``release`` deletes a pending claim after a failed send so the retry can send. Every item
carries ``expires_at`` (DynamoDB TTL), so the table only keeps the redelivery window.

Two implementations of one protocol: DynamoDB in Lambda (stateless environments share it,
ADR 0026) and SQLite for the local runner (same semantics, one process).
"""

from __future__ import annotations

import contextlib
import sqlite3
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from oficina_notify.models.errors import TransientFailure


class Claim(Enum):
    ACQUIRED = "acquired"  # this invocation sends
    ALREADY_SENT = "already_sent"  # a redelivery: suppress
    IN_FLIGHT = "in_flight"  # another invocation holds a live lease: retry later


class IdempotencyStore(Protocol):
    def claim(self, event_id: str, event_type: str, now: float) -> Claim: ...
    def complete(self, event_id: str, now: float, message_id: str) -> None: ...
    def release(self, event_id: str) -> None: ...


class DynamoDbIdempotencyStore:
    def __init__(self, table: str, client: Any, *, ttl_days: int, lease_seconds: int) -> None:
        self.table = table
        self.client = client
        self.ttl_seconds = ttl_days * 86_400
        self.lease_seconds = lease_seconds

    def _fail(self, exc: Exception) -> TransientFailure:
        code = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else type(exc).__name__
        return TransientFailure("idempotency_store", "dynamodb", code)

    def claim(self, event_id: str, event_type: str, now: float) -> Claim:
        try:
            self.client.put_item(
                TableName=self.table,
                Item={
                    "event_id": {"S": event_id},
                    "status": {"S": "pending"},
                    "event_type": {"S": event_type},
                    "lease_expires_at": {"N": str(int(now) + self.lease_seconds)},
                    "expires_at": {"N": str(int(now) + self.ttl_seconds)},
                },
                ConditionExpression=(
                    "attribute_not_exists(event_id) OR "
                    "(#status = :pending AND lease_expires_at < :now)"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":pending": {"S": "pending"},
                    ":now": {"N": str(int(now))},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise self._fail(exc) from exc
            old = exc.response.get("Item") or self._get(event_id)
            status = (old or {}).get("status", {}).get("S")
            return Claim.ALREADY_SENT if status == "sent" else Claim.IN_FLIGHT
        except BotoCoreError as exc:
            raise self._fail(exc) from exc
        return Claim.ACQUIRED

    def _get(self, event_id: str) -> dict[str, Any] | None:
        found = self.client.get_item(
            TableName=self.table, Key={"event_id": {"S": event_id}}, ConsistentRead=True
        )
        return found.get("Item")

    def complete(self, event_id: str, now: float, message_id: str) -> None:
        try:
            self.client.update_item(
                TableName=self.table,
                Key={"event_id": {"S": event_id}},
                UpdateExpression=(
                    "SET #status = :sent, sent_at = :now, message_id = :mid, expires_at = :exp "
                    "REMOVE lease_expires_at"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":sent": {"S": "sent"},
                    ":now": {"N": str(int(now))},
                    ":mid": {"S": message_id or "-"},
                    ":exp": {"N": str(int(now) + self.ttl_seconds)},
                },
            )
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc) from exc

    def release(self, event_id: str) -> None:
        # On failure the lease expires by itself and the retry then claims again.
        with contextlib.suppress(ClientError, BotoCoreError):
            self.client.delete_item(
                TableName=self.table,
                Key={"event_id": {"S": event_id}},
                ConditionExpression="#status = :pending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":pending": {"S": "pending"}},
            )


class SqliteIdempotencyStore:
    """The same protocol in a local SQLite file (the local runner; one process)."""

    def __init__(self, path: Path, *, ttl_days: int = 14, lease_seconds: int = 120) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS processed_events (event_id TEXT PRIMARY KEY, "
            "status TEXT NOT NULL, event_type TEXT, lease_expires_at INTEGER, "
            "expires_at INTEGER NOT NULL, sent_at INTEGER, message_id TEXT)"
        )
        self.ttl_seconds = ttl_days * 86_400
        self.lease_seconds = lease_seconds

    def claim(self, event_id: str, event_type: str, now: float) -> Claim:
        t = int(now)
        self.db.execute("DELETE FROM processed_events WHERE expires_at < ?", (t,))  # "TTL"
        cur = self.db.execute(
            "INSERT INTO processed_events (event_id, status, event_type, lease_expires_at, "
            "expires_at) VALUES (?, 'pending', ?, ?, ?) ON CONFLICT (event_id) DO UPDATE SET "
            "lease_expires_at = excluded.lease_expires_at, expires_at = excluded.expires_at "
            "WHERE status = 'pending' AND lease_expires_at < ?",
            (event_id, event_type, t + self.lease_seconds, t + self.ttl_seconds, t),
        )
        if cur.rowcount == 1:
            return Claim.ACQUIRED
        row = self.db.execute(
            "SELECT status FROM processed_events WHERE event_id = ?", (event_id,)
        ).fetchone()
        return Claim.ALREADY_SENT if row and row[0] == "sent" else Claim.IN_FLIGHT

    def complete(self, event_id: str, now: float, message_id: str) -> None:
        self.db.execute(
            "UPDATE processed_events SET status = 'sent', sent_at = ?, message_id = ?, "
            "expires_at = ?, lease_expires_at = NULL WHERE event_id = ?",
            (int(now), message_id, int(now) + self.ttl_seconds, event_id),
        )

    def release(self, event_id: str) -> None:
        self.db.execute(
            "DELETE FROM processed_events WHERE event_id = ? AND status = 'pending'", (event_id,)
        )
