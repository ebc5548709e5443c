"""The event of docs/contracts/events.md, parsed once into typed, validated records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from oficina_notify.models.errors import PoisonMessage

AWAITING_APPROVAL = "service_order.awaiting_approval"
COMPLETED = "service_order.completed"
DELIVERED = "service_order.delivered"
CANCELLED = "service_order.cancelled"
EVENT_TYPES = (AWAITING_APPROVAL, COMPLETED, DELIVERED, CANCELLED)
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    number: int
    status: str
    budget_total: Decimal | None
    unit_name: str | None


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    name: str
    email: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class Vehicle:
    plate: str
    make: str | None
    model: str | None


@dataclass(frozen=True, slots=True)
class Links:
    order: str | None
    approve: str | None
    reject: str | None


@dataclass(frozen=True, slots=True)
class OrderEvent:
    event_id: str
    event_type: str
    occurred_at: str
    request_id: str | None
    order: Order
    customer: Customer
    vehicle: Vehicle
    links: Links


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PoisonMessage("invalid_message", f"{where} must be a JSON object")
    return value


def _text(obj: dict[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise PoisonMessage("invalid_message", f"{where}.{key} must be a non-empty string")
    if len(value) > 2048:
        raise PoisonMessage("invalid_message", f"{where}.{key} is too long")
    return value.strip()


def parse_event(body: str, attribute_event_type: str | None = None) -> OrderEvent:
    """Parse and validate a message body; any violation is a :class:`PoisonMessage`."""
    if len(body.encode("utf-8", "surrogatepass")) > MAX_BODY_BYTES:
        raise PoisonMessage("invalid_message", "body larger than 64 KiB")
    try:
        data = json.loads(body)
    except (ValueError, TypeError) as exc:
        raise PoisonMessage("invalid_message", f"body is not JSON ({type(exc).__name__})") from exc
    data = _obj(data, "body")
    event_id = _text(data, "event_id", "body")
    event_type = _text(data, "event_type", "body")
    if event_type not in EVENT_TYPES:
        raise PoisonMessage("unknown_event_type", f"event_type {event_type!r} is not handled")
    if attribute_event_type is not None and attribute_event_type != event_type:
        raise PoisonMessage("invalid_message", "event_type attribute differs from the body")
    request_id = data.get("request_id")
    if request_id is not None and not isinstance(request_id, str):
        raise PoisonMessage("invalid_message", "body.request_id must be a string")

    order_raw = _obj(data.get("order"), "order")
    number = order_raw.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise PoisonMessage("invalid_message", "order.number must be a non-negative integer")
    total_raw = order_raw.get("budget_total")
    total: Decimal | None = None
    if total_raw is not None:
        try:
            total = Decimal(str(total_raw))
        except InvalidOperation as exc:
            raise PoisonMessage("invalid_message", "order.budget_total is not a number") from exc
        if not total.is_finite() or total < 0:
            raise PoisonMessage("invalid_message", "order.budget_total must be >= 0")
    order = Order(
        id=_text(order_raw, "id", "order") or "",
        number=number,
        status=_text(order_raw, "status", "order") or "",
        budget_total=total,
        unit_name=_text(order_raw, "unit_name", "order", required=False),
    )
    customer_raw = _obj(data.get("customer"), "customer")
    customer = Customer(
        id=_text(customer_raw, "id", "customer") or "",
        name=_text(customer_raw, "name", "customer") or "",
        email=_text(customer_raw, "email", "customer", required=False),
        phone=_text(customer_raw, "phone", "customer", required=False),
    )
    vehicle_raw = _obj(data.get("vehicle"), "vehicle")
    vehicle = Vehicle(
        plate=_text(vehicle_raw, "plate", "vehicle") or "",
        make=_text(vehicle_raw, "make", "vehicle", required=False),
        model=_text(vehicle_raw, "model", "vehicle", required=False),
    )
    links_raw = _obj(data.get("links") or {}, "links")
    links = Links(
        order=_text(links_raw, "order", "links", required=False),
        approve=_text(links_raw, "approve", "links", required=False),
        reject=_text(links_raw, "reject", "links", required=False),
    )
    return OrderEvent(
        event_id=event_id or "",
        event_type=event_type,
        occurred_at=_text(data, "occurred_at", "body") or "",
        request_id=request_id,
        order=order,
        customer=customer,
        vehicle=vehicle,
        links=links,
    )
