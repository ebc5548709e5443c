"""The service catalog, parts and the stock ledger."""

import pytest
from sqlalchemy import text


def test_service_crud_and_retire(world):
    api = world.as_("manager")
    created = api.post(
        "/services", json={"name": "Balanceamento", "price": "60", "estimated_minutes": 40}
    )
    assert created.status_code == 201, created.json
    assert created.json["price"] == "60.00"
    sid = created.json["id"]
    assert api.patch(f"/services/{sid}", json={"price": "65.50"}).json["price"] == "65.50"
    assert api.delete(f"/services/{sid}").status_code == 204
    assert sid not in {s["id"] for s in api.get("/services").json}
    assert sid in {s["id"] for s in api.get("/services?include_inactive=true").json}
    assert api.get(f"/services/{sid}").json["active"] is False


def test_retired_service_cannot_be_ordered(world, unchanged):
    world.as_("manager").delete(f"/services/{world.services[0].id}")
    with unchanged():
        response = world.as_("attendant").post(
            "/service-orders",
            json={
                "customer_id": str(world.customer.id),
                "vehicle_id": str(world.vehicle.id),
                "services": [{"service_id": str(world.services[0].id)}],
            },
        )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "price": "-1", "estimated_minutes": 10}, "price"),
        ({"name": "X", "price": "abc", "estimated_minutes": 10}, "price"),
        ({"name": "X", "price": "10", "estimated_minutes": 0}, "estimated_minutes"),
        ({"price": "10", "estimated_minutes": 10}, "name"),
    ],
)
def test_bad_service_is_422(world, unchanged, body, field):
    with unchanged():
        response = world.as_("manager").post("/services", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_duplicate_service_name_is_409(world, unchanged):
    with unchanged():
        response = world.as_("manager").post(
            "/services", json={"name": "Alinhamento", "price": "1", "estimated_minutes": 1}
        )
    assert response.status_code == 409


def test_part_with_initial_stock_goes_into_the_ledger(world, engine):
    api = world.as_("manager")
    part = api.post(
        "/parts",
        json={
            "sku": "PST-FREIO",
            "name": "Pastilha de freio",
            "unit_price": "89.90",
            "stock_quantity": 8,
            "minimum_stock": 10,
        },
    ).json
    assert part["below_minimum"] is True
    ledger = api.get(f"/parts/{part['id']}/stock-entries").json
    assert [(m["quantity"], m["reason"]) for m in ledger] == [(8, "initial")]
    low = api.get("/parts?below_minimum=true").json
    assert {p["sku"] for p in low} == {"PST-FREIO"}


def test_restock_and_adjust(world, engine):
    api = world.as_("attendant")
    pid = world.parts[1].id
    assert (
        api.post(
            f"/parts/{pid}/stock-entries", json={"quantity": 7, "reason": "restock"}
        ).status_code
        == 201
    )
    assert (
        api.post(
            f"/parts/{pid}/stock-entries",
            json={"quantity": -2, "reason": "adjustment", "note": "avaria"},
        ).status_code
        == 201
    )
    assert api.get(f"/parts/{pid}").json["stock_quantity"] == 3 + 7 - 2
    with engine.connect() as conn:
        ledger_sum = conn.execute(
            text("SELECT sum(quantity) FROM stock_movements WHERE part_id = :p"), {"p": pid}
        ).scalar_one()
    assert ledger_sum == 5  # the fixture's initial 3 was inserted directly, not via the ledger


def test_stock_never_below_zero(world, unchanged):
    with unchanged():
        response = world.as_("attendant").post(
            f"/parts/{world.parts[1].id}/stock-entries",
            json={"quantity": -4, "reason": "adjustment"},
        )
    assert response.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"quantity": 0, "reason": "restock"},
        {"quantity": -1, "reason": "restock"},
        {"quantity": 1, "reason": "reservation"},
        {"quantity": "many", "reason": "restock"},
        {"reason": "restock"},
    ],
)
def test_bad_stock_entry_is_422(world, unchanged, body):
    with unchanged():
        response = world.as_("attendant").post(
            f"/parts/{world.parts[0].id}/stock-entries", json=body
        )
    assert response.status_code == 422, response.json


def test_stock_is_not_editable_through_patch(world, unchanged):
    with unchanged():
        response = world.as_("manager").patch(
            f"/parts/{world.parts[0].id}", json={"stock_quantity": 1000}
        )
    assert response.status_code == 422


def test_part_update_retire_and_duplicate_sku(world, unchanged):
    api = world.as_("manager")
    pid = world.parts[0].id
    assert api.patch(f"/parts/{pid}", json={"unit_price": "45.00"}).json["unit_price"] == "45.00"
    with unchanged():
        assert api.patch(f"/parts/{pid}", json={"sku": "FLT-01"}).status_code == 409
    assert api.delete(f"/parts/{pid}").status_code == 204
    assert api.get(f"/parts/{pid}").json["active"] is False
    assert api.get("/parts/00000000-0000-0000-0000-000000000000").status_code == 404
