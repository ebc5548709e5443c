"""Typed SQLAlchemy 2 models. Importing this package registers every table on Base.metadata."""

from oficina.extensions.db import Base
from oficina.models.auth import AuthAttempt
from oficina.models.catalog import Part, Service, StockMovement
from oficina.models.orders import (
    IdempotencyKey,
    OrderPart,
    OrderService,
    ServiceOrder,
    StatusChange,
)
from oficina.models.outbox import OutboxEvent
from oficina.models.people import Customer, StaffUser, Unit, Vehicle

__all__ = [
    "AuthAttempt",
    "Base",
    "Customer",
    "IdempotencyKey",
    "OrderPart",
    "OrderService",
    "OutboxEvent",
    "Part",
    "Service",
    "ServiceOrder",
    "StaffUser",
    "StatusChange",
    "StockMovement",
    "Unit",
    "Vehicle",
]
