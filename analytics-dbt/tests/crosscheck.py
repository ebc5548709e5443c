"""An independent recomputation of the marts in plain Python over the raw history.

Nothing here reuses the dbt SQL: visits are paired in Python (ADR 0021), days are cut with
zoneinfo, percentiles are computed by linear interpolation (what percentile_cont does).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import psycopg2

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
TERMINAL = {"DELIVERED", "CANCELLED"}
COUNTED = {
    "RECEIVED": "orders_opened",
    "COMPLETED": "orders_completed",
    "DELIVERED": "orders_delivered",
    "CANCELLED": "orders_cancelled",
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    pos = p * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def raw_history(url: str) -> list[tuple]:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT h.service_order_id, h.id, h.to_status, h.changed_at, u.code "
            "FROM public.service_order_status_history h "
            "JOIN public.service_orders o ON o.id = h.service_order_id "
            "JOIN public.units u ON u.id = o.unit_id"
        )
        return cur.fetchall()


def expected_marts(url: str, as_of: datetime) -> dict[str, dict]:
    by_order: dict[object, list[tuple]] = defaultdict(list)
    for order_id, hid, status, changed_at, unit in raw_history(url):
        by_order[order_id].append((changed_at, hid, status, unit))
    durations: dict[tuple, list[float]] = defaultdict(list)
    volume: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    open_ages: dict[tuple, list[float]] = defaultdict(list)
    for order_id, rows in by_order.items():
        rows.sort(key=lambda r: (r[0], r[1]))
        for i, (entered, _hid, status, unit) in enumerate(rows):
            if status in COUNTED:
                day = entered.astimezone(SAO_PAULO).date()
                volume[(day, unit)][COUNTED[status]].add(order_id)
            if status in TERMINAL:
                continue
            if i + 1 < len(rows):
                left = rows[i + 1][0]
                day = left.astimezone(SAO_PAULO).date()
                durations[(day, unit, status)].append((left - entered).total_seconds() / 60)
            else:
                open_ages[(unit, status)].append((as_of - entered).total_seconds() / 60)
    status_time = {
        key: {
            "visits": len(v),
            "avg_minutes": sum(v) / len(v),
            "median_minutes": percentile(v, 0.5),
            "p90_minutes": percentile(v, 0.9),
        }
        for key, v in durations.items()
    }
    daily_volume = {
        key: {name: len(counts.get(name, ())) for name in COUNTED.values()}
        for key, counts in volume.items()
    }
    open_age = {
        key: {"open_orders": len(v), "avg_age_minutes": sum(v) / len(v), "max_age_minutes": max(v)}
        for key, v in open_ages.items()
    }
    return {"status_time": status_time, "daily_volume": daily_volume, "open_age": open_age}


def actual_marts(url: str, schema: str = "analytics") -> dict[str, dict]:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            f"SELECT day, unit_code, status, visits, avg_minutes, median_minutes, p90_minutes "
            f"FROM {schema}.fct_status_time_daily"
        )
        status_time = {
            (d, u, s): {"visits": v, "avg_minutes": a, "median_minutes": m, "p90_minutes": p}
            for d, u, s, v, a, m, p in cur.fetchall()
        }
        cur.execute(
            f"SELECT day, unit_code, orders_opened, orders_completed, orders_delivered, "
            f"orders_cancelled FROM {schema}.fct_daily_order_volume"
        )
        daily_volume = {
            (d, u): {
                "orders_opened": o,
                "orders_completed": c,
                "orders_delivered": dl,
                "orders_cancelled": ca,
            }
            for d, u, o, c, dl, ca in cur.fetchall()
        }
        cur.execute(
            f"SELECT unit_code, status, open_orders, avg_age_minutes, max_age_minutes, as_of "
            f"FROM {schema}.fct_open_status_age"
        )
        rows = cur.fetchall()
    as_of = rows[0][5] if rows else None
    open_age = {
        (u, s): {"open_orders": n, "avg_age_minutes": a, "max_age_minutes": m}
        for u, s, n, a, m, _ in rows
        if n
    }
    return {
        "status_time": status_time,
        "daily_volume": daily_volume,
        "open_age": open_age,
        "as_of": as_of,
    }


def differences(expected: dict, actual: dict, tolerance: float = 0.011) -> list[str]:
    """Human-readable mismatches (empty when the marts agree with the recomputation)."""
    problems = []
    for mart in ("status_time", "daily_volume", "open_age"):
        exp, act = expected[mart], actual[mart]
        for key in sorted(set(exp) | set(act), key=str):
            if key not in act or key not in exp:
                problems.append(f"{mart} {key}: expected {exp.get(key)} actual {act.get(key)}")
                continue
            for field, value in exp[key].items():
                got = act[key][field]
                got = float(got) if isinstance(got, Decimal) else got
                if isinstance(value, int) and value != got:
                    problems.append(f"{mart} {key} {field}: expected {value} got {got}")
                elif isinstance(value, float) and abs(value - got) > tolerance:
                    problems.append(f"{mart} {key} {field}: expected {value:.4f} got {got}")
    return problems
