"""Customers and vehicles through the API, including bad input that must change nothing."""

import json

import pytest


def test_create_read_update_deactivate_customer(world):
    api = world.as_("attendant")
    created = api.post(
        "/customers",
        json={"document": "390.533.447-05", "name": "João Souza", "email": "joao@example.com"},
    )
    assert created.status_code == 201, created.json
    body = created.json
    assert body["document"] == "39053344705"
    assert body["document_type"] == "CPF"
    assert body["status"] == "active"

    assert api.get(f"/customers/{body['id']}").json["name"] == "João Souza"
    updated = api.patch(f"/customers/{body['id']}", json={"phone": "+55 11 99999-0000"})
    assert updated.status_code == 200
    assert updated.json["phone"] == "+55 11 99999-0000"

    assert api.delete(f"/customers/{body['id']}").status_code == 204
    assert api.get(f"/customers/{body['id']}").json["status"] == "inactive"


def test_search_by_document_with_punctuation_and_pagination(world):
    api = world.as_("attendant")
    found = api.get("/customers?document=168.995.350-09")
    assert found.status_code == 200
    assert [c["id"] for c in found.json] == [str(world.customer.id)]
    page = api.get("/customers?page=1&page_size=1")
    assert len(page.json) == 1
    assert json.loads(page.headers["X-Pagination"])["total"] == 2


def test_cnpj_customer(world):
    response = world.as_("manager").post(
        "/customers", json={"document": "45.723.174/0001-10", "name": "Frota Express"}
    )
    assert response.status_code == 201, response.json
    assert response.json["document_type"] == "CNPJ"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"document": "529.982.247-24", "name": "X"}, "document"),
        ({"document": "111.111.111-11", "name": "X"}, "document"),
        ({"document": "123", "name": "X"}, "document"),
        ({"name": "X"}, "document"),
        ({"document": "52998224725"}, "name"),
        ({"document": "52998224725", "name": ""}, "name"),
        ({"document": "52998224725", "name": "X", "email": "not-an-email"}, "email"),
        ({"document": "52998224725", "name": "X", "is_admin": True}, "is_admin"),
        ({"document": 52998224725, "name": "X"}, "document"),
    ],
)
def test_bad_customer_is_422_and_writes_nothing(world, unchanged, body, field):
    with unchanged():
        response = world.as_("attendant").post("/customers", json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]


def test_duplicate_document_is_409(world, unchanged):
    with unchanged():
        response = world.as_("attendant").post(
            "/customers", json={"document": "168.995.350-09", "name": "Clone"}
        )
    assert response.status_code == 409
    assert "already exists" in response.json["message"]


def test_unknown_customer_is_404(world):
    response = world.as_("attendant").get("/customers/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json["error"] == "Not Found"


def test_malformed_json_is_400(world, unchanged):
    with unchanged():
        response = world.as_("attendant").post(
            "/customers", data="{not json", headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert response.json["status"] == 400


def test_vehicle_plates_in_both_formats(world):
    api = world.as_("attendant")
    old = api.post(
        "/vehicles",
        json={
            "customer_id": str(world.customer.id),
            "plate": "xyz-9876",
            "make": "Chevrolet",
            "model": "Onix",
            "year": 2020,
        },
    )
    assert old.status_code == 201, old.json
    assert old.json["plate"] == "XYZ9876"
    assert api.get("/vehicles?plate=XYZ-9876").json[0]["id"] == old.json["id"]
    owned = api.get(f"/vehicles?customer_id={world.customer.id}").json
    assert {v["plate"] for v in owned} == {"BRA2E19", "XYZ9876"}


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"plate": "ABCD-12"}, "plate"),
        ({"year": 1800}, "year"),
        ({"make": ""}, "make"),
        ({"customer_id": "not-a-uuid"}, "customer_id"),
        ({"customer_id": "00000000-0000-0000-0000-000000000000"}, "customer_id"),
    ],
)
def test_bad_vehicle_is_422_and_writes_nothing(world, unchanged, patch, field):
    body = {
        "customer_id": str(world.customer.id),
        "plate": "QWE1R23",
        "make": "Ford",
        "model": "Ka",
        "year": 2018,
        **patch,
    }
    with unchanged():
        response = world.as_("attendant").post("/vehicles", json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]


def test_duplicate_plate_is_409(world, unchanged):
    with unchanged():
        response = world.as_("attendant").post(
            "/vehicles",
            json={
                "customer_id": str(world.customer.id),
                "plate": "BRA-2E19",
                "make": "VW",
                "model": "Gol",
                "year": 2019,
            },
        )
    assert response.status_code == 409


def test_vehicle_update_and_delete(world):
    api = world.as_("manager")
    vid = world.other_vehicle.id
    assert api.patch(f"/vehicles/{vid}", json={"year": 2013}).json["year"] == 2013
    assert api.delete(f"/vehicles/{vid}").status_code == 204
    assert api.get(f"/vehicles/{vid}").status_code == 404


def test_vehicle_with_orders_cannot_be_deleted(world, open_order, unchanged):
    open_order()
    with unchanged():
        response = world.as_("manager").delete(f"/vehicles/{world.vehicle.id}")
    assert response.status_code == 409


def test_inactive_customer_gets_no_new_vehicle(world, unchanged):
    world.as_("attendant").delete(f"/customers/{world.other_customer.id}")
    with unchanged():
        response = world.as_("attendant").post(
            "/vehicles",
            json={
                "customer_id": str(world.other_customer.id),
                "plate": "QWE1R23",
                "make": "Ford",
                "model": "Ka",
                "year": 2018,
            },
        )
    assert response.status_code == 422
