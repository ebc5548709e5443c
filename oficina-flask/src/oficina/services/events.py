"""Domain events for the outbox (docs/contracts/events.md), written with the change itself."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from oficina.domain.statuses import OrderStatus
from oficina.models import Customer, OutboxEvent, ServiceOrder, Unit, Vehicle

S = OrderStatus
EVENT_TYPES = {
    S.AWAITING_APPROVAL: "service_order.awaiting_approval",
    S.COMPLETED: "service_order.completed",
    S.DELIVERED: "service_order.delivered",
    S.CANCELLED: "service_order.cancelled",
}


def public_base_url() -> str:
    return os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def record_status_event(s: Session, order: ServiceOrder, target: OrderStatus) -> None:
    """Add the outbox row for a customer-facing move; it commits or rolls back with the move."""
    event_type = EVENT_TYPES.get(target)
    if event_type is None:
        return
    customer = s.get_one(Customer, order.customer_id)
    vehicle = s.get_one(Vehicle, order.vehicle_id)
    unit_name = s.execute(select(Unit.name).where(Unit.id == order.unit_id)).scalar_one()
    order_url = f"{public_base_url()}/service-orders/{order.id}"
    links = {"order": order_url}
    if target is S.AWAITING_APPROVAL:
        links |= {"approve": f"{order_url}/budget/approve", "reject": f"{order_url}/budget/reject"}
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    event = OutboxEvent(
        service_order_id=order.id,
        event_type=event_type,
        request_id=request_id,
        payload={
            "event_type": event_type,
            "occurred_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "request_id": request_id,
            "order": {
                "id": str(order.id),
                "number": order.number,
                "status": target.value,
                "budget_total": f"{order.budget_total:.2f}",
                "unit_name": unit_name,
            },
            "customer": {
                "id": str(customer.id),
                "name": customer.name,
                "email": customer.email,
                "phone": customer.phone,
            },
            "vehicle": {"plate": vehicle.plate, "make": vehicle.make, "model": vehicle.model},
            "links": links,
        },
    )
    s.add(event)
