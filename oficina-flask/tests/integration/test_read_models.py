"""The SQL-built documents are exactly what the documented schemas would dump from the ORM."""

import json

from sqlalchemy import text
from sqlalchemy.orm import Session

from oficina.app import create_app
from oficina.demo.seed import seed
from oficina.extensions import db
from oficina.extensions.auth import Principal
from oficina.models import ServiceOrder, StaffUser
from oficina.resources.service_orders.schemas import OrderDetailSchema, OrderSummarySchema
from oficina.services import orders, read_models
from tests.conftest import app_config


def test_detail_and_summary_match_the_schemas(engine, clean_db):
    with Session(engine) as s:
        seed(s)
    with Session(engine) as s:
        manager = s.query(StaffUser).filter_by(role="manager").first()
        principal = Principal(subject=manager.id, role="manager", unit_id=manager.unit_id)
        ids = [o.id for o in s.query(ServiceOrder).all()]
        for order_id in ids:
            from_sql = json.loads(read_models.order_detail(s, principal, order_id))
            from_orm = OrderDetailSchema().dump(orders.get_order(s, principal, order_id))
            assert from_sql == from_orm
        statuses = [
            "RECEIVED",
            "IN_DIAGNOSIS",
            "AWAITING_APPROVAL",
            "IN_PROGRESS",
            "COMPLETED",
            "DELIVERED",
            "CANCELLED",
        ]
        page, total = read_models.order_page(
            s, principal, statuses=statuses, unit_id=None, page=1, page_size=100
        )
        assert total == len(ids)
        summaries = {row["id"]: row for row in json.loads(page)}
        for order in s.query(ServiceOrder).all():
            assert summaries[str(order.id)] == OrderSummarySchema().dump(order)


def test_empty_page_still_reports_the_total(engine, clean_db):
    with Session(engine) as s:
        seed(s)
    with Session(engine) as s:
        manager = s.query(StaffUser).filter_by(role="manager").first()
        principal = Principal(subject=manager.id, role="manager", unit_id=manager.unit_id)
        page, total = read_models.order_page(
            s, principal, statuses=None, unit_id=None, page=99, page_size=20
        )
        assert page == "[]"
        assert total > 0


def test_the_queue_keeps_its_generic_plan_and_a_status_filter_its_own(
    database_url, signer, engine, clean_db
):
    """Left to choose, PostgreSQL re-planned the queue on every request; a status filter is
    planned per execution on purpose (services/read_models.py). A read pool of one connection,
    so every execution below runs on the connection inspected."""
    app = create_app({**app_config(database_url, signer.jwks_path), "DB_READ_POOL_SIZE": 1})
    with Session(engine) as s:
        seed(s)
        manager = s.query(StaffUser).filter_by(role="manager").first()
        principal = Principal(subject=manager.id, role="manager", unit_id=manager.unit_id)
    try:
        with app.app_context():
            for page in (1, 2, 3) * 4:
                for statuses in (None, ["DELIVERED"]):
                    read_models.order_page(
                        db.session(),
                        principal,
                        statuses=statuses,
                        unit_id=None,
                        page=page,
                        page_size=5,
                    )
            with db.read_engine().connect() as connection:
                plans = {
                    name: (generic, custom)
                    for name, generic, custom in connection.execute(
                        text("SELECT name, generic_plans, custom_plans FROM pg_prepared_statements")
                    )
                }
                setting = connection.exec_driver_sql("SHOW plan_cache_mode").scalar_one()
    finally:
        db_engines = (app.extensions["db_engine"], app.extensions["db_read_engine"])
        for pool in db_engines:
            pool.dispose()
    assert plans["order_page_active_all"] == (12, 0)
    assert plans["order_page_by_status_all"][1] >= 5  # PostgreSQL's default: five custom first
    assert setting == "auto"  # SET LOCAL lasted for its statement only
