"""Deterministic demo data for the Oficina schema, loaded with COPY.

Every order's life is drawn from its own random stream (seed, order index), so an order's path
does not depend on how many orders are generated nor on the cut-off: extending the window by a
day (``--extend-days``) replays the same lives and inserts only what happened in the new day —
new orders, and new history rows for orders that were still open (their last visit closes).

Rows respect every constraint of the application's schema (checks, unique keys, foreign keys,
the generated ``queue_rank``; the history is only ever inserted into, as its trigger demands).
"""

from __future__ import annotations

import bisect
import io
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

import psycopg2

SAO_PAULO = timezone(timedelta(hours=-3))  # no daylight saving time since 2019
TERMINAL = ("DELIVERED", "CANCELLED")

UNITS = [
    # code, name, city, share of orders, speed (1.0 = typical; >1 slower)
    ("SP-CENTRO", "Oficina Centro", "São Paulo", 0.34, 1.00),
    ("SP-MOOCA", "Oficina Mooca", "São Paulo", 0.26, 1.20),
    ("CAMPINAS", "Oficina Campinas", "Campinas", 0.22, 0.85),
    ("SANTOS", "Oficina Santos", "Santos", 0.18, 1.10),
]
SERVICES = [
    ("Troca de óleo", 120.00, 40),
    ("Alinhamento e balanceamento", 180.00, 60),
    ("Revisão dos freios", 250.00, 120),
    ("Diagnóstico eletrônico", 150.00, 45),
    ("Troca de embreagem", 900.00, 360),
    ("Revisão da suspensão", 450.00, 180),
    ("Ar-condicionado", 300.00, 90),
    ("Troca de correia dentada", 650.00, 240),
    ("Funilaria e pintura", 1500.00, 960),
    ("Revisão completa", 800.00, 300),
]
PARTS = [
    ("OLEO-5W30", "Óleo 5W30 (litro)", "supply", 45.00),
    ("FILTRO-OLEO", "Filtro de óleo", "part", 38.00),
    ("FILTRO-AR", "Filtro de ar", "part", 52.00),
    ("PASTILHA-FREIO", "Pastilha de freio (jogo)", "part", 180.00),
    ("DISCO-FREIO", "Disco de freio", "part", 260.00),
    ("FLUIDO-FREIO", "Fluido de freio DOT4", "supply", 35.00),
    ("CORREIA-DENTADA", "Correia dentada", "part", 210.00),
    ("KIT-EMBREAGEM", "Kit de embreagem", "part", 980.00),
    ("AMORTECEDOR", "Amortecedor", "part", 340.00),
    ("GAS-AR", "Gás do ar-condicionado", "supply", 120.00),
    ("VELA-IGNICAO", "Vela de ignição", "part", 28.00),
    ("BATERIA-60AH", "Bateria 60Ah", "part", 520.00),
]
MAKES = [
    ("Volkswagen", "Gol"),
    ("Fiat", "Argo"),
    ("Chevrolet", "Onix"),
    ("Hyundai", "HB20"),
    ("Toyota", "Corolla"),
    ("Renault", "Kwid"),
    ("Honda", "Civic"),
    ("Jeep", "Renegade"),
]
# Median minutes spent in each status (lognormal around it) and the spread.
DURATION = {
    "RECEIVED": (45, 0.8),
    "IN_DIAGNOSIS": (120, 0.6),
    "AWAITING_APPROVAL": (360, 0.9),
    "IN_PROGRESS": (480, 0.7),
    "COMPLETED": (1200, 0.8),
}
# Where an order goes next: (target, probability), the budget decision included.
NEXT = {
    "RECEIVED": [("IN_DIAGNOSIS", 0.97), ("CANCELLED", 0.03)],
    "IN_DIAGNOSIS": [("AWAITING_APPROVAL", 0.98), ("CANCELLED", 0.02)],
    # approval, back to diagnosis (more to look at), refusal (cancellation)
    "AWAITING_APPROVAL": [("IN_PROGRESS", 0.78), ("IN_DIAGNOSIS", 0.10), ("CANCELLED", 0.12)],
    "IN_PROGRESS": [("COMPLETED", 0.985), ("CANCELLED", 0.015)],
    "COMPLETED": [("DELIVERED", 1.0)],
}
WEEKDAY_WEIGHT = [1.0, 1.0, 1.0, 1.0, 1.05, 0.55, 0.1]  # Monday .. Sunday


