"""AWS Lambda entry point (``oficina_notify.handler.lambda_handler``), SQS event source.

Settings validated and clients built once, at import (cold start). The event source mapping
has ``ReportBatchItemFailures``: the answer lists only the records to retry.
"""

from __future__ import annotations

from typing import Any

from oficina_notify.bootstrap import build_consumer
from oficina_notify.models.config import Settings

consumer = build_consumer(Settings.from_env())


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.handle_batch(event)
