"""Service orders: opening, the queue, the lifecycle, budget decisions and stock."""

import json
import uuid

import pytest
from sqlalchemy import text

from tests.conftest import recorded_statements

ZERO = "00000000-0000-0000-0000-000000000000"


def move(world, order_id, status, who="mechanic", note=None):
    return world.as_(who).post(
        f"/service-orders/{order_id}/transitions", json={"status": status, "note": note}
    )


def to_awaiting_approval(world, order_id):
    for status in ["IN_DIAGNOSIS", "AWAITING_APPROVAL"]:
        assert move(world, order_id, status).status_code == 200


def stock_of(engine, part):
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT stock_quantity FROM parts WHERE id = :id"), {"id": part.id}
        ).scalar_one()


def test_open_computes_budget_from_frozen_prices(world, open_order):
    order = open_order(
        services=[
            {"service_id": str(world.services[0].id), "quantity": 1},
            {"service_id": str(world.services[1].id), "quantity": 2},
        ],
        parts=[{"part_id": str(world.parts[0].id), "quantity": 4}],
        description="Revisão dos 60 mil",
    )
    assert order["status"] == "RECEIVED"
    assert order["budget"]["services_total"] == "281.00"  # 120.00 + 2 x 80.50
    assert order["budget"]["parts_total"] == "171.60"  # 4 x 42.90
    assert order["budget"]["total"] == "452.60"
    assert [h["to_status"] for h in order["history"]] == ["RECEIVED"]
    assert order["history"][0]["changed_by_staff_id"] == str(world.staff["attendant"].id)

    # A later catalog price change does not touch the open order.
    world.as_("manager").patch(f"/services/{world.services[0].id}", json={"price": "999.00"})
    again = world.as_("attendant").get(f"/service-orders/{order['id']}").json
    assert again["budget"]["total"] == "452.60"
    assert again["services"][0]["unit_price"] == "120.00"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"customer_id": ZERO}, "customer_id"),
        ({"vehicle_id": ZERO}, "vehicle_id"),
        ({"services": [{"service_id": ZERO}]}, "services"),
        ({"parts": [{"part_id": ZERO, "quantity": 1}]}, "parts"),
        (
            {"parts": [{"part_id": "PART", "quantity": 1}, {"part_id": "PART", "quantity": 2}]},
            "parts",
        ),
        ({"services": [{"service_id": "SVC", "quantity": 0}]}, "services"),
        ({"services": "oil change"}, "services"),
        ({"services": [{"service_id": "SVC"}, {"service_id": "SVC"}]}, "services"),
        ({"unit_id": ZERO}, "unit_id"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_order_is_422_and_writes_nothing(world, unchanged, patch, field):
    body = {
        "customer_id": str(world.customer.id),
        "vehicle_id": str(world.vehicle.id),
        "services": [{"service_id": str(world.services[0].id)}],
        "parts": [],
    }
    text_body = json.dumps({**body, **patch}).replace('"SVC"', f'"{world.services[0].id}"')
    text_body = text_body.replace('"PART"', f'"{world.parts[0].id}"')
    with unchanged():
        response = world.as_("manager").post(
            "/service-orders", data=text_body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"], response.json


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("status=PARKED", "status"),
        ("unit_id=not-a-uuid", "unit_id"),
    ],
)
def test_bad_list_arguments_are_422_and_write_nothing(world, unchanged, query, field):
    """The pagination and filter arguments go through the shared parser (extensions/api.py)."""
    with unchanged():
        response = world.as_("manager").get(f"/service-orders?{query}")
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["query"], response.json


def test_vehicle_of_another_customer_is_refused(world, unchanged):
    with unchanged():
        response = world.as_("attendant").post(
            "/service-orders",
            json={"customer_id": str(world.customer.id), "vehicle_id": str(world.other_vehicle.id)},
        )
    assert response.status_code == 422
    assert "does not belong" in response.json["errors"]["json"]["vehicle_id"][0]


def test_only_managers_open_orders_for_another_unit(world, open_order, unchanged):
    with unchanged():
        response = world.as_("attendant").post(
            "/service-orders",
            json={
                "customer_id": str(world.customer.id),
                "vehicle_id": str(world.vehicle.id),
                "unit_id": str(world.other_unit.id),
            },
        )
    assert response.status_code == 403
    order = open_order(who="manager", unit_id=str(world.other_unit.id))
    assert order["unit_id"] == str(world.other_unit.id)


