"""Publish pending outbox events: at-least-once, in order per order, with backoff and a
dead-letter state. Run as ``python -m oficina.outbox.relay`` (a worker on Kubernetes, a process
in `make run`).

Only the head pending event of each order is claimed per cycle (``FOR UPDATE SKIP LOCKED``), so
a later event never overtakes an earlier one, even with several relays running. A crash after
publishing but before committing republishes the event: consumers are idempotent by event id.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import structlog
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from oficina.observability import metrics
from oficina.outbox.transports import FileTransport, Message, PublishError, SnsTransport, Transport

log = structlog.get_logger("oficina.outbox")

MAX_ATTEMPTS = 8
MAX_BACKOFF_SECONDS = 300

_CLAIM = text("""
SELECT e.id, e.service_order_id, e.event_type, e.payload, e.request_id, e.attempts
FROM outbox_events e
WHERE e.state = 'pending' AND e.next_attempt_at <= now()
  AND NOT EXISTS (
      SELECT 1 FROM outbox_events earlier
      WHERE earlier.service_order_id = e.service_order_id
        AND earlier.state = 'pending' AND earlier.seq < e.seq)
ORDER BY e.seq
LIMIT :limit
FOR UPDATE OF e SKIP LOCKED
""")
_SENT = text(
    "UPDATE outbox_events SET state = 'sent', published_at = now(), "
    "attempts = attempts + 1 WHERE id = ANY(CAST(:ids AS uuid[]))"
)
_RETRY = text("""
UPDATE outbox_events
SET attempts = attempts + 1, last_error = :error,
    state = CASE WHEN attempts + 1 >= :max_attempts THEN 'dead' ELSE 'pending' END,
    next_attempt_at = now() + make_interval(secs => least(power(2, attempts + 1), :max_backoff))
WHERE id = :id
RETURNING state
""")
_BACKLOG = text(
    "SELECT count(*), extract(epoch FROM now() - min(created_at)) "
    "FROM outbox_events WHERE state = 'pending'"
)


@dataclass
class CycleResult:
    sent: int = 0
    failed: int = 0
    dead: int = 0


def run_cycle(s: Session, transport: Transport, batch_size: int = 100) -> CycleResult:
    """One transaction: claim up to ``batch_size`` head events, publish, record the outcome."""
    result = CycleResult()
    sent: list[str] = []
    with s.begin():
        for row in s.execute(_CLAIM, {"limit": batch_size}):
            body = json.dumps({"event_id": str(row.id), **row.payload}, ensure_ascii=False)
            message = Message(str(row.id), row.event_type, str(row.service_order_id), body)
            try:
                transport.publish(message)
            except PublishError as exc:
                state = s.execute(
                    _RETRY,
                    {
                        "id": row.id,
                        "error": str(exc)[:500],
                        "max_attempts": MAX_ATTEMPTS,
                        "max_backoff": MAX_BACKOFF_SECONDS,
                    },
                ).scalar_one()
                kind = "dead_letter" if state == "dead" else "publish_failed"
                result.failed += 1
                result.dead += state == "dead"
                metrics.increment_now(
                    "oficina.integration.errors", integration="notifications", kind=kind
                )
                log.warning(
                    "outbox.publish_failed",
                    event_id=str(row.id),
                    state=state,
                    request_id=row.request_id,
                    attempts=row.attempts + 1,
                    error=str(exc),
                )
                continue
            sent.append(str(row.id))
        if sent:  # one UPDATE for the batch, still inside the claiming transaction
            s.execute(_SENT, {"ids": sent})
    result.sent = len(sent)
    return result


def report_backlog(s: Session) -> tuple[int, float]:
    with s.begin():
        pending, oldest = s.execute(_BACKLOG).one()
    client = metrics.client()
    client.gauge("oficina.outbox.backlog", pending)
    client.gauge("oficina.outbox.oldest_age_seconds", float(oldest or 0))
    return pending, float(oldest or 0)


def drain(
    sessions: Callable[[], Session],
    transport: Transport,
    batch_size: int = 100,
    on_cycle: Callable[[], None] | None = None,
) -> int:
    """Cycle until a cycle publishes nothing; return how many were sent.

    ``on_cycle`` runs after every cycle (the heartbeat: a long drain is progress, not a hang).
    """
    total = 0
    while True:
        with sessions() as s:
            result = run_cycle(s, transport, batch_size)
        if on_cycle is not None:
            on_cycle()
        total += result.sent
        if result.sent == 0:
            return total


def transport_from_env() -> Transport:
    kind = os.environ.get("OUTBOX_TRANSPORT", "sns")
    if kind == "file":
        return FileTransport(Path(os.environ.get("OUTBOX_FILE", ".dev/outbox/events.jsonl")))
    if kind == "sns":
        return SnsTransport(os.environ["OUTBOX_TOPIC_ARN"])
    raise SystemExit(f"OUTBOX_TRANSPORT must be 'sns' or 'file', not {kind!r}")


def main() -> None:
    from oficina.observability import logging as json_logging

    parser = argparse.ArgumentParser(prog="python -m oficina.outbox.relay")
    parser.add_argument("--once", action="store_true", help="drain once and exit (CronJob)")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between drains")
    parser.add_argument(
        "--heartbeat-file",
        type=Path,
        default=None,
        help="touched after every drain (the liveness probe checks its age)",
    )
    args = parser.parse_args()
    json_logging.configure(os.environ.get("LOG_LEVEL", "INFO"))
    engine = create_engine(os.environ["DATABASE_URL"], pool_size=2, max_overflow=0)
    sessions = sessionmaker(engine)
    transport = transport_from_env()
    heartbeat = args.heartbeat_file.touch if args.heartbeat_file else None
    while True:
        sent = drain(sessions, transport, on_cycle=heartbeat)
        with sessions() as s:
            pending, oldest = report_backlog(s)
        if sent:
            log.info("outbox.drained", sent=sent, pending=pending, oldest_age_seconds=oldest)
        if heartbeat:
            heartbeat()  # also when there was nothing to drain
        if args.once:
            return
        time.sleep(args.interval)


if __name__ == "__main__":
    main()
