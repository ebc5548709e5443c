"""The service catalog, parts and supplies, and the stock ledger."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from oficina.extensions.db import Base
from oficina.models._types import CreatedAt, Money, UpdatedAt, UuidPk, in_list

PART_KINDS = ["part", "supply"]
MOVEMENT_REASONS = ["initial", "restock", "adjustment", "reservation", "release"]


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("estimated_minutes > 0", name="estimated_minutes_positive"),
    )

    id: Mapped[UuidPk]
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Money]
    estimated_minutes: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class Part(Base):
    __tablename__ = "parts"
    __table_args__ = (
        CheckConstraint(in_list("kind", PART_KINDS), name="kind"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        # The last line of defence: concurrent reservations can never oversell.
        CheckConstraint("stock_quantity >= 0", name="stock_not_negative"),
        CheckConstraint("minimum_stock >= 0", name="minimum_stock_not_negative"),
    )

    id: Mapped[UuidPk]
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(6), default="part", server_default="part")
    unit_price: Mapped[Money]
    stock_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    minimum_stock: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]


class StockMovement(Base):
    """Append-only ledger: the sum of a part's movements equals its stock_quantity."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        CheckConstraint(in_list("reason", MOVEMENT_REASONS), name="reason"),
        Index("ix_stock_movements_part_id_created_at", "part_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    part_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parts.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(12))
    service_order_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("service_orders.id"), index=True
    )
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
