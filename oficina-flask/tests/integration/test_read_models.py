"""The SQL-built documents are exactly what the documented schemas would dump from the ORM."""

import json

from sqlalchemy.orm import Session

from oficina.demo.seed import seed
from oficina.extensions.auth import Principal
from oficina.models import ServiceOrder, StaffUser
from oficina.resources.service_orders.schemas import OrderDetailSchema, OrderSummarySchema
from oficina.services import orders, read_models


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
