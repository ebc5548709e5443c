"""The application's queries, as the database receives them, with the index each one needs.

Copied from oficina-flask (nothing is imported across repositories): the read models in
``src/oficina/services/read_models.py`` (server-side PREPAREd statements, ``$n`` parameters),
the ORM queries of ``services/{people,catalog,orders}.py`` (as SQLAlchemy renders them, values
inlined by psycopg2), the report of ``services/reports.py`` and the auth function's lookups
(``lambda-cpf/src/auth_cpf/dal/postgres.py``). ``index`` is the index the plan is expected to
use (``None`` when the point is that no index serves it).
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _ts(column: str) -> str:
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""


def _money(expression: str) -> str:
    return f"(({expression})::numeric(12, 2))::text"


_SUMMARY_FIELDS = f"""
    'id', o.id, 'number', o.number, 'unit_id', o.unit_id, 'customer_id', o.customer_id,
    'vehicle_id', o.vehicle_id, 'status', o.status,
    'budget_total', {_money("o.services_total + o.parts_total")},
    'opened_at', {_ts("o.opened_at")}, 'updated_at', {_ts("o.updated_at")},
    'closed_at', {_ts("o.closed_at")}, 'version', o.version"""

_LINES = """coalesce((
    SELECT json_agg(json_build_object(
        '{key}', l.{key}, 'quantity', l.quantity, 'unit_price', {price},
        'line_total', {total}) ORDER BY l.id)
    FROM {table} l WHERE l.service_order_id = o.id), '[]'::json)"""


def _lines(key: str, table: str) -> str:
    return _LINES.format(
        key=key,
        table=table,
        price=_money("l.unit_price"),
        total=_money("l.unit_price * l.quantity"),
    )


ORDER_DETAIL = f"""
SELECT json_build_object(
    {_SUMMARY_FIELDS},
    'description', o.description,
    'budget', json_build_object(
        'services_total', {_money("o.services_total")},
        'parts_total', {_money("o.parts_total")},
        'total', {_money("o.services_total + o.parts_total")},
        'sent_at', {_ts("o.budget_sent_at")},
        'decision', o.budget_decision,
        'decided_at', {_ts("o.budget_decided_at")}),
    'services', {_lines("service_id", "service_order_services")},
    'parts', {_lines("part_id", "service_order_parts")},
    'history', coalesce((
        SELECT json_agg(json_build_object(
            'from_status', h.from_status, 'to_status', h.to_status,
            'changed_at', {_ts("h.changed_at")},
            'changed_by_staff_id', h.changed_by_staff_id,
            'changed_by_customer_id', h.changed_by_customer_id,
            'note', h.note) ORDER BY h.changed_at, h.id)
        FROM service_order_status_history h WHERE h.service_order_id = o.id), '[]'::json)
)::text
FROM service_orders o
WHERE o.id = $1 AND o.customer_id = $2"""


def _page(where: str, order_by: str) -> str:
    return f"""
SELECT coalesce(json_agg(json_build_object({_SUMMARY_FIELDS}) ORDER BY {order_by}), '[]')::text
           AS document,
       (SELECT count(*) FROM service_orders o WHERE {where}) AS total
FROM (
    SELECT * FROM service_orders o
    WHERE {where}
    ORDER BY {order_by}
    LIMIT $LIMIT OFFSET $OFFSET
) o"""


_VISITS = """
WITH visits AS (
    SELECT h.service_order_id,
           o.unit_id,
           h.to_status AS status,
           h.changed_at AS entered_at,
           lead(h.changed_at) OVER (
               PARTITION BY h.service_order_id ORDER BY h.changed_at, h.id
           ) AS left_at
    FROM service_order_status_history h
    JOIN service_orders o ON o.id = h.service_order_id
    WHERE (CAST(%(unit_id)s AS uuid) IS NULL OR o.unit_id = CAST(%(unit_id)s AS uuid))
)"""

REPORT_PER_STATUS = (
    _VISITS
    + """
