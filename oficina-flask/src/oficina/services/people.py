"""Customers and vehicles."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oficina.domain.documents import InvalidDocument, parse_document
from oficina.domain.exceptions import Conflict, ValidationFailed
from oficina.domain.plates import InvalidPlate, normalize_plate
from oficina.models import Customer, ServiceOrder, Vehicle
from oficina.services.common import (
    apply_changes,
    ensure_unique,
    get_or_404,
    get_referenced,
    paginate,
)


def _document(text: str) -> tuple[str, str]:
    try:
        doc_type, digits = parse_document(text)
    except InvalidDocument as exc:
        raise ValidationFailed("document", str(exc)) from exc
    return doc_type.value, digits


def _plate(text: str) -> str:
    try:
        return normalize_plate(text)
    except InvalidPlate as exc:
        raise ValidationFailed("plate", str(exc)) from exc


def create_customer(s: Session, data: dict[str, Any]) -> Customer:
    doc_type, digits = _document(data.pop("document"))
    ensure_unique(s, Customer.document, digits, "customer document")
    customer = Customer(document_type=doc_type, document=digits, **data)
    s.add(customer)
    s.flush()
    return customer


def list_customers(s: Session, *, document: str | None, page: int, page_size: int):
    query = select(Customer).order_by(Customer.name, Customer.id)
    if document:
        _, digits = _document(document)
        query = query.where(Customer.document == digits)
    return paginate(s, query, page, page_size)


def get_customer(s: Session, customer_id: uuid.UUID) -> Customer:
    return get_or_404(s, Customer, customer_id, "customer")


def update_customer(s: Session, customer_id: uuid.UUID, data: dict[str, Any]) -> Customer:
    customer = get_customer(s, customer_id)
    if "document" in data:
        doc_type, digits = _document(data.pop("document"))
        ensure_unique(s, Customer.document, digits, "customer document", exclude=customer.id)
        customer.document_type, customer.document = doc_type, digits
    if data.get("status") == "active":
        customer.deactivated_at = None
    apply_changes(customer, data)
    s.flush()
    return customer


def deactivate_customer(s: Session, customer_id: uuid.UUID) -> None:
    """DELETE keeps the row (orders and history point at it); the customer can no longer sign in."""
    customer = get_customer(s, customer_id)
    if customer.status != "inactive":
        customer.status = "inactive"
        customer.deactivated_at = func.now()
    s.flush()


def create_vehicle(s: Session, data: dict[str, Any]) -> Vehicle:
    plate = _plate(data.pop("plate"))
    owner = get_referenced(s, Customer, data["customer_id"], "customer_id", "customer")
    if owner.status != "active":
        raise ValidationFailed("customer_id", "the customer is inactive")
    ensure_unique(s, Vehicle.plate, plate, "vehicle plate")
    vehicle = Vehicle(plate=plate, **data)
    s.add(vehicle)
    s.flush()
    return vehicle


def list_vehicles(
    s: Session, *, customer_id: uuid.UUID | None, plate: str | None, page: int, page_size: int
):
    query = select(Vehicle).order_by(Vehicle.plate)
    if customer_id:
        query = query.where(Vehicle.customer_id == customer_id)
    if plate:
        query = query.where(Vehicle.plate == _plate(plate))
    return paginate(s, query, page, page_size)


def get_vehicle(s: Session, vehicle_id: uuid.UUID) -> Vehicle:
    return get_or_404(s, Vehicle, vehicle_id, "vehicle")


def update_vehicle(s: Session, vehicle_id: uuid.UUID, data: dict[str, Any]) -> Vehicle:
    vehicle = get_vehicle(s, vehicle_id)
    if "plate" in data:
        plate = _plate(data.pop("plate"))
        ensure_unique(s, Vehicle.plate, plate, "vehicle plate", exclude=vehicle.id)
        vehicle.plate = plate
    if "customer_id" in data:
        get_referenced(s, Customer, data["customer_id"], "customer_id", "customer")
    apply_changes(vehicle, data)
    s.flush()
    return vehicle


def delete_vehicle(s: Session, vehicle_id: uuid.UUID) -> None:
    vehicle = get_vehicle(s, vehicle_id)
    has_orders = s.execute(
        select(ServiceOrder.id).where(ServiceOrder.vehicle_id == vehicle.id).limit(1)
    ).first()
    if has_orders:
        raise Conflict("the vehicle has service orders and cannot be deleted")
    s.delete(vehicle)
    s.flush()
