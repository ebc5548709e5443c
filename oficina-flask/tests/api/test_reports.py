"""The execution-time report against a history with known timestamps."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def _history(engine, order_id, steps):
    """Insert a status history with explicit times: steps = [(to_status, minutes_after_t0)]."""
    with engine.begin() as conn:
        previous = None
        for status, minutes in steps:
            conn.execute(
                text(
                    "INSERT INTO service_order_status_history "
                    "(service_order_id, from_status, to_status, changed_at) "
                    "VALUES (:o, :f, :t, :at)"
                ),
                {"o": order_id, "f": previous, "t": status, "at": T0 + timedelta(minutes=minutes)},
            )
            previous = status
        conn.execute(
            text("UPDATE service_orders SET status = :s WHERE id = :o"),
            {"s": previous, "o": order_id},
        )


def _bare_order(engine, world, service):
    oid = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO service_orders (id, unit_id, customer_id, vehicle_id, status, "
                "services_total, parts_total, version) "
                "VALUES (:id, :u, :c, :v, 'RECEIVED', 0, 0, 1)"
            ),
            {"id": oid, "u": world.unit.id, "c": world.customer.id, "v": world.vehicle.id},
        )
        conn.execute(
            text(
                "INSERT INTO service_order_services (service_order_id, service_id, quantity, "
                "unit_price) VALUES (:o, :s, 1, 10)"
            ),
            {"o": oid, "s": service.id},
        )
    return oid


def test_report_numbers(world, engine):
    oil, align = world.services
    a = _bare_order(engine, world, oil)
    _history(
        engine,
        a,
        [
            ("RECEIVED", 0),
            ("IN_DIAGNOSIS", 10),
            ("AWAITING_APPROVAL", 40),
            ("IN_PROGRESS", 100),
            ("COMPLETED", 160),
            ("DELIVERED", 200),
        ],
    )
    b = _bare_order(engine, world, oil)
    # Loops back to diagnosis: two visits to IN_DIAGNOSIS (20 and 30 minutes).
    _history(
        engine,
        b,
        [
            ("RECEIVED", 0),
            ("IN_DIAGNOSIS", 20),
            ("AWAITING_APPROVAL", 40),
            ("IN_DIAGNOSIS", 50),
            ("AWAITING_APPROVAL", 80),
            ("IN_PROGRESS", 90),
            ("COMPLETED", 210),
        ],
    )
    c = _bare_order(engine, world, align)
    _history(engine, c, [("RECEIVED", 0), ("IN_DIAGNOSIS", 5)])  # still open in diagnosis

    report = world.as_("manager").get("/reports/service-execution-time")
    assert report.status_code == 200, report.json
    by_status = {row["status"]: row for row in report.json["by_status"]}
    assert by_status["RECEIVED"]["visits"] == 3
    assert by_status["RECEIVED"]["avg_minutes"] == round((10 + 20 + 5) / 3, 2)
    assert by_status["IN_DIAGNOSIS"]["visits"] == 3  # a once, b twice; c still open
    assert by_status["IN_DIAGNOSIS"]["avg_minutes"] == round((30 + 20 + 30) / 3, 2)
    assert by_status["IN_DIAGNOSIS"]["open_visits"] == 1
    assert by_status["IN_PROGRESS"]["avg_minutes"] == 90.0  # (60 + 120) / 2
    assert by_status["IN_PROGRESS"]["median_minutes"] == 90.0
    assert by_status["COMPLETED"]["visits"] == 1  # b is still COMPLETED (open)
    by_service = {row["name"]: row for row in report.json["by_service"]}
    assert by_service["Troca de óleo"] == {
        "service_id": str(oil.id),
        "name": "Troca de óleo",
        "estimated_minutes": 45,
        "orders": 2,
        "avg_minutes": 90.0,
    }
    assert "Alinhamento" not in by_service  # c never executed


def test_date_filters_are_sao_paulo_days(world, engine):
    # Left RECEIVED at 01:30 UTC on Nov 3 = 22:30 on Nov 2 in São Paulo: it counts on Nov 2.
    a = _bare_order(engine, world, world.services[0])
    _history(engine, a, [("RECEIVED", 60 * 17), ("IN_DIAGNOSIS", 60 * 17 + 30)])
    report = world.as_("manager").get(
        "/reports/service-execution-time?from=2026-11-02&to=2026-11-02"
    )
    assert {r["status"]: r["visits"] for r in report.json["by_status"]}["RECEIVED"] == 1
    next_day = world.as_("manager").get(
        "/reports/service-execution-time?from=2026-11-03&to=2026-11-03"
    )
    assert {r["status"]: r["visits"] for r in next_day.json["by_status"]}["RECEIVED"] == 0


def test_report_date_filter_and_bad_range(world, engine):
    a = _bare_order(engine, world, world.services[0])
    _history(engine, a, [("RECEIVED", 0), ("IN_DIAGNOSIS", 10)])
    empty = world.as_("manager").get(
        "/reports/service-execution-time?from=2026-12-05&to=2026-12-06"
    )
    assert {r["status"]: r["visits"] for r in empty.json["by_status"]}["RECEIVED"] == 0
    day = world.as_("manager").get("/reports/service-execution-time?from=2026-11-02&to=2026-11-02")
    assert {r["status"]: r["visits"] for r in day.json["by_status"]}["RECEIVED"] == 1
    bad = world.as_("manager").get("/reports/service-execution-time?from=2026-11-05&to=2026-11-01")
    assert bad.status_code == 422
    assert (
        world.as_("manager").get("/reports/service-execution-time?from=yesterday").status_code
        == 422
    )
