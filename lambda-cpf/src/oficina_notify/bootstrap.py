"""Wire the consumer from validated settings (called once per execution environment)."""

from __future__ import annotations

from typing import Any

from oficina_notify import logs, metrics
from oficina_notify.dal.idempotency import DynamoDbIdempotencyStore, IdempotencyStore
from oficina_notify.dal.senders import AwsSender, Sender
from oficina_notify.logic.consumer import Consumer
from oficina_notify.models.config import Settings


def build_consumer(
    settings: Settings,
    *,
    store: IdempotencyStore | None = None,
    sender: Sender | None = None,
    session: Any = None,
) -> Consumer:
    """The Lambda wiring (DynamoDB + SES/SNS) unless a store or sender is given (local, tests)."""
    if store is None or sender is None:
        import boto3
        from botocore.config import Config

        session = session or boto3.session.Session()
        # Short timeouts, few retries: SQS retries the record itself (visibility timeout).
        config = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2})
        if store is None:
            store = DynamoDbIdempotencyStore(
                settings.idempotency_table,
                session.client("dynamodb", config=config),
                ttl_days=settings.idempotency_ttl_days,
                lease_seconds=settings.lease_seconds,
            )
        if sender is None:
            sender = AwsSender(
                session.client("ses", config=config),
                session.client("sns", config=config),
                source=settings.email_source,
                configuration_set=settings.ses_configuration_set,
                sms_sender_id=settings.sms_sender_id,
            )
    stats = metrics.DogStatsd(
        settings.statsd_host,
        settings.statsd_port,
        metrics.unified_tags(settings.service, settings.env, settings.version),
    )
    logger = logs.get_logger(settings.service, settings.env, settings.version, settings.log_level)
    return Consumer(store, sender, stats, logger)
