"""The service-order signals of the metric catalog, fed by services/orders.py."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from oficina.models import Unit
from oficina.observability import metrics

_unit_codes: dict[uuid.UUID, str] = {}


def unit_code(s: Session, unit_id: uuid.UUID) -> str:
    """Units are few and never renamed in place: cache their codes for metric tags."""
    if unit_id not in _unit_codes:
        code = s.execute(select(Unit.code).where(Unit.id == unit_id)).scalar_one()
        _unit_codes[unit_id] = code
    return _unit_codes[unit_id]


def opened(unit: str) -> None:
    metrics.increment_on_success("oficina.orders.opened", unit=unit)


def moved(
    s: Session, order_id: uuid.UUID, unit_id: uuid.UUID, from_status: str, to_status: str
) -> None:
    """Count the move and the minutes spent in the status being left (its current visit)."""
    unit = unit_code(s, unit_id)
    minutes = s.execute(
        text(
            "SELECT extract(epoch FROM now() - changed_at) / 60 "
            "FROM service_order_status_history WHERE service_order_id = :id "
            "ORDER BY changed_at DESC, id DESC LIMIT 1"
        ),
        {"id": order_id},
    ).scalar_one()
    metrics.increment_on_success(
        "oficina.orders.transitions", **{"from": from_status, "to": to_status, "unit": unit}
    )
    metrics.distribution_on_success(
        "oficina.orders.time_in_status", float(minutes), status=from_status, unit=unit
    )


def failed(stage: str, reason: str) -> None:
    metrics.increment_now("oficina.orders.failures", stage=stage, reason=reason)
