"""The demo data set loads into the migrated schema, covers every status, and is idempotent."""

from sqlalchemy import text
from sqlalchemy.orm import Session

from oficina.demo.seed import seed
from oficina.domain.statuses import OrderStatus


def test_seed_covers_every_status_and_keeps_the_ledger_consistent(engine, clean_db):
    with Session(engine) as s:
        assert seed(s) is True
    with Session(engine) as s:
        assert seed(s) is False
    with engine.connect() as conn:
        statuses = set(conn.execute(text("SELECT DISTINCT status FROM service_orders")).scalars())
        roles = set(conn.execute(text("SELECT DISTINCT role FROM staff_users")).scalars())
        drift = conn.execute(
            text(
                "SELECT count(*) FROM parts p WHERE p.stock_quantity <> "
                "(SELECT coalesce(sum(quantity), 0) FROM stock_movements m WHERE m.part_id = p.id)"
            )
        ).scalar_one()
        orphan_history = conn.execute(
            text(
                "SELECT count(*) FROM service_orders o WHERE o.status <> (SELECT h.to_status FROM "
                "service_order_status_history h WHERE h.service_order_id = o.id "
                "ORDER BY h.changed_at DESC, h.id DESC LIMIT 1)"
            )
        ).scalar_one()
    assert statuses == {s.value for s in OrderStatus}
    assert roles == {"attendant", "mechanic", "manager"}
    assert drift == 0
    assert orphan_history == 0
