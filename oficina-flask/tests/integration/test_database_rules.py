"""Rules the database itself enforces, whatever the code above it does."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError


def test_stock_cannot_go_negative(engine, world):
    with pytest.raises(IntegrityError, match="ck_parts_stock_not_negative"), engine.begin() as conn:
        conn.execute(
            text("UPDATE parts SET stock_quantity = -1 WHERE id = :id"), {"id": world.parts[0].id}
        )


def test_status_history_is_append_only(engine, world, open_order):
    open_order()
    for statement in [
        "UPDATE service_order_status_history SET note = 'rewritten'",
        "DELETE FROM service_order_status_history",
    ]:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))


def test_queue_rank_is_derived_from_status(engine, world, open_order):
    order = open_order()
    with engine.begin() as conn:
        rank = conn.execute(
            text("SELECT queue_rank FROM service_orders WHERE id = :id"), {"id": order["id"]}
        ).scalar_one()
        assert rank == 4
        conn.execute(
            text("UPDATE service_orders SET status = 'DELIVERED' WHERE id = :id"),
            {"id": order["id"]},
        )
        assert (
            conn.execute(
                text("SELECT queue_rank FROM service_orders WHERE id = :id"), {"id": order["id"]}
            ).scalar_one()
            is None
        )


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO customers (document_type, document, name) VALUES ('CPF', '123', 'x')",
        "INSERT INTO customers (document_type, document, name) VALUES ('RG', '52998224725', 'x')",
        "UPDATE customers SET status = 'banned'",
        "UPDATE vehicles SET year = 1800",
        "UPDATE staff_users SET role = 'admin'",
        "UPDATE services SET price = -5",
        "INSERT INTO stock_movements (part_id, quantity, reason) "
        "SELECT id, 0, 'restock' FROM parts LIMIT 1",
    ],
)
def test_check_constraints(engine, world, statement):
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(statement))


def test_auth_contract_columns_exist(engine):
    """docs/contracts/auth.md: the columns the auth function reads must exist with these types."""
    expected = {
        "customers": {
            "id": "uuid",
            "document": "character varying",
            "document_type": "character varying",
            "status": "character varying",
        },
        "staff_users": {
            "id": "uuid",
            "cpf": "character varying",
            "role": "character varying",
            "unit_id": "uuid",
            "password_hash": "text",
            "active": "boolean",
        },
        "auth_attempts": {
            "key_hash": "character",
            "failures": "integer",
            "window_started_at": "timestamp with time zone",
            "last_failed_at": "timestamp with time zone",
        },
    }
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public'"
            )
        ).all()
    actual: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        actual.setdefault(table, {})[column] = data_type
    for table, columns in expected.items():
        for column, data_type in columns.items():
            assert actual[table].get(column) == data_type, (table, column)