def uid(table: int, i: int) -> str:
    """A stable, valid UUID per (table, index): ids are reproducible across runs."""
    return f"{table:08x}-0000-4000-8000-{i:012x}"


def _check_digit(digits: list[int], weights: list[int]) -> int:
    rest = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if rest < 2 else 11 - rest


def cpf(n: int) -> str:
    """A CPF with valid check digits, unique per n."""
    base = [int(c) for c in f"{100_000_000 + n:09d}"[-9:]]
    d1 = _check_digit(base, list(range(10, 1, -1)))
    d2 = _check_digit([*base, d1], list(range(11, 1, -1)))
    return "".join(map(str, [*base, d1, d2]))


def cnpj(n: int) -> str:
    base = [int(c) for c in f"{n:08d}0001"]
    w1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    d1 = _check_digit(base, w1)
    d2 = _check_digit([*base, d1], [6, *w1])
    return "".join(map(str, [*base, d1, d2]))


def plate(n: int) -> str:
    """Mercosul (ABC1D23) for even n, old format (ABC1234) for odd n: never equal."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    k = n // 2
    if n % 2 == 0:
        k, d2 = divmod(k, 100)
        k, l4 = divmod(k, 26)
        k, d1 = divmod(k, 10)
        k, l3 = divmod(k, 26)
        k, l2 = divmod(k, 26)
        l1 = k % 26
        return f"{letters[l1]}{letters[l2]}{letters[l3]}{d1}{letters[l4]}{d2:02d}"
    k, d = divmod(k, 10_000)
    k, l3 = divmod(k, 26)
    k, l2 = divmod(k, 26)
    return f"{letters[k % 26]}{letters[l2]}{letters[l3]}{d:04d}"


@dataclass
class Config:
    orders: int
    days: int
    seed: int = 42
    end: date = date(2026, 11, 30)  # the data ends at midnight (São Paulo) of this day
    extend_days: int = 0  # days appended after ``end`` (with their own new orders)

    @property
    def customers(self) -> int:
        return max(1, self.orders // 2)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.end, datetime.min.time(), SAO_PAULO) - timedelta(
            days=self.days
        )

    @property
    def cutoff(self) -> datetime:
        return datetime.combine(self.end, datetime.min.time(), SAO_PAULO) + timedelta(
            days=self.extend_days
        )

    @property
    def orders_per_day(self) -> int:
        return max(1, round(self.orders / self.days))

    def orders_in_extension(self) -> int:
        return self.orders_per_day * self.extend_days


@dataclass
class Event:
    to_status: str
    at: datetime
    staff: int | None  # staff index within the unit (0 attendant, 1 mechanic, 2 manager)
    by_customer: bool = False
    note: str | None = None


@dataclass
class Order:
    index: int
    unit: int
    customer: int
    opened_at: datetime
    services: list[int]
    parts: list[tuple[int, int]]  # (part index, quantity)
    events: list[Event] = field(default_factory=list)


def _pick(rng: random.Random, choices: list[tuple[str, float]]) -> str:
    r = rng.random()
    acc = 0.0
    for target, p in choices:
        acc += p
        if r < acc:
            return target
    return choices[-1][0]


class Lives:
    """Draws the whole life of order i (independent of the cut-off)."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        weights = []
        for d in range(cfg.days):
            day = (cfg.start + timedelta(days=d)).date()
            weights.append(WEEKDAY_WEIGHT[day.weekday()])
        total = sum(weights)
        self.day_cdf = list(_accumulate([w / total for w in weights]))
        self.unit_cdf = list(_accumulate([u[3] for u in UNITS]))

    def order(self, i: int) -> Order:
        cfg = self.cfg
        rng = random.Random(cfg.seed * 1_000_003 + i)
        if i < cfg.orders:
            day = min(bisect.bisect(self.day_cdf, rng.random()), cfg.days - 1)
        else:  # orders of the appended days
            day = cfg.days + (i - cfg.orders) // cfg.orders_per_day
        unit = min(bisect.bisect(self.unit_cdf, rng.random()), len(UNITS) - 1)
        minute = rng.randint(7 * 60, 18 * 60)  # business hours, São Paulo time
        opened = cfg.start + timedelta(days=day, minutes=minute, seconds=rng.randint(0, 59))
        customer = rng.randrange(cfg.customers)
        services = rng.sample(range(len(SERVICES)), rng.choice((1, 1, 1, 2, 2, 3)))
        parts = [(p, rng.randint(1, 4)) for p in rng.sample(range(len(PARTS)), rng.randint(0, 3))]
        order = Order(i, unit, customer, opened, services, parts)
        speed = UNITS[unit][4] * (1 + 0.15 * (len(services) - 1))
        status, at = "RECEIVED", opened
        order.events.append(Event("RECEIVED", at, 0, note="order opened"))
        while status not in TERMINAL:
            median, sigma = DURATION[status]
            minutes = rng.lognormvariate(math.log(median * speed), sigma)
            at = at + timedelta(seconds=max(60, round(minutes * 60)))
            target = _pick(rng, NEXT[status])
            decided = status == "AWAITING_APPROVAL" and target in ("IN_PROGRESS", "CANCELLED")
            by_customer = decided and rng.random() < 0.6
            note = None
            if decided:
                note = "budget approved" if target == "IN_PROGRESS" else "budget rejected"
            elif target == "IN_DIAGNOSIS" and status == "AWAITING_APPROVAL":
                note = "back to diagnosis"
            staff = None if by_customer else (1 if target in ("IN_DIAGNOSIS", "COMPLETED") else 0)
            order.events.append(Event(target, at, staff, by_customer, note))
            status = target
        return order


