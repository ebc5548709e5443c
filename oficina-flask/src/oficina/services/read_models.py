"""Read models: the order documents the API returns, built by PostgreSQL in one round trip.

The ORM path (selectinload of items and history, then marshmallow) costs five round trips and
most of a request's CPU; here json_build_object/json_agg produce the exact document of
``OrderDetailSchema``/``OrderSummarySchema`` (tests compare the two) and the view sends it as is.
Statements are prepared once per connection (no planning per request), one per visibility
scope so each keeps its own index-friendly plan.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from oficina.access import OrderScope, order_scope, unit_order_scope
from oficina.extensions.auth import Principal
from oficina.extensions.prepared import Prepared


def _ts(column: str) -> str:
    """SQL rendering of a timestamptz in the API's format (see extensions.api.Timestamp)."""
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""


def _money(expression: str) -> str:
    return f"(({expression})::numeric(12, 2))::text"


_SUMMARY_FIELDS = f"""
    'id', o.id, 'number', o.number, 'unit_id', o.unit_id, 'customer_id', o.customer_id,
    'vehicle_id', o.vehicle_id, 'status', o.status,
    'budget_total', {_money("o.services_total + o.parts_total")},
    'opened_at', {_ts("o.opened_at")}, 'updated_at', {_ts("o.updated_at")},
    'closed_at', {_ts("o.closed_at")}, 'version', o.version
"""

_LINES = """coalesce((
    SELECT json_agg(json_build_object(
        '{key}', l.{key}, 'quantity', l.quantity, 'unit_price', {price},
        'line_total', {total}) ORDER BY l.id)
    FROM {table} l WHERE l.service_order_id = o.id), '[]'::json)"""


def detail_document(services: str, parts: str, history: str) -> str:
    """SQL of the detail document of order ``o``, its lines and history read from the named
    relations: the tables, or the CTEs of the statement that has just written them
    (services/opening.py returns a new order's document from its INSERT)."""
    return f"""json_build_object(
    {_SUMMARY_FIELDS},
    'description', o.description,
    'budget', json_build_object(
        'services_total', {_money("o.services_total")},
        'parts_total', {_money("o.parts_total")},
        'total', {_money("o.services_total + o.parts_total")},
        'sent_at', {_ts("o.budget_sent_at")},
        'decision', o.budget_decision,
        'decided_at', {_ts("o.budget_decided_at")}),
    'services', {_lines("service_id", services)},
    'parts', {_lines("part_id", parts)},
    'history', coalesce((
        SELECT json_agg(json_build_object(
            'from_status', h.from_status, 'to_status', h.to_status,
            'changed_at', {_ts("h.changed_at")},
            'changed_by_staff_id', h.changed_by_staff_id,
            'changed_by_customer_id', h.changed_by_customer_id,
            'note', h.note) ORDER BY h.changed_at, h.id)
        FROM {history} h WHERE h.service_order_id = o.id), '[]'::json)
)::text"""


def _lines(key: str, relation: str) -> str:
    return _LINES.format(
        key=key,
        table=relation,
        price=_money("l.unit_price"),
        total=_money("l.unit_price * l.quantity"),
    )


_TABLES = ("service_order_services", "service_order_parts", "service_order_status_history")
_DETAIL = f"""
SELECT {detail_document(*_TABLES)}
FROM service_orders o
WHERE o.id = :order_id AND {{scope}}
"""


# The visibility rule (access.order_scope) in SQL, one statement per scope kind.
_SCOPES = {
    "customer": "o.customer_id = :customer_id",
    "unit": "o.unit_id = :unit_id",
    "all": "TRUE",
}


def _scope_params(scope: OrderScope) -> dict[str, Any]:
    if scope.kind == "customer":
        return {"customer_id": scope.id}
    if scope.kind == "unit":
        return {"unit_id": scope.id}
    return {}


def _statements(name: str, template: str, *, generic_plan: bool = False) -> dict[str, Prepared]:
    return {
        scope: Prepared(
            f"{name}_{scope}",
            template.replace("{scope}", where),
            standalone_read=True,
            generic_plan=generic_plan,
        )
        for scope, where in _SCOPES.items()
    }


_DETAILS = _statements("order_detail", _DETAIL)


def order_detail(s: Session, principal: Principal, order_id: uuid.UUID) -> str | None:
    """The order as JSON text, or None when it does not exist for this caller."""
    scope = order_scope(principal)
    statement = _DETAILS[scope.kind]
    return statement.execute(s, {"order_id": order_id, **_scope_params(scope)}).scalar_one_or_none()


# One row whatever the page: the page's rows come from the queue index (LIMIT stops the scan;
# PostgreSQL builds the documents of those rows alone) and are aggregated into the JSON array;
# the total is one uncorrelated count (an index-only scan, run once), which costs half of a
# `count(*) OVER ()` that would carry every active row through the window. An aggregate always
# answers one row, so an empty page needs no second query for its total.
_PAGE = f"""
SELECT coalesce(json_agg(json_build_object({_SUMMARY_FIELDS}) ORDER BY {{order_by}}), '[]')::text
           AS document,
       (SELECT count(*) FROM service_orders o WHERE {{where}} AND {{scope}}) AS total
FROM (
    SELECT * FROM service_orders o
    WHERE {{where}} AND {{scope}}
    ORDER BY {{order_by}}
    LIMIT :limit OFFSET :offset
) o
"""

_ACTIVE = "o.queue_rank IS NOT NULL"  # the partial index ix_service_orders_active_queue
_BY_STATUS = "o.status = ANY(:statuses)"
_PAGES = {
    # The queue and a customer's orders are an index scan whatever the values. A status filter
    # is not: a rare status wants its index, a final one matches most of the table, so it keeps
    # a plan per execution (a generic plan scanned the table: 2 -> 59 ms in er-diagrams).
    "active": _statements(
        "order_page_active",
        _PAGE.format(where=_ACTIVE, scope="{scope}", order_by="o.queue_rank, o.opened_at, o.id"),
        generic_plan=True,
    ),
    "by_status": _statements(
        "order_page_by_status",
        _PAGE.format(
            where=_BY_STATUS,
            scope="{scope}",
            order_by="coalesce(o.queue_rank, 9), o.opened_at, o.id",
        ),
    ),
    "newest": _statements(
        "order_page_newest",
        _PAGE.format(where="TRUE", scope="{scope}", order_by="o.opened_at DESC, o.id"),
        generic_plan=True,
    ),
}


def _page(
    s: Session, kind: str, scope: OrderScope, params: dict[str, Any], page: int, page_size: int
) -> tuple[str, int]:
    """The page as a JSON array and the total, from one statement."""
    query = {**params, **_scope_params(scope), "limit": page_size, "offset": (page - 1) * page_size}
    row = _PAGES[kind][scope.kind].execute(s, query).one()
    return row.document, row.total


def order_page(
    s: Session,
    principal: Principal,
    *,
    statuses: list[str] | None,
    unit_id: uuid.UUID | None,
    page: int,
    page_size: int,
) -> tuple[str, int]:
    scope = order_scope(principal) if unit_id is None else unit_order_scope(principal, unit_id)
    if scope is None:
        return "[]", 0  # a unit the caller cannot see
    if statuses:
        return _page(s, "by_status", scope, {"statuses": list(statuses)}, page, page_size)
    return _page(s, "active", scope, {}, page, page_size)


def customer_order_page(
    s: Session, principal: Principal, page: int, page_size: int
) -> tuple[str, int]:
    return _page(s, "newest", order_scope(principal), {}, page, page_size)
