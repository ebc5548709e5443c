"""A notification entry point for the tracing test: the real consumer (parse, render, claim,
log, metrics) with the local stand-ins for DynamoDB and SES, so that the Datadog wrapper can
call it as ``DD_LAMBDA_HANDLER=tests.notify_traced_shim.lambda_handler`` without AWS."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from oficina_notify.bootstrap import build_consumer
from oficina_notify.dal.idempotency import SqliteIdempotencyStore
from oficina_notify.dal.senders import DeliveryLogSender
from oficina_notify.models.config import Settings

_dir = Path(os.environ["NOTIFY_SHIM_DIR"])
consumer = build_consumer(
    Settings.from_env(
        {**os.environ, "NOTIFY_IDEMPOTENCY_TABLE": "local", "NOTIFY_EMAIL_SOURCE": "o@x.example"}
    ),
    store=SqliteIdempotencyStore(_dir / "state.sqlite3"),
    sender=DeliveryLogSender(_dir / "deliveries.jsonl"),
)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.handle_batch(event)
