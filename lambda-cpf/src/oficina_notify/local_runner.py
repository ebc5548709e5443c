"""Run the notification consumer locally over the contract's file transport.

    python -m oficina_notify.local_runner --once      # process new lines, then exit
    python -m oficina_notify.local_runner --follow    # keep polling the file

Reads ``.dev/outbox/events.jsonl`` (written by oficina-flask's relay with
``NOTIFICATIONS_TRANSPORT=file``) from where the previous run stopped, turns each line into an
SQS record and calls the same :class:`Consumer` as the Lambda — same parsing, rendering and
idempotency protocol — with SQLite instead of DynamoDB and a delivery log
(``.dev/outbox/deliveries.jsonl``) instead of SES/SNS. A line is the contract's message body,
or an envelope ``{"message" | "body": <body>, "message_group_id"?, "event_type"?}``. Lines that
fail ``--max-receives`` times go to ``.dev/outbox/dead-letters.jsonl`` (the local DLQ).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from oficina_notify.bootstrap import build_consumer
from oficina_notify.dal.idempotency import SqliteIdempotencyStore
from oficina_notify.dal.senders import DeliveryLogSender
from oficina_notify.logic.consumer import Consumer
from oficina_notify.models.config import Settings

OUTBOX = Path(os.environ.get("NOTIFY_OUTBOX_DIR") or ".dev/outbox")


def to_record(line: str, line_no: int, receive_count: int) -> dict[str, Any]:
    """One JSON line -> an SQS record as Lambda receives it (raw message delivery)."""
    body, group, event_type = line, None, None
    try:
        data = json.loads(line)
    except ValueError:
        data = None
    if isinstance(data, dict) and "event_id" not in data and ("message" in data or "body" in data):
        inner = data.get("message", data.get("body"))
        body = inner if isinstance(inner, str) else json.dumps(inner, ensure_ascii=False)
        group = data.get("message_group_id")
        event_type = data.get("event_type")
        data = json.loads(body) if isinstance(inner, str) and inner.startswith("{") else inner
    if isinstance(data, dict):
        order = data.get("order")
        group = group or (order.get("id") if isinstance(order, dict) else None)
        event_type = event_type or data.get("event_type")
    record: dict[str, Any] = {
        "messageId": f"local-line-{line_no}",
        "body": body,
        "attributes": {"ApproximateReceiveCount": str(receive_count)},
        "messageAttributes": {},
        "eventSource": "local:file",
    }
    if isinstance(group, str):
        record["attributes"]["MessageGroupId"] = group
    if isinstance(event_type, str):
        record["messageAttributes"]["event_type"] = {
            "stringValue": event_type,
            "dataType": "String",
        }
    return record


class LocalRunner:
    def __init__(
        self, consumer: Consumer, events: Path, state: Path, dead_letters: Path, max_receives: int
    ) -> None:
        self.consumer, self.events, self.dead_letters = consumer, events, dead_letters
        self.max_receives = max_receives
        state.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(state, isolation_level=None)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS runner_cursor (path TEXT PRIMARY KEY, offset INTEGER, "
            "line_no INTEGER, attempts INTEGER)"
        )

    def _cursor(self) -> tuple[int, int, int]:
        row = self.db.execute(
            "SELECT offset, line_no, attempts FROM runner_cursor WHERE path = ?",
            (str(self.events.resolve()),),
        ).fetchone()
        return row if row else (0, 0, 0)

    def _save(self, offset: int, line_no: int, attempts: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO runner_cursor VALUES (?, ?, ?, ?)",
            (str(self.events.resolve()), offset, line_no, attempts),
        )

    def run_once(self) -> dict[str, int]:
        """Process every complete new line; a failing line is retried in the next poll."""
        counts = {"processed": 0, "failed": 0, "dead_lettered": 0}
        if not self.events.exists():
            return counts
        offset, line_no, attempts = self._cursor()
        with self.events.open("rb") as fh:
            fh.seek(offset)
            while True:
                raw = fh.readline()
                if not raw or not raw.endswith(b"\n"):
                    break  # nothing more, or a line still being written
                text = raw.decode("utf-8", "replace").strip()
                if not text:
                    offset += len(raw)
                    line_no += 1
                    continue
                record = to_record(text, line_no + 1, attempts + 1)
                result = self.consumer.handle_batch({"Records": [record]})
                if result["batchItemFailures"]:
                    attempts += 1
                    counts["failed"] += 1
                    if attempts < self.max_receives:
                        break  # like SQS FIFO: later lines wait behind the failed one
                    self.dead_letters.parent.mkdir(parents=True, exist_ok=True)
                    with self.dead_letters.open("a", encoding="utf-8") as dlq:
                        dlq.write(text + "\n")
                    counts["dead_lettered"] += 1
                else:
                    counts["processed"] += 1
                offset += len(raw)
                line_no += 1
                attempts = 0
                self._save(offset, line_no, attempts)
        self._save(offset, line_no, attempts)
        return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="notification function over the file transport")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="process new events, then exit")
    mode.add_argument("--follow", action="store_true", help="keep polling for new events")
    parser.add_argument(
        "--outbox",
        type=Path,
        default=OUTBOX,
        help="folder of the four files below (default $NOTIFY_OUTBOX_DIR or .dev/outbox)",
    )
    parser.add_argument("--events", type=Path, help="default <outbox>/events.jsonl")
    parser.add_argument("--deliveries", type=Path, help="default <outbox>/deliveries.jsonl")
    parser.add_argument("--dead-letters", type=Path, help="default <outbox>/dead-letters.jsonl")
    parser.add_argument("--state", type=Path, help="default <outbox>/notify-state.sqlite3")
    parser.add_argument("--interval", type=float, default=1.0, help="--follow poll period (s)")
    parser.add_argument("--max-receives", type=int, default=5, help="like maxReceiveCount")
    args = parser.parse_args(argv)
    args.events = args.events or args.outbox / "events.jsonl"
    args.deliveries = args.deliveries or args.outbox / "deliveries.jsonl"
    args.dead_letters = args.dead_letters or args.outbox / "dead-letters.jsonl"
    args.state = args.state or args.outbox / "notify-state.sqlite3"

    settings = Settings(idempotency_table="local-sqlite", email_source="oficina@localhost")
    consumer = build_consumer(
        settings,
        store=SqliteIdempotencyStore(args.state),
        sender=DeliveryLogSender(args.deliveries),
    )
    runner = LocalRunner(consumer, args.events, args.state, args.dead_letters, args.max_receives)
    while True:
        counts = runner.run_once()
        if args.once:
            print(json.dumps({"runner": "done", **counts}))
            return 0
        time.sleep(args.interval)


if __name__ == "__main__":
    raise SystemExit(main())
