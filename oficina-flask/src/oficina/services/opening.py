"""Opening a service order: two prepared statements and a commit (ADR 0030).

The unit of work spent ten round trips and most of the request's CPU here (three ``get``s,
one catalog read per line kind, the idempotency lookup, an INSERT per row and the flushes).
Opening is the busiest write of the front desk, so it reads every reference it checks in one
statement and writes the order, its lines, its first history row and the idempotency key in
one statement of data-modifying CTEs. The rules are the same as the ORM path's and are checked
in Python, in the same order, before anything is written; the database constraints still back
them. Changing items later (orders.replace_items) keeps the ORM.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oficina.domain.exceptions import Forbidden, ValidationFailed
from oficina.extensions.auth import Principal
from oficina.extensions.prepared import Prepared
from oficina.observability import metrics
from oficina.observability import orders as observe
from oficina.services.orders import PART_LINES, SERVICE_LINES, LineKind, ensure_distinct
from oficina.services.read_models import detail_document


@dataclass(frozen=True)
class Opened:
    order_id: uuid.UUID
    # A new order's detail document, straight from its INSERT; None for a replay (a known key).
    document: str | None


_REFERENCES = Prepared(
    "open_order_references",
    """
    SELECT
        (SELECT status FROM customers WHERE id = :customer_id) AS customer_status,
        (SELECT customer_id FROM vehicles WHERE id = :vehicle_id) AS vehicle_owner,
        (SELECT code FROM units WHERE id = :unit_id) AS unit_code,
        (SELECT json_object_agg(id, price::text) FROM services
            WHERE id = ANY(CAST(:service_ids AS uuid[])) AND active) AS service_prices,
        (SELECT json_object_agg(id, unit_price::text) FROM parts
            WHERE id = ANY(CAST(:part_ids AS uuid[])) AND active) AS part_prices,
        (SELECT json_build_object('request_hash', request_hash, 'order_id', service_order_id)
            FROM idempotency_keys
            WHERE actor_id = :actor_id AND key = CAST(:key AS text)) AS stored_key
    """,
)

_LINES = """
    INSERT INTO {table} (service_order_id, {key}, quantity, unit_price)
    SELECT new_order.id, line.item, line.quantity, line.unit_price
    FROM new_order, unnest(
        CAST(:{prefix}_ids AS uuid[]),
        CAST(:{prefix}_quantities AS integer[]),
        CAST(:{prefix}_prices AS numeric[])
    ) WITH ORDINALITY AS line (item, quantity, unit_price, position)
    ORDER BY line.position
    RETURNING *"""

_SERVICE_LINES = _LINES.format(table="service_order_services", key="service_id", prefix="service")
_PART_LINES = _LINES.format(table="service_order_parts", key="part_id", prefix="part")

# Only module constants are interpolated: every value travels as a parameter.
_INSERT = Prepared(
    "open_order_insert",
    f"""
    WITH new_order AS (
        INSERT INTO service_orders (
            id, unit_id, customer_id, vehicle_id, status, description,
            services_total, parts_total, version)
        VALUES (
            :order_id, :unit_id, :customer_id, :vehicle_id, 'RECEIVED',
            :description, :services_total, :parts_total, 1)
        RETURNING *
    ),
    service_lines AS ({_SERVICE_LINES}),
    part_lines AS ({_PART_LINES}),
    first_status AS (
        INSERT INTO service_order_status_history (
            service_order_id, from_status, to_status, changed_by_staff_id,
            changed_by_customer_id, note)
        SELECT id, NULL, 'RECEIVED', :staff_id, :customer_actor_id,
            'order opened'
        FROM new_order
        RETURNING *
    ),
    idempotency AS (
        INSERT INTO idempotency_keys (actor_id, key, request_hash, service_order_id)
        SELECT :actor_id, CAST(:key AS text), :request_hash, id
        FROM new_order WHERE CAST(:key AS text) IS NOT NULL
    )
    -- The CTEs' own rows (a statement cannot read what it writes from the tables): the
    -- document the detail read would return, without that read.
    SELECT {detail_document("service_lines", "part_lines", "first_status")} AS document
    FROM new_order o
    """,
)


# The line kinds of the ORM path (orders.py): same keys, fields and messages.
_PRICES = {SERVICE_LINES.key: "service_prices", PART_LINES.key: "part_prices"}


def request_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stored(row: Any, digest: str) -> Opened | None:
    """A retry with a key already used: the same order, or 422 when the body differs."""
    if row.stored_key is None:
        return None
    if row.stored_key["request_hash"] != digest:
        raise ValidationFailed(
            "Idempotency-Key", "this key was already used with a different request body"
        )
    return Opened(uuid.UUID(str(row.stored_key["order_id"])), document=None)


def _lines(kind: LineKind, items: list[dict[str, Any]], row: Any):
    """(ids, quantities, frozen unit prices, total) of one line kind, in request order."""
    ensure_distinct(items, kind.key, kind.field)
    prices: dict[str, str] | None = getattr(row, _PRICES[kind.key])
    ids = [item[kind.key] for item in items]
    quantities = [item["quantity"] for item in items]
    unit_prices = []
    for ident in ids:
        price = (prices or {}).get(str(ident))
        if price is None:
            raise ValidationFailed(kind.field, kind.missing.format(ident))
        unit_prices.append(Decimal(price))
    total = sum((p * q for p, q in zip(unit_prices, quantities, strict=True)), Decimal("0.00"))
    return ids, quantities, unit_prices, total


def _check_references(row: Any, data: dict[str, Any], principal: Principal, unit_id) -> None:
    if row.customer_status is None:
        raise ValidationFailed("customer_id", f"customer {data['customer_id']} does not exist")
    if row.customer_status != "active":
        raise ValidationFailed("customer_id", "the customer is inactive")
    if row.vehicle_owner is None:
        raise ValidationFailed("vehicle_id", f"vehicle {data['vehicle_id']} does not exist")
    if str(row.vehicle_owner) != str(data["customer_id"]):
        raise ValidationFailed("vehicle_id", "the vehicle does not belong to this customer")
    if unit_id is None:
        raise ValidationFailed("unit_id", "the order needs a unit")
    if unit_id != principal.unit_id and not principal.is_manager:
        raise Forbidden("only a manager may open orders for another unit")
    if row.unit_code is None:
        raise ValidationFailed("unit_id", f"unit {unit_id} does not exist")


def open_order(
    s: Session, principal: Principal, data: dict[str, Any], idempotency_key: str | None
) -> Opened:
    digest = request_hash(data)
    unit_id = data.get("unit_id") or principal.unit_id
    services, parts = data.get("services", []), data.get("parts", [])
    references = {
        "customer_id": data["customer_id"],
        "vehicle_id": data["vehicle_id"],
        "unit_id": unit_id,
        "service_ids": [item["service_id"] for item in services],
        "part_ids": [item["part_id"] for item in parts],
        "actor_id": principal.subject,
        "key": idempotency_key,
    }
    row = _REFERENCES.execute(s, references).one()
    replay = _stored(row, digest)
    if replay:
        return replay
    _check_references(row, data, principal, unit_id)
    service_ids, service_quantities, service_prices, services_total = _lines(
        SERVICE_LINES, services, row
    )
    part_ids, part_quantities, part_prices, parts_total = _lines(PART_LINES, parts, row)

    order_id = uuid.uuid4()
    staff = not principal.is_customer
    try:
        document = _INSERT.execute(
            s,
            {
                "order_id": order_id,
                "unit_id": unit_id,
                "customer_id": data["customer_id"],
                "vehicle_id": data["vehicle_id"],
                "description": data.get("description"),
                "services_total": services_total,
                "parts_total": parts_total,
                "service_ids": service_ids,
                "service_quantities": service_quantities,
                "service_prices": service_prices,
                "part_ids": part_ids,
                "part_quantities": part_quantities,
                "part_prices": part_prices,
                "staff_id": principal.subject if staff else None,
                "customer_actor_id": None if staff else principal.subject,
                "actor_id": principal.subject,
                "key": idempotency_key,
                "request_hash": digest,
            },
        ).scalar_one()
        observe.opened(row.unit_code)
        s.commit()
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its order.
        s.rollback()
        metrics.discard_pending()
        replay = _stored(_REFERENCES.execute(s, references).one(), digest)
        if idempotency_key is None or replay is None:
            raise
        return replay
    return Opened(order_id, document=document)
