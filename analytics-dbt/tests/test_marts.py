"""dbt build on the demo data, then the marts against an independent recomputation."""

from __future__ import annotations

from conftest import query, run_dbt
from crosscheck import actual_marts, differences, expected_marts


def test_dbt_build_runs_models_generic_and_unit_tests(built: dict) -> None:
    results = built["results"]
    failed = [
        r["unique_id"]
        for r in results
        if r["status"] not in ("success", "pass") and not r["unique_id"].startswith("exposure.")
    ]
    assert not failed
    kinds = {r["unique_id"].split(".")[0] for r in results}
    assert {"model", "test", "unit_test"} <= kinds
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 4
    generic = [r for r in results if r["unique_id"].startswith("test.")]
    assert len(generic) >= 50


def test_marts_match_an_independent_recomputation(demo_db: str, built: dict) -> None:
    actual = actual_marts(demo_db)
    expected = expected_marts(demo_db, actual["as_of"])
    assert not differences(expected, actual)
    # the demo data exercises every path the definition has to handle
    visits = dict(
        query(
            demo_db,
            """
        SELECT 'loops', count(*) FROM analytics.int_order_status_visits
            WHERE status = 'IN_DIAGNOSIS' AND visit_number > 1
        UNION ALL SELECT 'refusals', count(*) FROM analytics.int_order_status_visits
            WHERE status = 'AWAITING_APPROVAL' AND next_status = 'CANCELLED'
        UNION ALL SELECT 'open', count(*) FROM analytics.int_order_status_visits WHERE is_open
    """,
        )
    )
    assert visits["loops"] > 50 and visits["refusals"] > 50 and visits["open"] > 20
    assert sum(v["visits"] for v in actual["status_time"].values()) > 10_000


def test_marts_have_the_contract_columns(demo_db: str, built: dict) -> None:
    columns = {}
    for table, column, dtype in query(
        demo_db,
        """
        SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'analytics' AND table_name LIKE 'fct\\_%'
        ORDER BY table_name, ordinal_position""",
    ):
        columns.setdefault(table, {})[column] = dtype
    assert columns["fct_daily_order_volume"] == {
        "day": "date",
        "unit_id": "uuid",
        "unit_code": "character varying",
        "orders_opened": "integer",
        "orders_completed": "integer",
        "orders_delivered": "integer",
        "orders_cancelled": "integer",
        "loaded_at": "timestamp with time zone",
    }
    assert columns["fct_status_time_daily"] == {
        "day": "date",
        "unit_id": "uuid",
        "unit_code": "character varying",
        "status": "text",
        "stage": "text",
        "visits": "integer",
        "avg_minutes": "numeric",
        "median_minutes": "numeric",
        "p90_minutes": "numeric",
        "loaded_at": "timestamp with time zone",
    }
    assert list(columns["fct_open_status_age"]) == [
        "unit_id",
        "unit_code",
        "status",
        "stage",
        "open_orders",
        "avg_age_minutes",
        "max_age_minutes",
        "as_of",
    ]
    stages = dict(
        query(demo_db, "SELECT DISTINCT status, stage FROM analytics.fct_status_time_daily")
    )
    assert stages == {
        "RECEIVED": "Recebida",
        "IN_DIAGNOSIS": "Diagnóstico",
        "AWAITING_APPROVAL": "Aguardando aprovação",
        "IN_PROGRESS": "Execução",
        "COMPLETED": "Finalização",
    }


def test_marts_have_their_indexes(demo_db: str, built: dict) -> None:
    indexes = {
        name
        for (name,) in query(
            demo_db, "SELECT indexname FROM pg_indexes WHERE schemaname = 'analytics'"
        )
    }
    assert {
        "fct_daily_order_volume__key",
        "fct_status_time_daily__key",
        "fct_open_status_age__key",
        "int_order_status_visits__history_id",
        "int_order_status_visits__loaded_at",
    } <= indexes


def test_docs_generate_catalogs_the_marts(demo_db: str, built: dict) -> None:
    import json

    from conftest import ROOT

    run_dbt(demo_db, "docs", "generate")
    catalog = json.loads((ROOT / "target" / "analytics" / "catalog.json").read_text())
    nodes = {n.split(".")[-1] for n in catalog["nodes"]}
    assert {
        "fct_daily_order_volume",
        "fct_status_time_daily",
        "fct_open_status_age",
        "int_order_status_visits",
    } <= nodes
    manifest = json.loads((ROOT / "target" / "analytics" / "manifest.json").read_text())
    exposures = {e["name"]: e["depends_on"]["nodes"] for e in manifest["exposures"].values()}
    assert set(exposures) == {
        "datadog_service_orders_daily_volume",
        "datadog_time_per_status",
        "offline_managers_dashboard",
    }
    assert all(exposures.values())
    assert (
        manifest["sources"]["source.oficina_analytics.oficina.service_order_status_history"][
            "freshness"
        ]["error_after"]["count"]
        == 24
    )
