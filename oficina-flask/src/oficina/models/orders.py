"""Service orders, their items (prices frozen), the status history and idempotency keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CHAR,
    BigInteger,
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from oficina.domain.statuses import QUEUE_RANK, OrderStatus
from oficina.extensions.db import Base
from oficina.models._types import CreatedAt, Money, UpdatedAt, UuidPk, in_list

STATUS_VALUES = [s.value for s in OrderStatus]
_QUEUE_RANK_SQL = (
    "CASE status "
    + " ".join(f"WHEN '{status.value}' THEN {rank}" for status, rank in QUEUE_RANK.items())
    + " END"
)
_ACTIVE = text("queue_rank IS NOT NULL")


class ServiceOrder(Base):
    __tablename__ = "service_orders"
    __table_args__ = (
        CheckConstraint(in_list("status", STATUS_VALUES), name="status"),
        CheckConstraint(
            in_list("budget_decision", ["approved", "rejected"]), name="budget_decision"
        ),
        CheckConstraint("services_total >= 0 AND parts_total >= 0", name="totals_not_negative"),
        CheckConstraint(
            "(budget_decision IS NULL) = (budget_decided_at IS NULL)", name="decision_has_time"
        ),
        # The active-orders queue: rank, then oldest first; only active orders are indexed.
        Index(
            "ix_service_orders_active_queue",
            "queue_rank",
            "opened_at",
            "id",
            postgresql_where=_ACTIVE,
        ),
        Index(
            "ix_service_orders_unit_active_queue",
            "unit_id",
            "queue_rank",
            "opened_at",
            "id",
            postgresql_where=_ACTIVE,
        ),
        Index("ix_service_orders_customer_id_opened_at", "customer_id", "opened_at"),
        Index("ix_service_orders_status_opened_at", "status", "opened_at"),
    )

    id: Mapped[UuidPk]
    # Human-facing order number (printed on the receipt, quoted on the phone).
    number: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"))
    vehicle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vehicles.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.RECEIVED.value)
    # Derived from status by the database itself, so it can never disagree with it.
    queue_rank: Mapped[int | None] = mapped_column(
        SmallInteger, Computed(_QUEUE_RANK_SQL, persisted=True)
    )
    description: Mapped[str | None] = mapped_column(Text)
    services_total: Mapped[Money]
    parts_total: Mapped[Money]
    budget_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    budget_decision: Mapped[str | None] = mapped_column(String(8))
    budget_decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opened_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    services: Mapped[list[OrderService]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderService.id"
    )
    parts: Mapped[list[OrderPart]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderPart.id"
    )
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="order", order_by="StatusChange.id"
    )

    # Optimistic locking: every UPDATE checks and bumps the version.
    __mapper_args__ = {"version_id_col": version}

    @property
    def budget_total(self) -> Decimal:
        return self.services_total + self.parts_total


class OrderService(Base):
    __tablename__ = "service_order_services"
    __table_args__ = (
        UniqueConstraint("service_order_id", "service_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    service_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_orders.id", ondelete="CASCADE")
    )
    service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("services.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    # Frozen at the time of the order: later catalog price changes do not alter the budget.
    unit_price: Mapped[Money]

    order: Mapped[ServiceOrder] = relationship(back_populates="services")


class OrderPart(Base):
    __tablename__ = "service_order_parts"
    __table_args__ = (
        UniqueConstraint("service_order_id", "part_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    service_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_orders.id", ondelete="CASCADE")
    )
    part_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parts.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Money]

    order: Mapped[ServiceOrder] = relationship(back_populates="parts")


class StatusChange(Base):
    """Append-only history (a trigger refuses UPDATE and DELETE): one row per status move."""

    __tablename__ = "service_order_status_history"
    __table_args__ = (
        CheckConstraint(in_list("to_status", STATUS_VALUES), name="to_status"),
        CheckConstraint(
            f"from_status IS NULL OR {in_list('from_status', STATUS_VALUES)}", name="from_status"
        ),
        CheckConstraint("from_status IS DISTINCT FROM to_status", name="status_changes"),
        CheckConstraint(
            "changed_by_staff_id IS NULL OR changed_by_customer_id IS NULL", name="one_actor"
        ),
        Index(
            "ix_service_order_status_history_order_changed",
            "service_order_id",
            "changed_at",
            "id",
        ),
        Index("ix_service_order_status_history_changed_at", "changed_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    service_order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_orders.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    changed_by_staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    changed_by_customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customers.id"))
    note: Mapped[str | None] = mapped_column(String(500))

    order: Mapped[ServiceOrder] = relationship(back_populates="history")


class IdempotencyKey(Base):
    """A client's ``Idempotency-Key`` for POST /service-orders, scoped to the caller."""

    __tablename__ = "idempotency_keys"

    actor_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    # SHA-256 of the canonical request body: the same key with another body is refused.
    request_hash: Mapped[str] = mapped_column(CHAR(64))
    service_order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_orders.id"))
    created_at: Mapped[CreatedAt]