def _accumulate(values: list[float]) -> Iterator[float]:
    acc = 0.0
    for v in values:
        acc += v
        yield acc


def _ts(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00")


def _val(value: object) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


class Copier:
    """Tab-separated buffers flushed with COPY FROM STDIN."""

    def __init__(self, cur, table: str, columns: list[str]) -> None:
        self.cur, self.table, self.columns = cur, table, columns
        self.buf = io.StringIO()
        self.rows = 0

    def add(self, *values: object) -> None:
        self.buf.write("\t".join(_val(v) for v in values))
        self.buf.write("\n")
        self.rows += 1

    def flush(self) -> None:
        if self.buf.tell() == 0:
            return
        self.buf.seek(0)
        sql = f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN"
        self.cur.copy_expert(sql, self.buf)
        self.buf = io.StringIO()


# Table tags of the deterministic ids.
T_UNIT, T_CUSTOMER, T_VEHICLE, T_STAFF, T_SERVICE, T_PART, T_ORDER = range(1, 8)


def _order_state(order: Order, events: list[Event]) -> dict[str, object]:
    """The service_orders columns after ``events`` (a prefix of the order's life)."""
    last = events[-1]
    sent = [e.at for e in events if e.to_status == "AWAITING_APPROVAL"]
    decision = None
    decided_at = None
    for prev, e in zip(events, events[1:], strict=False):
        if prev.to_status == "AWAITING_APPROVAL" and e.to_status in ("IN_PROGRESS", "CANCELLED"):
            decision = "approved" if e.to_status == "IN_PROGRESS" else "rejected"
            decided_at = e.at
    return {
        "status": last.to_status,
        "budget_sent_at": sent[-1] if sent else None,
        "budget_decision": decision,
        "budget_decided_at": decided_at,
        "updated_at": last.at,
        "closed_at": last.at if last.to_status in TERMINAL else None,
        "version": len(events),
    }


def _totals(order: Order) -> tuple[float, float]:
    services = sum(SERVICES[s][1] for s in order.services)
    parts = sum(PARTS[p][3] * q for p, q in order.parts)
    return round(services, 2), round(parts, 2)


def _actor(order: Order, e: Event) -> tuple[str | None, str | None]:
    if e.by_customer:
        return None, uid(T_CUSTOMER, order.customer)
    return uid(T_STAFF, order.unit * 3 + (e.staff or 0)), None


def _stock_moves(order: Order, previous: list[Event], new: list[Event]):
    """Reservations when the budget is approved, releases when work is cancelled."""
    status = previous[-1].to_status if previous else None
    for e in new:
        if e.to_status == "IN_PROGRESS":
            for p, q in order.parts:
                yield p, -q, "reservation", e
        if status == "IN_PROGRESS" and e.to_status == "CANCELLED":
            for p, q in order.parts:
                yield p, q, "release", e
        status = e.to_status


INITIAL_STOCK = 50_000_000
ORDER_COLUMNS = [
    "id",
    "number",
    "unit_id",
    "customer_id",
    "vehicle_id",
    "status",
    "description",
    "services_total",
    "parts_total",
    "budget_sent_at",
    "budget_decision",
    "budget_decided_at",
    "opened_at",
    "updated_at",
    "closed_at",
    "version",
]
HISTORY_COLUMNS = [
    "service_order_id",
    "from_status",
    "to_status",
    "changed_at",
    "changed_by_staff_id",
    "changed_by_customer_id",
    "note",
]


def _write_history(hist: Copier, order: Order, events: list[Event], before: Event | None):
    prev = before.to_status if before else None
    for e in events:
        staff, customer = _actor(order, e)
        hist.add(uid(T_ORDER, order.index), prev, e.to_status, _ts(e.at), staff, customer, e.note)
        prev = e.to_status


def _write_items(items_s: Copier, items_p: Copier, order: Order) -> None:
    oid = uid(T_ORDER, order.index)
    for s in order.services:
        items_s.add(oid, uid(T_SERVICE, s), 1, f"{SERVICES[s][1]:.2f}")
    for p, q in order.parts:
        items_p.add(oid, uid(T_PART, p), q, f"{PARTS[p][3]:.2f}")


def _order_row(order: Order, events: list[Event]) -> list[object]:
    st = _order_state(order, events)
    services_total, parts_total = _totals(order)
    return [
        uid(T_ORDER, order.index),
        order.index + 1,
        uid(T_UNIT, order.unit),
        uid(T_CUSTOMER, order.customer),
        uid(T_VEHICLE, order.customer),
        st["status"],
        None,
        f"{services_total:.2f}",
        f"{parts_total:.2f}",
        _ts(st["budget_sent_at"]),
        st["budget_decision"],
        _ts(st["budget_decided_at"]),
        _ts(order.opened_at),
        _ts(st["updated_at"]),
        _ts(st["closed_at"]),
        st["version"],
    ]


def _load_reference(cur, cfg: Config) -> None:
    units = Copier(cur, "units", ["id", "code", "name", "city", "created_at"])
    for u, (code, name, city, _share, _speed) in enumerate(UNITS):
        units.add(uid(T_UNIT, u), code, name, city, _ts(cfg.start))
    units.flush()
    staff = Copier(
        cur, "staff_users", ["id", "unit_id", "cpf", "name", "role", "password_hash", "created_at"]
    )
    for u in range(len(UNITS)):
        for r, role in enumerate(("attendant", "mechanic", "manager")):
            n = u * 3 + r
            staff.add(
                uid(T_STAFF, n),
                uid(T_UNIT, u),
                cpf(900_000_000 + n),
                f"Funcionário {n + 1}",
                role,
                "$argon2id$v=19$m=65536,t=3,p=4$Z2VuZXJhdGVk$bm90LWEtcmVhbC1oYXNo",
                _ts(cfg.start),
            )
    staff.flush()
    services = Copier(cur, "services", ["id", "name", "price", "estimated_minutes"])
    for s, (name, price, minutes) in enumerate(SERVICES):
        services.add(uid(T_SERVICE, s), name, f"{price:.2f}", minutes)
    services.flush()
    parts = Copier(cur, "parts", ["id", "sku", "name", "kind", "unit_price", "stock_quantity"])
    moves = Copier(cur, "stock_movements", ["part_id", "quantity", "reason", "note", "created_at"])
    for p, (sku, name, kind, price) in enumerate(PARTS):
        parts.add(uid(T_PART, p), sku, name, kind, f"{price:.2f}", INITIAL_STOCK)
        moves.add(uid(T_PART, p), INITIAL_STOCK, "initial", "initial stock", _ts(cfg.start))
    parts.flush()
    moves.flush()
    customers = Copier(
        cur, "customers", ["id", "document_type", "document", "name", "email", "created_at"]
    )
    vehicles = Copier(
        cur, "vehicles", ["id", "customer_id", "plate", "make", "model", "year", "created_at"]
    )
    for c in range(cfg.customers):
        company = c % 10 == 9
        doc = cnpj(c) if company else cpf(c)
        customers.add(
            uid(T_CUSTOMER, c),
            "CNPJ" if company else "CPF",
            doc,
            f"Cliente {c + 1}",
            f"cliente{c + 1}@example.com",
            _ts(cfg.start),
        )
        make, model = MAKES[c % len(MAKES)]
        vehicles.add(
            uid(T_VEHICLE, c),
            uid(T_CUSTOMER, c),
            plate(c),
            make,
            model,
            2005 + c % 20,
            _ts(cfg.start),
        )
        if customers.rows % 50_000 == 0:
            customers.flush()
            vehicles.flush()
    customers.flush()
    vehicles.flush()


CHUNK = 20_000


def generate(url: str, cfg: Config) -> dict[str, int]:
    """Fill an empty application schema with ``cfg.orders`` orders (plus extension days)."""
    lives = Lives(cfg)
    cutoff = cfg.cutoff
    total = cfg.orders + cfg.orders_in_extension()
    counts = {"orders": 0, "history": 0}
    stock = [0] * len(PARTS)
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        _load_reference(cur, cfg)
        orders = Copier(cur, "service_orders", ORDER_COLUMNS)
        items_s = Copier(
            cur,
            "service_order_services",
            ["service_order_id", "service_id", "quantity", "unit_price"],
        )
        items_p = Copier(
            cur, "service_order_parts", ["service_order_id", "part_id", "quantity", "unit_price"]
        )
        hist = Copier(cur, "service_order_status_history", HISTORY_COLUMNS)
        moves = Copier(
            cur,
            "stock_movements",
            ["part_id", "quantity", "reason", "service_order_id", "staff_id", "created_at"],
        )
        for i in range(total):
            order = lives.order(i)
            events = [e for e in order.events if e.at <= cutoff]
            if not events:
                continue
            orders.add(*_order_row(order, events))
            _write_items(items_s, items_p, order)
            _write_history(hist, order, events, None)
            for p, q, reason, e in _stock_moves(order, [], events):
                stock[p] += q
                moves.add(
                    uid(T_PART, p), q, reason, uid(T_ORDER, i), _actor(order, e)[0], _ts(e.at)
                )
            counts["orders"] += 1
            if counts["orders"] % CHUNK == 0:
                for c in (orders, items_s, items_p, hist, moves):
                    c.flush()
        for c in (orders, items_s, items_p, hist, moves):
            c.flush()
        counts["history"] = hist.rows
        _finish(cur, stock)
    return counts


def extend(url: str, cfg: Config, days: int = 1) -> dict[str, int]:
    """Append ``days`` days after the current cut-off: new orders and new history rows."""
    old = Config(cfg.orders, cfg.days, cfg.seed, cfg.end, cfg.extend_days)
    new = Config(cfg.orders, cfg.days, cfg.seed, cfg.end, cfg.extend_days + days)
    lives = Lives(new)
    old_total = old.orders + old.orders_in_extension()
    new_total = new.orders + new.orders_in_extension()
    counts = {"new_orders": 0, "updated_orders": 0, "history": 0}
    stock = [0] * len(PARTS)
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        # Orders someone else moved since (their version is not the generator's): left alone.
        cur.execute("SELECT id::text, version FROM service_orders")
        versions = dict(cur.fetchall())
        cur.execute(
            "CREATE TEMP TABLE order_updates (LIKE service_orders INCLUDING DEFAULTS) "
            "ON COMMIT DROP"
        )
        cur.execute("ALTER TABLE order_updates DROP COLUMN queue_rank")
        orders = Copier(cur, "service_orders", ORDER_COLUMNS)
        updates = Copier(cur, "order_updates", ORDER_COLUMNS)
        items_s = Copier(
            cur,
            "service_order_services",
            ["service_order_id", "service_id", "quantity", "unit_price"],
        )
        items_p = Copier(
            cur, "service_order_parts", ["service_order_id", "part_id", "quantity", "unit_price"]
        )
        hist = Copier(cur, "service_order_status_history", HISTORY_COLUMNS)
        moves = Copier(
            cur,
            "stock_movements",
            ["part_id", "quantity", "reason", "service_order_id", "staff_id", "created_at"],
        )
        for i in range(new_total):
            order = lives.order(i)
            before = [e for e in order.events if e.at <= old.cutoff] if i < old_total else []
            after = [e for e in order.events if e.at <= new.cutoff]
            added = after[len(before) :]
            if not added:
                continue
            if before and versions.get(uid(T_ORDER, i)) != len(before):
                counts["skipped_orders"] = counts.get("skipped_orders", 0) + 1
                continue
            if before:
                updates.add(*_order_row(order, after))
                counts["updated_orders"] += 1
            else:
                orders.add(*_order_row(order, after))
                _write_items(items_s, items_p, order)
                counts["new_orders"] += 1
            _write_history(hist, order, added, before[-1] if before else None)
            for p, q, reason, e in _stock_moves(order, before, added):
                stock[p] += q
                moves.add(
                    uid(T_PART, p), q, reason, uid(T_ORDER, i), _actor(order, e)[0], _ts(e.at)
                )
        for c in (orders, items_s, items_p, updates):
            c.flush()
        cur.execute(
            """
            UPDATE service_orders o SET status = u.status, budget_sent_at = u.budget_sent_at,
                   budget_decision = u.budget_decision, budget_decided_at = u.budget_decided_at,
                   updated_at = u.updated_at, closed_at = u.closed_at, version = u.version
            FROM order_updates u WHERE o.id = u.id
            """
        )
        hist.flush()
        moves.flush()
        counts["history"] = hist.rows
        _finish(cur, stock)
    return counts


def _finish(cur, stock: list[int]) -> None:
    """Stock follows its ledger; identity sequences continue after the explicit numbers."""
    for p, delta in enumerate(stock):
        if delta:
            cur.execute(
                "UPDATE parts SET stock_quantity = stock_quantity + %s WHERE id = %s",
                (delta, uid(T_PART, p)),
            )
    cur.execute(
        "SELECT setval(pg_get_serial_sequence('service_orders', 'number'), "
        "(SELECT coalesce(max(number), 0) + 1 FROM service_orders), false)"
    )
    for table in ("service_order_status_history", "stock_movements"):
        cur.execute(f"ANALYZE {table}")
    cur.execute("ANALYZE service_orders")
