"""The service catalog, parts and supplies, and stock entries (every change in the ledger)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oficina.domain.exceptions import Conflict, ValidationFailed
from oficina.models import Part, Service, StockMovement
from oficina.services.common import apply_changes, ensure_unique, get_or_404, paginate


def create_service(s: Session, data: dict[str, Any]) -> Service:
    ensure_unique(s, Service.name, data["name"], "service name")
    service = Service(**data)
    s.add(service)
    s.flush()
    return service


def list_services(s: Session, *, include_inactive: bool, page: int, page_size: int):
    query = select(Service).order_by(Service.name)
    if not include_inactive:
        query = query.where(Service.active.is_(True))
    return paginate(s, query, page, page_size)


def get_service(s: Session, service_id: uuid.UUID) -> Service:
    return get_or_404(s, Service, service_id, "service")


def update_service(s: Session, service_id: uuid.UUID, data: dict[str, Any]) -> Service:
    service = get_service(s, service_id)
    if "name" in data:
        ensure_unique(s, Service.name, data["name"], "service name", exclude=service.id)
    apply_changes(service, data)
    s.flush()
    return service


def retire_service(s: Session, service_id: uuid.UUID) -> None:
    """Orders keep referring to retired services; they just cannot be added to new ones."""
    get_service(s, service_id).active = False
    s.flush()


def create_part(s: Session, data: dict[str, Any], staff_id: uuid.UUID) -> Part:
    ensure_unique(s, Part.sku, data["sku"], "part SKU")
    initial = data.pop("stock_quantity", 0)
    part = Part(stock_quantity=initial, **data)
    s.add(part)
    s.flush()
    if initial:
        s.add(StockMovement(part_id=part.id, quantity=initial, reason="initial", staff_id=staff_id))
        s.flush()
    return part


def list_parts(
    s: Session, *, below_minimum: bool, include_inactive: bool, page: int, page_size: int
):
    query = select(Part).order_by(Part.name, Part.id)
    if not include_inactive:
        query = query.where(Part.active.is_(True))
    if below_minimum:
        query = query.where(Part.stock_quantity < Part.minimum_stock)
    return paginate(s, query, page, page_size)


def get_part(s: Session, part_id: uuid.UUID) -> Part:
    return get_or_404(s, Part, part_id, "part")


def update_part(s: Session, part_id: uuid.UUID, data: dict[str, Any]) -> Part:
    part = get_part(s, part_id)
    if "sku" in data:
        ensure_unique(s, Part.sku, data["sku"], "part SKU", exclude=part.id)
    apply_changes(part, data)
    s.flush()
    return part


def retire_part(s: Session, part_id: uuid.UUID) -> None:
    get_part(s, part_id).active = False
    s.flush()


def add_stock_entry(
    s: Session, part_id: uuid.UUID, data: dict[str, Any], staff_id: uuid.UUID
) -> StockMovement:
    """Restock (positive) or adjust (either sign); stock may never end below zero."""
    get_part(s, part_id)
    quantity, reason = data["quantity"], data["reason"]
    if reason == "restock" and quantity <= 0:
        raise ValidationFailed("quantity", "a restock must add a positive quantity")
    changed = s.execute(
        update(Part)
        .where(Part.id == part_id, Part.stock_quantity + quantity >= 0)
        .values(stock_quantity=Part.stock_quantity + quantity)
        .returning(Part.id)
    ).first()
    if changed is None:
        raise Conflict("the adjustment would take the stock below zero")
    movement = StockMovement(
        part_id=part_id, quantity=quantity, reason=reason, staff_id=staff_id, note=data.get("note")
    )
    s.add(movement)
    s.flush()
    s.expire_all()
    return movement


def list_stock_movements(s: Session, part_id: uuid.UUID, page: int, page_size: int):
    get_part(s, part_id)
    query = (
        select(StockMovement)
        .where(StockMovement.part_id == part_id)
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
    )
    return paginate(s, query, page, page_size)
