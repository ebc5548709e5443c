"""The constraints the README cites really enforce the business rules (on the migrated schema)."""

from __future__ import annotations

import psycopg2
import pytest
from psycopg2 import errors


@pytest.fixture
def data(conn):
    cur = conn.cursor()
    cur.execute(
        """
        INSERT INTO units (id, code, name, city)
        VALUES ('00000000-0000-0000-0000-000000000001', 'T-1', 'Test', 'Sao Paulo');
        INSERT INTO customers (id, document_type, document, name)
        VALUES ('00000000-0000-0000-0000-000000000002', 'CPF', '52998224725', 'Maria');
        INSERT INTO vehicles (id, customer_id, plate, make, model, year)
        VALUES ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000002',
                'BRA2E19', 'VW', 'Gol', 2020);
        INSERT INTO parts (id, sku, name, unit_price, stock_quantity)
        VALUES ('00000000-0000-0000-0000-000000000004', 'SKU-1', 'Oil', 10, 5);
        INSERT INTO service_orders (id, unit_id, customer_id, vehicle_id, status,
                                    services_total, parts_total, version)
        VALUES ('00000000-0000-0000-0000-000000000005', '00000000-0000-0000-0000-000000000001',
                '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000003',
                'RECEIVED', 0, 0, 1);
        INSERT INTO service_order_status_history (service_order_id, from_status, to_status)
        VALUES ('00000000-0000-0000-0000-000000000005', NULL, 'RECEIVED');
        """
    )
    return cur


ORDER = "'00000000-0000-0000-0000-000000000005'"


def _refused(cur, statement, error, constraint=None):
    cur.execute("SAVEPOINT s")
    with pytest.raises(error) as info:
        cur.execute(statement)
    cur.execute("ROLLBACK TO SAVEPOINT s")
    if constraint:
        assert info.value.diag.constraint_name == constraint
    return info.value


def test_stock_can_never_go_below_zero(data):
    _refused(
        data,
        "UPDATE parts SET stock_quantity = stock_quantity - 6",
        errors.CheckViolation,
        "ck_parts_stock_not_negative",
    )


def test_order_line_quantities_are_positive(data):
    _refused(
        data,
        f"INSERT INTO service_order_parts (service_order_id, part_id, quantity, unit_price) "
        f"VALUES ({ORDER}, '00000000-0000-0000-0000-000000000004', 0, 10)",
        errors.CheckViolation,
        "ck_service_order_parts_quantity_positive",
    )


def test_plate_and_document_are_unique(data):
    _refused(
        data,
        "INSERT INTO customers (document_type, document, name) VALUES ('CPF', '52998224725', 'X')",
        errors.UniqueViolation,
        "uq_customers_document",
    )
    _refused(
        data,
        "INSERT INTO vehicles (customer_id, plate, make, model, year) VALUES "
        "('00000000-0000-0000-0000-000000000002', 'BRA2E19', 'Fiat', 'Uno', 2010)",
        errors.UniqueViolation,
        "uq_vehicles_plate",
    )


def test_status_history_is_append_only(data):
    for statement in (
        "UPDATE service_order_status_history SET note = 'rewritten'",
        "DELETE FROM service_order_status_history",
    ):
        error = _refused(data, statement, errors.RestrictViolation)
        assert "append-only" in str(error)


def test_budget_decision_needs_its_time(data):
    _refused(
        data,
        f"UPDATE service_orders SET budget_decision = 'approved' WHERE id = {ORDER}",
        errors.CheckViolation,
        "ck_service_orders_decision_has_time",
    )


def test_queue_rank_is_derived_from_status_by_the_database(data):
    ranks = {}
    for status in ("IN_PROGRESS", "AWAITING_APPROVAL", "IN_DIAGNOSIS", "RECEIVED", "DELIVERED"):
        data.execute(
            "UPDATE service_orders SET status = %s WHERE id = " + ORDER + " RETURNING queue_rank",
            (status,),
        )
        ranks[status] = data.fetchone()[0]
    assert ranks == {
        "IN_PROGRESS": 1,
        "AWAITING_APPROVAL": 2,
        "IN_DIAGNOSIS": 3,
        "RECEIVED": 4,
        "DELIVERED": None,
    }
    _refused(
        data,
        f"UPDATE service_orders SET queue_rank = 1 WHERE id = {ORDER}",
        psycopg2.errors.GeneratedAlways,
    )


def test_document_length_follows_its_type(data):
    _refused(
        data,
        "INSERT INTO customers (document_type, document, name) "
        "VALUES ('CPF', '1234567890123', 'X')",
        errors.CheckViolation,
        "ck_customers_document_length",
    )
