"""Units (workshops), customers, their vehicles, and staff users."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from oficina.extensions.db import Base
from oficina.models._types import CreatedAt, UpdatedAt, UuidPk, in_list

STAFF_ROLES = ["attendant", "mechanic", "manager"]
CUSTOMER_STATUSES = ["active", "inactive"]


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[UuidPk]
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[CreatedAt]


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint(in_list("document_type", ["CPF", "CNPJ"]), name="document_type"),
        CheckConstraint(
            "(document_type = 'CPF' AND length(document) = 11)"
            " OR (document_type = 'CNPJ' AND length(document) = 14)",
            name="document_length",
        ),
        CheckConstraint(in_list("status", CUSTOMER_STATUSES), name="status"),
        # GET /customers pages in name order (er-diagrams evidence: a sort of every row).
        Index("ix_customers_name_id", "name", "id"),
    )

    id: Mapped[UuidPk]
    document_type: Mapped[str] = mapped_column(String(4))
    # Digits only; the check digits were validated before insert.
    document: Mapped[str] = mapped_column(String(14), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(8), default="active", server_default="active")
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    vehicles: Mapped[list[Vehicle]] = relationship(back_populates="owner")


class Vehicle(Base):
    __tablename__ = "vehicles"
    __table_args__ = (CheckConstraint("year BETWEEN 1900 AND 2100", name="year_range"),)

    id: Mapped[UuidPk]
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"), index=True)
    # Normalized: upper case, no dash (ABC1234 or ABC1D23).
    plate: Mapped[str] = mapped_column(String(7), unique=True)
    make: Mapped[str] = mapped_column(String(60))
    model: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]

    owner: Mapped[Customer] = relationship(back_populates="vehicles")


class StaffUser(Base):
    __tablename__ = "staff_users"
    __table_args__ = (
        CheckConstraint(in_list("role", STAFF_ROLES), name="role"),
        CheckConstraint("length(cpf) = 11", name="cpf_length"),
    )

    id: Mapped[UuidPk]
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    cpf: Mapped[str] = mapped_column(String(11), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    role: Mapped[str] = mapped_column(String(10))
    # argon2id PHC string; verified by the auth function, never by this app.
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_at: Mapped[CreatedAt]
