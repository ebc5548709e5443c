"""Late history rows: the order is reprocessed, its last visit closes, and the incremental
marts equal both a full rebuild and the independent recomputation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import DEMO, query, run_dbt
from crosscheck import actual_marts, differences, expected_marts

from generator.generate import Config, extend, generate
from scripts import dbenv

CONTRACT = {
    "fct_daily_order_volume": "day, unit_id, unit_code, orders_opened, orders_completed, "
    "orders_delivered, orders_cancelled",
    "fct_status_time_daily": "day, unit_id, unit_code, status, stage, visits, avg_minutes, "
    "median_minutes, p90_minutes",
}


@pytest.fixture(scope="module")
def incremental_db(scratch) -> str:
    url = scratch.new("incr")
    dbenv.app_schema(url)
    generate(url, Config(1500, 30, seed=11))
    run_dbt(url, "run", "--full-refresh")
    return url


NEXT = {
    "RECEIVED": "IN_DIAGNOSIS",
    "IN_DIAGNOSIS": "AWAITING_APPROVAL",
    "AWAITING_APPROVAL": "IN_PROGRESS",
    "IN_PROGRESS": "COMPLETED",
    "COMPLETED": "DELIVERED",
}


def _open_orders(url: str) -> list[tuple[str, str, object]]:
    """Open visits entered well before the incremental lookback window, oldest first."""
    return query(
        url,
        """
        SELECT service_order_id, status, entered_at FROM analytics.int_order_status_visits
        WHERE is_open AND entered_at < (SELECT max(entered_at) - interval '6 hours'
                                        FROM analytics.int_order_status_visits)
        ORDER BY entered_at LIMIT 2""",
    )


def _move(url: str, order_id: str, before: str, after: str, at) -> int:
    rows = query(
        url,
        """
        INSERT INTO service_order_status_history
            (service_order_id, from_status, to_status, changed_at, note)
        VALUES (%s, %s, %s, %s, 'late arrival') RETURNING id""",
        (order_id, before, after, at),
    )
    query(
        url,
        "UPDATE service_orders SET status = %s, version = version + 1, updated_at = %s "
        "WHERE id = %s",
        (after, at, order_id),
    )
    return rows[0][0]


def test_late_history_rows_are_reprocessed(incremental_db: str) -> None:
    url = incremental_db
    (late_order, late_status, entered), (new_order, new_status, _) = _open_orders(url)
    # 1. a late row: it happened long ago (older than any lookback) but arrives only now
    late_at = entered + timedelta(minutes=37)
    _move(url, late_order, late_status, NEXT[late_status], late_at)
    # 2. a new event on another open order, after everything else
    (newest,) = query(url, "SELECT max(changed_at) FROM service_order_status_history")[0]
    _move(url, new_order, new_status, NEXT[new_status], newest + timedelta(days=1, hours=2))
    # 3. one more generated day of new and updated orders (the two above are left alone)
    counts = extend(url, Config(1500, 30, seed=11), 1)
    assert counts["new_orders"] > 0 and counts["updated_orders"] > 0
    assert counts["skipped_orders"] == 2

    run_dbt(url, "run")

    closed = query(
        url,
        """
        SELECT left_at, next_status, duration_minutes, is_open
        FROM analytics.int_order_status_visits
        WHERE service_order_id = %s AND status = %s AND entered_at = %s""",
        (late_order, late_status, entered),
    )
    assert closed == [(late_at, NEXT[late_status], pytest.approx(37), False)]
    assert query(
        url,
        """
        SELECT count(*) FROM analytics.int_order_status_visits
        WHERE service_order_id = %s AND is_open""",
        (new_order,),
    ) == [(0 if NEXT[new_status] == "DELIVERED" else 1,)]
    # only what changed was rewritten
    ((rewritten, total),) = query(
        url,
        """
        SELECT count(*) FILTER (WHERE loaded_at = (SELECT max(loaded_at)
                                FROM analytics.int_order_status_visits)), count(*)
        FROM analytics.int_order_status_visits""",
    )
    assert 0 < rewritten < total * 0.2

    actual = actual_marts(url)
    assert not differences(expected_marts(url, actual["as_of"]), actual)

    # the same marts rebuilt from scratch in another schema are identical
    run_dbt(url, "run", "--full-refresh", schema="analytics_full")
    for table, columns in CONTRACT.items():
        diff = query(
            url,
            f"""
            (SELECT {columns} FROM analytics.{table}
             EXCEPT SELECT {columns} FROM analytics_full.{table})
            UNION ALL
            (SELECT {columns} FROM analytics_full.{table}
             EXCEPT SELECT {columns} FROM analytics.{table})""",
        )
        assert diff == [], table


def test_an_incremental_run_without_news_changes_nothing(incremental_db: str) -> None:
    state = """SELECT (SELECT count(*) FROM analytics.int_order_status_visits),
                      (SELECT max(loaded_at) FROM analytics.int_order_status_visits),
                      (SELECT count(*) FROM analytics.fct_status_time_daily),
                      (SELECT max(loaded_at) FROM analytics.fct_status_time_daily)"""
    before = query(incremental_db, state)
    run_dbt(incremental_db, "run", "--select", "int_order_status_visits", "fct_status_time_daily")
    assert query(incremental_db, state) == before


def test_demo_config_is_deterministic_across_extension(scratch) -> None:
    """Generating 30 days then extending by one equals generating 31 days at once."""
    a, b = scratch.new("gen_a"), scratch.new("gen_b")
    for url in (a, b):
        dbenv.app_schema(url)
    cfg = Config(400, 20, seed=DEMO.seed)
    generate(a, cfg)
    extend(a, cfg, 1)
    generate(b, Config(400, 20, seed=DEMO.seed, extend_days=1))
    sql = """SELECT service_order_id, from_status, to_status, changed_at,
                    changed_by_staff_id, changed_by_customer_id, note
             FROM service_order_status_history ORDER BY 1, 4, 3"""
    assert query(a, sql) == query(b, sql)
    orders = (
        "SELECT id, status, version, budget_decision, closed_at FROM service_orders ORDER BY id"
    )
    assert query(a, orders) == query(b, orders)
