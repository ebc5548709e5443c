"""The transactional outbox: events written in the same transaction as the change they report."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from oficina.extensions.db import Base
from oficina.models._types import UuidPk, in_list

OUTBOX_STATES = ["pending", "sent", "dead"]


class OutboxEvent(Base):
    __tablename__ = "outbox_events"
    __table_args__ = (
        CheckConstraint(in_list("state", OUTBOX_STATES), name="state"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        # The relay's queue: pending events in publication order.
        Index(
            "ix_outbox_events_pending",
            "next_attempt_at",
            "seq",
            postgresql_where=text("state = 'pending'"),
        ),
        Index("ix_outbox_events_order_seq", "service_order_id", "seq"),
    )

    id: Mapped[UuidPk]  # the event_id of docs/contracts/events.md
    # Publication order (global, so also per order).
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    service_order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_orders.id"))
    event_type: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(7), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