def test_idempotency_key_returns_the_same_order(world, engine):
    body = {"customer_id": str(world.customer.id), "vehicle_id": str(world.vehicle.id)}
    headers = {"Idempotency-Key": "pedido-123"}
    first = world.as_("attendant").post("/service-orders", json=body, headers=headers)
    retry = world.as_("attendant").post("/service-orders", json=body, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json["id"] == first.json["id"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM service_orders")).scalar_one() == 1


def test_idempotency_key_with_another_body_is_refused(world, unchanged):
    headers = {"Idempotency-Key": "pedido-9"}
    body = {"customer_id": str(world.customer.id), "vehicle_id": str(world.vehicle.id)}
    assert (
        world.as_("attendant").post("/service-orders", json=body, headers=headers).status_code
        == 201
    )
    with unchanged():
        response = world.as_("attendant").post(
            "/service-orders", json={**body, "description": "other"}, headers=headers
        )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json["errors"]["json"]


def test_full_lifecycle_with_history_and_stock(world, open_order, engine):
    order = open_order()
    oid = order["id"]
    to_awaiting_approval(world, oid)
    waiting = world.as_("customer").get(f"/service-orders/{oid}").json
    assert waiting["status"] == "AWAITING_APPROVAL"
    assert waiting["budget"]["sent_at"] is not None

    approved = world.as_("customer").post(f"/service-orders/{oid}/budget/approve", json={})
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "IN_PROGRESS"
    assert approved.json["budget"]["decision"] == "approved"
    assert stock_of(engine, world.parts[0]) == 10 - 4

    for status in ["COMPLETED", "DELIVERED"]:
        assert move(world, oid, status, who="attendant").status_code == 200
    final = world.as_("attendant").get(f"/service-orders/{oid}").json
    assert [(h["from_status"], h["to_status"]) for h in final["history"]] == [
        (None, "RECEIVED"),
        ("RECEIVED", "IN_DIAGNOSIS"),
        ("IN_DIAGNOSIS", "AWAITING_APPROVAL"),
        ("AWAITING_APPROVAL", "IN_PROGRESS"),
        ("IN_PROGRESS", "COMPLETED"),
        ("COMPLETED", "DELIVERED"),
    ]
    assert final["history"][3]["changed_by_customer_id"] == str(world.customer.id)
    assert final["closed_at"] is not None
    with engine.connect() as conn:
        ledger = conn.execute(
            text("SELECT quantity, reason FROM stock_movements WHERE service_order_id = :id"),
            {"id": oid},
        ).all()
    assert ledger == [(-4, "reservation")]


def test_invalid_move_is_409_with_allowed_targets(world, open_order, unchanged):
    order = open_order()
    with unchanged():
        response = move(world, order["id"], "COMPLETED")
    assert response.status_code == 409
    assert response.json["current_status"] == "RECEIVED"
    assert response.json["allowed_targets"] == ["IN_DIAGNOSIS", "CANCELLED"]


def test_unknown_status_is_422(world, open_order):
    order = open_order()
    assert move(world, order["id"], "FIXED").status_code == 422


def test_reject_cancels_and_keeps_stock(world, open_order, engine):
    order = open_order()
    to_awaiting_approval(world, order["id"])
    rejected = world.as_("customer").post(
        f"/service-orders/{order['id']}/budget/reject", json={"note": "caro demais"}
    )
    assert rejected.status_code == 200
    assert rejected.json["status"] == "CANCELLED"
    assert rejected.json["budget"]["decision"] == "rejected"
    assert rejected.json["history"][-1]["note"] == "caro demais"
    assert stock_of(engine, world.parts[0]) == 10


def test_budget_decision_only_while_awaiting(world, open_order, unchanged):
    order = open_order()
    with unchanged():
        response = world.as_("customer").post(f"/service-orders/{order['id']}/budget/approve")
    assert response.status_code == 409
    assert response.json["current_status"] == "RECEIVED"


def test_mechanic_cannot_decide_the_budget(world, open_order, unchanged):
    order = open_order()
    to_awaiting_approval(world, order["id"])
    with unchanged():
        assert move(world, order["id"], "IN_PROGRESS").status_code == 403
        assert (
            world.as_("mechanic").post(f"/service-orders/{order['id']}/budget/approve").status_code
            == 403
        )


def test_staff_can_approve_on_behalf_through_transitions(world, open_order):
    order = open_order()
    to_awaiting_approval(world, order["id"])
    response = move(
        world, order["id"], "IN_PROGRESS", who="attendant", note="aprovado por telefone"
    )
    assert response.status_code == 200
    assert response.json["budget"]["decision"] == "approved"


def test_stock_shortage_is_409_and_changes_nothing(world, open_order, unchanged, engine):
    order = open_order(
        parts=[
            {"part_id": str(world.parts[0].id), "quantity": 2},
            {"part_id": str(world.parts[1].id), "quantity": 5},
        ]
    )
    to_awaiting_approval(world, order["id"])
    with unchanged():
        response = world.as_("customer").post(f"/service-orders/{order['id']}/budget/approve")
    assert response.status_code == 409
    assert response.json["part_id"] == str(world.parts[1].id)
    assert (
        world.as_("customer").get(f"/service-orders/{order['id']}").json["status"]
        == "AWAITING_APPROVAL"
    )


def test_cancel_in_progress_releases_parts(world, open_order, engine):
    order = open_order()
    to_awaiting_approval(world, order["id"])
    world.as_("customer").post(f"/service-orders/{order['id']}/budget/approve")
    assert stock_of(engine, world.parts[0]) == 6
    assert move(world, order["id"], "CANCELLED", who="manager").status_code == 200
    assert stock_of(engine, world.parts[0]) == 10


def test_items_change_only_before_approval(world, open_order, unchanged):
    order = open_order()
    api = world.as_("mechanic")
    new_items = {
        "services": [{"service_id": str(world.services[1].id), "quantity": 1}],
        "parts": [{"part_id": str(world.parts[1].id), "quantity": 1}],
    }
    changed = api.put(f"/service-orders/{order['id']}/items", json=new_items)
    assert changed.status_code == 200, changed.json
    assert changed.json["budget"]["total"] == "115.50"
    to_awaiting_approval(world, order["id"])
    world.as_("customer").post(f"/service-orders/{order['id']}/budget/approve")
    with unchanged():
        late = api.put(f"/service-orders/{order['id']}/items", json=new_items)
    assert late.status_code == 409


def test_items_keep_their_frozen_price(world, open_order):
    order = open_order()
    world.as_("manager").patch(f"/services/{world.services[0].id}", json={"price": "500.00"})
    kept = world.as_("attendant").put(
        f"/service-orders/{order['id']}/items",
        json={"services": [{"service_id": str(world.services[0].id), "quantity": 2}]},
    )
    assert kept.json["services"][0]["unit_price"] == "120.00"


def test_active_queue_order_and_filters(world, open_order):
    ids = [open_order()["id"] for _ in range(5)]
    # ids[0] RECEIVED, ids[1] IN_DIAGNOSIS, ids[2] AWAITING, ids[3] IN_PROGRESS, ids[4] DELIVERED
    move(world, ids[1], "IN_DIAGNOSIS")
    to_awaiting_approval(world, ids[2])
    for oid in ids[3:]:
        to_awaiting_approval(world, oid)
        world.as_("customer").post(f"/service-orders/{oid}/budget/approve")
    for status in ["COMPLETED", "DELIVERED"]:
        move(world, ids[4], status, who="attendant")
    extra_received = open_order()["id"]

    queue = world.as_("mechanic").get("/service-orders").json
    assert [o["id"] for o in queue] == [ids[3], ids[2], ids[1], ids[0], extra_received]
    delivered = world.as_("mechanic").get("/service-orders?status=DELIVERED").json
    assert [o["id"] for o in delivered] == [ids[4]]
    both = world.as_("mechanic").get("/service-orders?status=DELIVERED&status=RECEIVED").json
    assert {o["id"] for o in both} == {ids[4], ids[0], extra_received}


def test_staff_see_only_their_unit_managers_all(world, open_order):
    mine = open_order()
    theirs = open_order(who="manager", unit_id=str(world.other_unit.id))
    assert [o["id"] for o in world.as_("mechanic").get("/service-orders").json] == [mine["id"]]
    other_mech = world.as_("other_unit_mechanic")
    assert [o["id"] for o in other_mech.get("/service-orders").json] == [theirs["id"]]
    assert other_mech.get(f"/service-orders/{mine['id']}").status_code == 404
    assert len(world.as_("manager").get("/service-orders").json) == 2
    scoped = world.as_("manager").get(f"/service-orders?unit_id={world.other_unit.id}").json
    assert [o["id"] for o in scoped] == [theirs["id"]]
    # Other staff may name their own unit, and see nothing of another (the read models' SQL);
    # a move of another unit's order is not found either (the services' ORM criteria).
    mechanic = world.as_("mechanic")
    own = mechanic.get(f"/service-orders?unit_id={world.unit.id}")
    assert [o["id"] for o in own.json] == [mine["id"]]
    refused = mechanic.get(f"/service-orders?unit_id={world.other_unit.id}")
    assert refused.json == []
    assert json.loads(refused.headers["X-Pagination"])["total"] == 0
    move = {"status": "IN_DIAGNOSIS"}
    assert (
        mechanic.post(f"/service-orders/{theirs['id']}/transitions", json=move).status_code == 404
    )


def test_customer_sees_only_own_orders(world, open_order):
    order = open_order()
    assert world.as_("customer").get(f"/service-orders/{order['id']}").status_code == 200
    assert [o["id"] for o in world.as_("customer").get("/me/service-orders").json] == [order["id"]]
    other = world.as_("other_customer")
    assert other.get(f"/service-orders/{order['id']}").status_code == 404
    assert other.post(f"/service-orders/{order['id']}/budget/approve").status_code == 404
    assert other.get("/me/service-orders").json == []


def test_unknown_order_is_404(world):
    assert world.as_("manager").get(f"/service-orders/{uuid.uuid4()}").status_code == 404
    assert world.as_("manager").get("/service-orders/not-a-uuid").status_code == 404


def test_list_uses_one_statement_whatever_the_page(world, open_order, app):
    """The page and its total come from one statement, an empty page included."""

    def list_page(query):
        with recorded_statements(app) as statements:
            response = world.as_("manager").get(f"/service-orders?{query}")
        assert response.status_code == 200
        executed = [s.split("(")[0] for s in statements if not s.startswith("PREPARE")]
        return executed, response.json, json.loads(response.headers["X-Pagination"])

    for _ in range(6):
        open_order()
    small, large, empty = list_page("page_size=2"), list_page("page_size=50"), list_page("page=9")
    statement = "SET LOCAL plan_cache_mode = force_generic_plan; EXECUTE order_page_active_all"
    assert small[0] == large[0] == empty[0] == [statement]
    assert (len(small[1]), len(large[1]), empty[1]) == (2, 6, [])
    assert small[2]["total"] == large[2]["total"] == empty[2]["total"] == 6


def test_opening_costs_two_statements_whatever_the_lines(world, app):
    """References, then the insert that returns the document (ADR 0030); lines come back in
    request order, and the document is the one a read of the order returns."""

    def open_with(services, parts):
        with recorded_statements(app) as statements:
            response = world.as_("attendant").post(
                "/service-orders",
                json={
                    "customer_id": str(world.customer.id),
                    "vehicle_id": str(world.vehicle.id),
                    "services": [{"service_id": str(s.id), "quantity": 1} for s in services],
                    "parts": [{"part_id": str(p.id), "quantity": 2} for p in parts],
                },
            )
        assert response.status_code == 201, response.json
        executed = [s.split("(")[0] for s in statements if s.startswith("EXECUTE")]
        return executed, response.json

    one, _ = open_with(world.services[:1], [])
    many, order = open_with(list(reversed(world.services)), list(reversed(world.parts)))
    assert one == many == ["EXECUTE open_order_references", "EXECUTE open_order_insert"]
    assert world.as_("attendant").get(f"/service-orders/{order['id']}").json == order
    assert [line["service_id"] for line in order["services"]] == [
        str(s.id) for s in reversed(world.services)
    ]
    assert [line["part_id"] for line in order["parts"]] == [
        str(p.id) for p in reversed(world.parts)
    ]
