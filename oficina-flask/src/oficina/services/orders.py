"""Service orders: items and budget, status moves, budget decisions (opening: opening.py).

Concurrency: every change to an order locks its row (SELECT ... FOR UPDATE) and the version
column guards against lost updates, so of two concurrent moves exactly one wins; stock is
reserved with a conditional UPDATE backed by CHECK (stock_quantity >= 0).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from oficina.access import order_scope
from oficina.domain.exceptions import (
    Forbidden,
    InvalidTransition,
    NotFound,
    StockShortage,
    ValidationFailed,
)
from oficina.domain.statuses import (
    EDITABLE_STATUSES,
    FINAL_STATUSES,
    OrderStatus,
    allowed_targets,
    can_move,
)
from oficina.extensions.auth import Principal
from oficina.models import (
    OrderPart,
    OrderService,
    Part,
    Service,
    ServiceOrder,
    StatusChange,
    StockMovement,
)
from oficina.observability import orders as observe
from oficina.services import events

S = OrderStatus


def _visible(query, principal: Principal):
    """The visibility rule (access.order_scope) as ORM criteria."""
    scope = order_scope(principal)
    if scope.kind == "customer":
        return query.where(ServiceOrder.customer_id == scope.id)
    if scope.kind == "unit":
        return query.where(ServiceOrder.unit_id == scope.id)
    return query


def _detail_query():
    return select(ServiceOrder).options(
        selectinload(ServiceOrder.services),
        selectinload(ServiceOrder.parts),
        selectinload(ServiceOrder.history),
    )


def get_order(s: Session, principal: Principal, order_id: uuid.UUID) -> ServiceOrder:
    order = s.execute(
        _visible(_detail_query().where(ServiceOrder.id == order_id), principal)
    ).scalar_one_or_none()
    if order is None:
        raise NotFound("service order not found")
    return order


def _lock(s: Session, principal: Principal, order_id: uuid.UUID) -> ServiceOrder:
    order = s.execute(
        _visible(select(ServiceOrder).where(ServiceOrder.id == order_id), principal)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if order is None:
        raise NotFound("service order not found")
    return order


def ensure_distinct(items: list[dict[str, Any]], key: str, field: str) -> None:
    ids = [item[key] for item in items]
    if len(ids) != len(set(ids)):
        raise ValidationFailed(field, f"each {key} may appear only once; add to its quantity")


@dataclass(frozen=True)
class LineKind:
    """What differs between service lines and part lines; the pricing rule is the same."""

    model: type[Any]
    key: str
    field: str
    line: type[Any]
    price: str
    missing: str


SERVICE_LINES = LineKind(
    Service, "service_id", "services", OrderService, "price", "service {} is not in the catalog"
)
PART_LINES = LineKind(
    Part, "part_id", "parts", OrderPart, "unit_price", "part {} is not in the inventory"
)


def _priced(
    s: Session, kind: LineKind, items: list[dict[str, Any]], keep: dict[uuid.UUID, Decimal]
) -> list[Any]:
    """Order lines at the current price, except those in ``keep`` (already frozen)."""
    ensure_distinct(items, kind.key, kind.field)
    ids = [item[kind.key] for item in items]
    found = {
        row.id: row for row in s.execute(select(kind.model).where(kind.model.id.in_(ids))).scalars()
    }
    lines = []
    for item in items:
        row = found.get(item[kind.key])
        if row is None or not row.active:
            raise ValidationFailed(kind.field, kind.missing.format(item[kind.key]))
        price = keep.get(row.id, getattr(row, kind.price))
        lines.append(kind.line(**{kind.key: row.id}, quantity=item["quantity"], unit_price=price))
    return lines


def _total(lines) -> Decimal:
    return sum((line.unit_price * line.quantity for line in lines), Decimal("0.00"))


def _record(
    s: Session,
    order: ServiceOrder,
    principal: Principal,
    from_status: str | None,
    to_status: OrderStatus,
    note: str | None,
) -> None:
    s.add(
        StatusChange(
            service_order_id=order.id,
            from_status=from_status,
            to_status=to_status.value,
            changed_by_staff_id=None if principal.is_customer else principal.subject,
            changed_by_customer_id=principal.subject if principal.is_customer else None,
            note=note,
        )
    )


def replace_items(
    s: Session, principal: Principal, order_id: uuid.UUID, data: dict[str, Any]
) -> uuid.UUID:
    order = _lock(s, principal, order_id)
    if order.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            f"items cannot change once the order is {order.status}", current_status=order.status
        )
    kept_services = {line.service_id: line.unit_price for line in order.services}
    kept_parts = {line.part_id: line.unit_price for line in order.parts}
    services = _priced(s, SERVICE_LINES, data.get("services", []), kept_services)
    parts = _priced(s, PART_LINES, data.get("parts", []), kept_parts)
    # Delete the old lines first: the unit of work would insert before deleting and trip the
    # (order, service) unique constraint.
    order.services.clear()
    order.parts.clear()
    s.flush()
    order.services, order.parts = services, parts
    order.services_total = _total(order.services)
    order.parts_total = _total(order.parts)
    s.commit()
    return order.id


def _reserve_parts(s: Session, order: ServiceOrder, principal: Principal) -> None:
    # Lock parts in id order so two approvals can never deadlock each other.
    for line in sorted(order.parts, key=lambda p: str(p.part_id)):
        reserved = s.execute(
            update(Part)
            .where(Part.id == line.part_id, Part.stock_quantity >= line.quantity)
            .values(stock_quantity=Part.stock_quantity - line.quantity)
            .returning(Part.id)
        ).first()
        if reserved is None:
            raise StockShortage(
                "not enough stock to approve this budget", part_id=str(line.part_id)
            )
        s.add(
            StockMovement(
                part_id=line.part_id,
                quantity=-line.quantity,
                reason="reservation",
                service_order_id=order.id,
                staff_id=_staff_id(principal),
            )
        )


def _release_parts(s: Session, order: ServiceOrder, principal: Principal) -> None:
    for line in sorted(order.parts, key=lambda p: str(p.part_id)):
        s.execute(
            update(Part)
            .where(Part.id == line.part_id)
            .values(stock_quantity=Part.stock_quantity + line.quantity)
        )
        s.add(
            StockMovement(
                part_id=line.part_id,
                quantity=line.quantity,
                reason="release",
                service_order_id=order.id,
                staff_id=_staff_id(principal),
            )
        )


def _staff_id(principal: Principal) -> uuid.UUID | None:
    return None if principal.is_customer else principal.subject


def _move(
    s: Session, order: ServiceOrder, principal: Principal, target: OrderStatus, note: str | None
) -> None:
    current = OrderStatus(order.status)
    if not can_move(current, target):
        raise InvalidTransition(
            f"cannot move a {current.value} order to {target.value}",
            current_status=current.value,
            allowed_targets=[t.value for t in allowed_targets(current)],
        )
    deciding = current is S.AWAITING_APPROVAL and target in (S.IN_PROGRESS, S.CANCELLED)
    if deciding and principal.role == "mechanic":
        raise Forbidden("only the customer, an attendant or a manager decides the budget")
    now = func.now()
    if target is S.AWAITING_APPROVAL:
        order.budget_sent_at = now
    if deciding:
        order.budget_decision = "approved" if target is S.IN_PROGRESS else "rejected"
        order.budget_decided_at = now
    if target is S.IN_PROGRESS:
        _reserve_parts(s, order, principal)
    if current is S.IN_PROGRESS and target is S.CANCELLED:
        _release_parts(s, order, principal)
    if target in FINAL_STATUSES:
        order.closed_at = now
    observe.moved(s, order.id, order.unit_id, current.value, target.value)
    order.status = target.value
    _record(s, order, principal, current.value, target, note)
    events.record_status_event(s, order, target)


def transition(
    s: Session, principal: Principal, order_id: uuid.UUID, target: OrderStatus, note: str | None
) -> uuid.UUID:
    order = _lock(s, principal, order_id)
    _move(s, order, principal, target, note)
    s.commit()
    return order.id


def decide_budget(
    s: Session, principal: Principal, order_id: uuid.UUID, approve: bool, note: str | None
) -> uuid.UUID:
    order = _lock(s, principal, order_id)
    if order.status != S.AWAITING_APPROVAL.value:
        raise InvalidTransition(
            f"the budget can be decided only while AWAITING_APPROVAL (order is {order.status})",
            current_status=order.status,
        )
    default_note = "budget approved" if approve else "budget rejected"
    _move(s, order, principal, S.IN_PROGRESS if approve else S.CANCELLED, note or default_note)
    s.commit()
    return order.id