SELECT status,
       count(*) FILTER (WHERE left_at IS NOT NULL) AS visits,
       avg(extract(epoch FROM left_at - entered_at) / 60)
           FILTER (WHERE left_at IS NOT NULL) AS avg_minutes,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - entered_at) / 60)
           FILTER (WHERE left_at IS NOT NULL) AS median_minutes,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM left_at - entered_at) / 60)
           FILTER (WHERE left_at IS NOT NULL) AS p90_minutes,
       count(*) FILTER (WHERE left_at IS NULL) AS open_visits,
       avg(extract(epoch FROM now() - entered_at) / 60)
           FILTER (WHERE left_at IS NULL) AS open_avg_age_minutes
FROM visits
WHERE status NOT IN ('DELIVERED', 'CANCELLED')
  AND (CAST(%(date_from)s AS date) IS NULL OR coalesce(left_at, now()) >= CAST(%(date_from)s AS date))
  AND (CAST(%(date_to)s AS date) IS NULL
       OR coalesce(left_at, now()) < CAST(%(date_to)s AS date) + 1)
GROUP BY status"""
)


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    source: str
    sql: str
    params: dict = field(default_factory=dict)
    index: str | None = None
    prepared: bool = False  # the app PREPAREs it: explain the 6th EXECUTE, as the app runs it
    generic_plan: bool = (
        False  # ... with plan_cache_mode = force_generic_plan (Prepared.generic_plan)
    )
    note: str = ""


# An order in the middle of the numbering (exists at any scale).
_PICK_ORDER = (
    "SELECT id::text FROM service_orders "
    "WHERE number = (SELECT max(number) * 3 / 5 FROM service_orders)"
)

# Parameters are filled from the data set by evidence.py (``params`` names SQL producing them).
QUERIES = [
    Query(
        "active_queue_all",
        "Active-orders queue, all units (manager: GET /service-orders)",
        "read_models.order_page -> order_page_active_all",
        _page("o.queue_rank IS NOT NULL AND TRUE", "o.queue_rank, o.opened_at, o.id")
        .replace("$LIMIT", "$1")
        .replace("$OFFSET", "$2"),
        {"limit": "SELECT 20", "offset": "SELECT 0"},
        "ix_service_orders_active_queue",
        prepared=True,
        generic_plan=True,
    ),
    Query(
        "active_queue_unit",
        "Active-orders queue of one unit (attendant/mechanic: GET /service-orders)",
        "read_models.order_page -> order_page_active_unit",
        _page("o.queue_rank IS NOT NULL AND o.unit_id = $1", "o.queue_rank, o.opened_at, o.id")
        .replace("$LIMIT", "$2")
        .replace("$OFFSET", "$3"),
        {"unit_id": "SELECT md5('u1')::uuid::text", "limit": "SELECT 20", "offset": "SELECT 0"},
        "ix_service_orders_unit_active_queue",
        prepared=True,
        generic_plan=True,
    ),
    Query(
        "by_status_unit",
        "Orders of one unit in given statuses (GET /service-orders?status=AWAITING_APPROVAL)",
        "read_models.order_page -> order_page_by_status_unit",
        _page(
            "o.status = ANY($1) AND o.unit_id = $2",
            "coalesce(o.queue_rank, 9), o.opened_at, o.id",
        )
        .replace("$LIMIT", "$3")
        .replace("$OFFSET", "$4"),
        {
            "statuses": "SELECT '{AWAITING_APPROVAL}'::text[]",
            "unit_id": "SELECT md5('u1')::uuid::text",
            "limit": "SELECT 20",
            "offset": "SELECT 0",
        },
        "ix_service_orders_status_opened_at",
        prepared=True,
    ),
    Query(
        "by_status_delivered_all",
        "All delivered orders, all units (GET /service-orders?status=DELIVERED, manager)",
        "read_models.order_page -> order_page_by_status_all",
        _page("o.status = ANY($1) AND TRUE", "coalesce(o.queue_rank, 9), o.opened_at, o.id")
        .replace("$LIMIT", "$2")
        .replace("$OFFSET", "$3"),
        {"statuses": "SELECT '{DELIVERED}'::text[]", "limit": "SELECT 20", "offset": "SELECT 0"},
        None,
        prepared=True,
        note="A final status matches most of the table: no index can help the exact total "
        "(count(*) reads every matching row) nor the coalesce() ordering.",
    ),
    Query(
        "customer_orders",
        "A customer's own orders, newest first (GET /me/service-orders)",
        "read_models.customer_order_page -> order_page_newest_customer",
        _page("TRUE AND o.customer_id = $1", "o.opened_at DESC, o.id")
        .replace("$LIMIT", "$2")
        .replace("$OFFSET", "$3"),
        {
            "customer_id": "SELECT md5('c1')::uuid::text",
            "limit": "SELECT 20",
            "offset": "SELECT 0",
        },
        "ix_service_orders_customer_id_opened_at",
        prepared=True,
        generic_plan=True,
    ),
    Query(
        "order_detail",
        "One order with its lines and history (GET /service-orders/{id}, customer scope)",
        "read_models.order_detail -> order_detail_customer",
        ORDER_DETAIL,
        {
            "order_id": _PICK_ORDER,
            "customer_id": f"SELECT customer_id::text FROM service_orders WHERE id = ({_PICK_ORDER})::uuid",
        },
        "ix_service_order_status_history_order_changed",
        prepared=True,
        note="Also uses pk_service_orders and the (service_order_id, ...) unique indexes of "
        "both line tables for the line subqueries.",
    ),
    Query(
        "lock_order",
        "Lock an order before a move (POST /service-orders/{id}/transitions, budget decision)",
        "services/orders.py _lock (SELECT ... FOR UPDATE)",
        "SELECT service_orders.id, service_orders.status, service_orders.version "
        "FROM service_orders WHERE service_orders.id = %(order_id)s "
        "AND service_orders.unit_id = %(unit_id)s FOR UPDATE",
        {
            "order_id": _PICK_ORDER,
            "unit_id": f"SELECT unit_id::text FROM service_orders WHERE id = ({_PICK_ORDER})::uuid",
        },
        "pk_service_orders",
    ),
    Query(
        "vehicle_has_orders",
        "Can this vehicle be deleted? (DELETE /vehicles/{id})",
        "services/people.py delete_vehicle",
        "SELECT service_orders.id FROM service_orders "
        "WHERE service_orders.vehicle_id = %(vehicle_id)s LIMIT 1",
        {"vehicle_id": "SELECT md5('v1')::uuid::text"},
        "ix_service_orders_vehicle_id",
    ),
    Query(
        "vehicles_of_customer",
        "A customer's vehicles (GET /vehicles?customer_id=)",
        "services/people.py list_vehicles",
        "SELECT vehicles.id, vehicles.plate FROM vehicles "
        "WHERE vehicles.customer_id = %(customer_id)s ORDER BY vehicles.plate LIMIT 20 OFFSET 0",
        {"customer_id": "SELECT md5('c1')::uuid::text"},
        "ix_vehicles_customer_id",
    ),
    Query(
        "vehicle_by_plate",
        "Find a vehicle by plate (GET /vehicles?plate=, and the uniqueness check on create)",
        "services/people.py list_vehicles / _unique_or_conflict",
        "SELECT vehicles.id FROM vehicles WHERE vehicles.plate = %(plate)s",
        {"plate": "SELECT plate FROM vehicles WHERE id = md5('v777')::uuid"},
        "uq_vehicles_plate",
    ),
    Query(
        "customer_by_document",
        "Customer sign-in by CPF (auth function)",
        "lambda-cpf dal/postgres.py _FIND_CUSTOMER",
        "SELECT id::text, status FROM customers WHERE document = %(document)s "
        "AND document_type = 'CPF' ORDER BY (status = 'active') DESC LIMIT 1",
        {"document": "SELECT '00000004242'"},
        "uq_customers_document",
    ),
    Query(
        "staff_by_cpf",
        "Staff sign-in by CPF (auth function)",
        "lambda-cpf dal/postgres.py _FIND_STAFF",
        "SELECT id::text, role, unit_id::text, password_hash, active FROM staff_users "
        "WHERE cpf = %(cpf)s",
        {"cpf": "SELECT '90000000007'"},
        "uq_staff_users_cpf",
    ),
    Query(
        "idempotency_replay",
        "Replay of POST /service-orders with the same Idempotency-Key",
        "services/opening.py _REFERENCES (its stored_key subquery)",
        "SELECT json_build_object('request_hash', request_hash, 'order_id', service_order_id) "
        "FROM idempotency_keys WHERE actor_id = %(actor_id)s AND key = CAST(%(key)s AS text)",
        {
            "actor_id": "SELECT actor_id::text FROM idempotency_keys ORDER BY key LIMIT 1",
            "key": "SELECT key FROM idempotency_keys ORDER BY key LIMIT 1",
        },
        "pk_idempotency_keys",
    ),
    Query(
        "stock_movements_of_part",
        "A part's stock ledger, newest first (GET /parts/{id}/stock-entries)",
        "services/catalog.py list_stock_movements",
        "SELECT stock_movements.id, stock_movements.quantity, stock_movements.reason, "
        "stock_movements.created_at FROM stock_movements "
        "WHERE stock_movements.part_id = %(part_id)s "
        "ORDER BY stock_movements.created_at DESC, stock_movements.id DESC LIMIT 20 OFFSET 0",
        {"part_id": "SELECT md5('p1')::uuid::text"},
        "ix_stock_movements_part_id_created_at",
    ),
    Query(
        "customers_page",
        "Customers list, first page (GET /customers)",
        "services/people.py list_customers",
        "SELECT customers.id, customers.name FROM customers "
        "ORDER BY customers.name, customers.id LIMIT 20 OFFSET 0",
        {},
        None,
        note="No index on (name, id): every page sorts the whole table (top-N heapsort).",
    ),
    Query(
        "report_per_status",
        "Average time per status of one unit (GET /reports/service-execution-time)",
        "services/reports.py _PER_STATUS",
        REPORT_PER_STATUS,
        {
            "unit_id": "SELECT md5('u1')::uuid::text",
            "date_from": "SELECT (now() - interval '30 days')::date::text",
            "date_to": "SELECT now()::date::text",
        },
        None,
        note="The date filter applies to the computed end of each visit, so the whole history "
        "of the unit is read and sorted for lead(); ix_service_order_status_history_changed_at "
        "cannot be used. Acceptable for a manager's report; see the README.",
    ),
    Query(
        "history_since",
        "History rows changed in the last day (incremental reads by time, e.g. dbt)",
        "analytics reads (docs/contracts/analytics.md); no app query",
        "SELECT service_order_id, to_status, changed_at FROM service_order_status_history "
        "WHERE changed_at >= now() - interval '1 day'",
        {},
        "ix_service_order_status_history_changed_at",
    ),
    Query(
        "outbox_pending",
        "The relay's next batch of pending events (oficina-flask outbox relay)",
        "outbox/relay.py _CLAIM (head event of each order, SKIP LOCKED)",
        "SELECT e.id, e.service_order_id, e.event_type, e.payload, e.request_id, e.attempts "
        "FROM outbox_events e "
        "WHERE e.state = 'pending' AND e.next_attempt_at <= now() "
        "AND NOT EXISTS (SELECT 1 FROM outbox_events earlier "
        "WHERE earlier.service_order_id = e.service_order_id "
        "AND earlier.state = 'pending' AND earlier.seq < e.seq) "
        "ORDER BY e.seq LIMIT 100 FOR UPDATE OF e SKIP LOCKED",
        {},
        "ix_outbox_events_pending",
    ),
    Query(
        "outbox_order_events",
        "Events of one order in publication order (per-order FIFO check, support)",
        "models/outbox.py ix_outbox_events_order_seq",
        "SELECT seq, event_type, state FROM outbox_events "
        "WHERE service_order_id = %(order_id)s ORDER BY seq",
        {"order_id": "SELECT service_order_id::text FROM outbox_events ORDER BY seq DESC LIMIT 1"},
        "ix_outbox_events_order_seq",
    ),
]
