"""One SQS batch -> ``{"batchItemFailures": [...]}``; one record -> one outcome.

Per record: parse (poison -> failure) -> render (poison -> failure) -> claim the event id
(already sent -> suppressed, success) -> send (dependency error -> release the claim, failure)
-> mark sent. Failures are reported as batch item failures: SQS makes them visible again and,
after ``maxReceiveCount`` receives, the redrive policy moves them to the dead-letter queue.

FIFO: once a record of a message group fails, the later records of the same group in the batch
are reported as failures without being processed, so the order per service order is kept
(the other groups go on). Nothing raised here ever fails the whole batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog

from oficina_notify import metrics
from oficina_notify.dal.idempotency import Claim, IdempotencyStore
from oficina_notify.dal.senders import Sender
from oficina_notify.logic.render import render
from oficina_notify.logs import mask_recipient
from oficina_notify.models.errors import PoisonMessage, TransientFailure
from oficina_notify.models.events import OrderEvent, parse_event


@dataclass
class Outcome:
    ok: bool
    status: str  # sent | duplicate | skipped | failed
    reason: str | None = None


class Consumer:
    def __init__(
        self,
        store: IdempotencyStore,
        sender: Sender,
        stats: metrics.DogStatsd,
        logger: Any,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.sender, self.stats, self.log = store, sender, stats, logger
        self.clock = clock

    def handle_batch(self, event: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
        failures: list[dict[str, str]] = []
        failed_groups: set[str] = set()
        for record in event.get("Records") or []:
            message_id = str(record.get("messageId", ""))
            group = (record.get("attributes") or {}).get("MessageGroupId")
            if group is not None and group in failed_groups:
                self.log.info("notification.deferred", sqs_message_id=message_id, group=group)
                failures.append({"itemIdentifier": message_id})
                continue
            outcome = self.handle_record(record)
            if not outcome.ok:
                failures.append({"itemIdentifier": message_id})
                if group is not None:
                    failed_groups.add(group)
        return {"batchItemFailures": failures}

    def handle_record(self, record: dict[str, Any]) -> Outcome:
        message_id = str(record.get("messageId", ""))
        receive_count = (record.get("attributes") or {}).get("ApproximateReceiveCount")
        structlog.contextvars.clear_contextvars()
        # request_id is the event's own (bound once parsed); null for a message that cannot be.
        structlog.contextvars.bind_contextvars(
            sqs_message_id=message_id, receive_count=receive_count, request_id=None
        )
        try:
            return self._process(record)
        except PoisonMessage as exc:
            self.stats.increment(metrics.FAILURES, reason=exc.reason)
            self.log.error(
                "notification.failed",
                reason=exc.reason,
                detail=exc.detail,
                poison=True,
                note="retried until maxReceiveCount, then moved to the DLQ",
            )
            return Outcome(False, "failed", exc.reason)
        except TransientFailure as exc:
            self.stats.increment(metrics.FAILURES, reason=exc.reason)
            self.stats.increment(
                metrics.INTEGRATION_ERRORS, integration="notifications", kind=exc.integration_kind
            )
            self.log.error(
                "notification.failed",
                reason=exc.reason,
                integration_kind=exc.integration_kind,
                detail=exc.detail,
                poison=False,
            )
            return Outcome(False, "failed", exc.reason)
        except Exception as exc:  # a bug must not fail the other records of the batch
            self.stats.increment(metrics.FAILURES, reason="unexpected")
            self.log.error("notification.failed", reason="unexpected", error=type(exc).__name__)
            return Outcome(False, "failed", "unexpected")
        finally:
            structlog.contextvars.clear_contextvars()

    def _process(self, record: dict[str, Any]) -> Outcome:
        attributes = record.get("messageAttributes") or {}
        attr_type = (attributes.get("event_type") or {}).get("stringValue")
        body = record.get("body")
        if not isinstance(body, str):
            raise PoisonMessage("invalid_message", "record has no body")
        event = parse_event(body, attr_type)
        structlog.contextvars.bind_contextvars(
            request_id=event.request_id,
            event_id=event.event_id,
            event_type=event.event_type,
            order_id=event.order.id,
            order_number=event.order.number,
        )
        message = render(event)
        if message is None:
            self.log.warning("notification.skipped", reason="no_contact")
            return Outcome(True, "skipped", "no_contact")
        claim = self.store.claim(event.event_id, event.event_type, self.clock())
        if claim is Claim.ALREADY_SENT:
            self.log.info("notification.duplicate", note="already sent: suppressed")
            return Outcome(True, "duplicate")
        if claim is Claim.IN_FLIGHT:
            raise TransientFailure("in_flight", "dynamodb", "another invocation holds the lease")
        return self._send(event, message)

    def _send(self, event: OrderEvent, message: Any) -> Outcome:
        try:
            provider_id = self.sender.send(message, event)
        except Exception:
            self.store.release(event.event_id)
            raise
        try:
            self.store.complete(event.event_id, self.clock(), provider_id)
        except TransientFailure as exc:
            # Sent, but not recorded: report success anyway (a retry would send it again
            # once the lease ran out); the pending claim still blocks redeliveries until then.
            self.stats.increment(
                metrics.INTEGRATION_ERRORS, integration="notifications", kind=exc.integration_kind
            )
            self.log.warning("notification.record_failed", detail=exc.detail)
        self.stats.increment(metrics.SENT, channel=message.channel, event_type=event.event_type)
        self.log.info(
            "notification.sent",
            channel=message.channel,
            to=mask_recipient(message.to),
            provider_message_id=provider_id,
        )
        return Outcome(True, "sent")
