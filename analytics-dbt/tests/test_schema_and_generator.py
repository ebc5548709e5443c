"""The application schema fixture is current, and the generator respects the schema."""

from __future__ import annotations

import pytest
from conftest import DEMO, query

from scripts import dbenv

SOURCES = {
    "units",
    "customers",
    "vehicles",
    "staff_users",
    "services",
    "parts",
    "stock_movements",
    "service_orders",
    "service_order_services",
    "service_order_parts",
    "service_order_status_history",
}


def signature(url: str) -> dict[str, list]:
    """Tables, columns, constraints, indexes and triggers as the catalog sees them."""
    return {
        "columns": query(
            url,
            """
            SELECT table_name, column_name, data_type, is_nullable, column_default, is_generated
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2""",
        ),
        "constraints": query(
            url,
            """
            SELECT conrelid::regclass::text, conname, contype FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2""",
        ),
        "indexes": query(
            url,
            """SELECT tablename, indexname FROM pg_indexes
                                 WHERE schemaname = 'public' ORDER BY 1, 2""",
        ),
        "triggers": query(
            url,
            """SELECT tgrelid::regclass::text, tgname FROM pg_trigger
                                  WHERE NOT tgisinternal ORDER BY 1, 2""",
        ),
    }


def test_fixture_schema_has_every_source(scratch) -> None:
    url = scratch.new("fixture")
    dbenv.load_fixture(url)
    sig = signature(url)
    assert {table for table, *_ in sig["columns"]} >= SOURCES
    assert ("service_order_status_history", "service_order_status_history_append_only") in sig[
        "triggers"
    ]


@pytest.mark.skipif(
    not (dbenv.APP / "alembic.ini").exists(),
    reason="split repository: no ../oficina-flask to migrate from; "
    "CI of the monorepo keeps the fixture current",
)
def test_fixture_schema_is_what_the_migrations_build(scratch) -> None:
    migrated, loaded = scratch.new("migrated"), scratch.new("loaded")
    dbenv.migrate_with_alembic(migrated)
    assert dbenv.dump_schema(migrated) == dbenv.FIXTURE.read_text(), (
        "tests/fixtures/app_schema.sql is stale: run `make fixture`"
    )
    dbenv.load_fixture(loaded)
    assert signature(loaded) == signature(migrated)


def test_generated_data_is_consistent(demo_db: str) -> None:
    # every order's current status is its last history row, and its version counts the rows
    assert query(
        demo_db,
        """
        SELECT count(*) FROM service_orders o
        JOIN LATERAL (SELECT to_status, count(*) OVER () AS n FROM service_order_status_history h
                      WHERE h.service_order_id = o.id ORDER BY changed_at DESC, id DESC LIMIT 1)
             last ON true
        WHERE last.to_status <> o.status OR last.n <> o.version""",
    ) == [(0,)]
    # the stock ledger adds up to the stock
    assert query(
        demo_db,
        """
        SELECT count(*) FROM parts p
        WHERE stock_quantity <> (SELECT sum(quantity) FROM stock_movements m
                                 WHERE m.part_id = p.id)""",
    ) == [(0,)]
    # histories start at RECEIVED and every move is one the application allows
    allowed = {
        ("RECEIVED", "IN_DIAGNOSIS"),
        ("RECEIVED", "CANCELLED"),
        ("IN_DIAGNOSIS", "AWAITING_APPROVAL"),
        ("IN_DIAGNOSIS", "CANCELLED"),
        ("AWAITING_APPROVAL", "IN_PROGRESS"),
        ("AWAITING_APPROVAL", "IN_DIAGNOSIS"),
        ("AWAITING_APPROVAL", "CANCELLED"),
        ("IN_PROGRESS", "COMPLETED"),
        ("IN_PROGRESS", "CANCELLED"),
        ("COMPLETED", "DELIVERED"),
        (None, "RECEIVED"),
    }
    moves = set(
        query(demo_db, "SELECT DISTINCT from_status, to_status FROM service_order_status_history")
    )
    assert moves <= allowed
    assert len(moves) == len(allowed)  # and every one of them occurs
    ((orders,),) = query(demo_db, "SELECT count(*) FROM service_orders")
    assert orders == DEMO.orders
    # budget decisions match the history (refusals are cancellations from the budget)
    assert (
        query(
            demo_db,
            """
        SELECT budget_decision, count(*) FROM service_orders
        WHERE budget_decision IS NOT NULL GROUP BY 1 ORDER BY 1""",
        )[0][0]
        == "approved"
    )
    # the history is append-only for real: the trigger is in place
    with pytest.raises(Exception, match="append-only"):
        query(demo_db, "UPDATE service_order_status_history SET note = 'x' WHERE id = 1")


def test_dbt_env_from_urls() -> None:
    env = dbenv.dbt_env(
        "postgresql+psycopg2://ana:s%40cret@db.example:6543/oficina?sslmode=require"
    )
    assert env == {
        "DBT_HOST": "db.example",
        "DBT_PORT": "6543",
        "DBT_USER": "ana",
        "DBT_PASSWORD": "s@cret",
        "DBT_DBNAME": "oficina",
        "DBT_SSLMODE": "require",
    }
    socket = dbenv.dbt_env("postgresql://postgres:@/postgres?host=/tmp/pg")
    assert socket["DBT_HOST"] == "/tmp/pg" and socket["DBT_DBNAME"] == "postgres"
