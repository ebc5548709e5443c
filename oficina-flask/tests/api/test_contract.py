"""The OpenAPI document, the error shape, and inputs that must never produce a 500."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CONTRACT_PATHS = {
    "/health/live",
    "/health/ready",
    "/customers",
    "/customers/{customer_id}",
    "/vehicles",
    "/vehicles/{vehicle_id}",
    "/services",
    "/services/{service_id}",
    "/parts",
    "/parts/{part_id}",
    "/parts/{part_id}/stock-entries",
    "/service-orders",
    "/service-orders/{order_id}",
    "/service-orders/{order_id}/transitions",
    "/service-orders/{order_id}/budget/approve",
    "/service-orders/{order_id}/budget/reject",
    "/service-orders/{order_id}/items",
    "/me/service-orders",
    "/reports/service-execution-time",
}


@pytest.fixture(scope="module")
def spec(app):
    response = app.test_client().get("/openapi.json")
    assert response.status_code == 200
    return response.json


def test_contract_paths_are_documented(spec):
    assert set(spec["paths"]) >= CONTRACT_PATHS


def test_every_operation_has_summary_tags_and_error_responses(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            assert op.get("summary"), (method, path)
            assert op.get("tags"), (method, path)
            codes = set(op["responses"])
            assert any(code.startswith("2") for code in codes), (method, path)
            if not path.startswith("/health"):
                assert {"401", "403"} <= codes, (method, path)
                assert op.get("security") != [], (method, path)


def test_health_is_public_in_the_spec(spec):
    assert spec["paths"]["/health/live"]["get"]["security"] == []


def test_error_shape_everywhere(world):
    cases = [
        world.as_("anonymous").get("/customers"),
        world.as_("customer").get("/customers"),
        world.as_("manager").get("/customers/00000000-0000-0000-0000-000000000000"),
        world.as_("manager").post("/services", json={}),
        world.as_("manager").get("/no-such-route"),
        world.as_("manager").delete("/health/live"),
    ]
    for response in cases:
        body = response.json
        assert set(body) >= {"status", "error", "message"}, body
        assert body["status"] == response.status_code
    assert [r.status_code for r in cases] == [401, 403, 404, 422, 404, 405]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)
ORDER_KEYS = ["customer_id", "vehicle_id", "services", "parts", "description", "unit_id"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(st.sampled_from(ORDER_KEYS), json_values, max_size=6) | json_values)
def test_arbitrary_order_bodies_never_500(world, body):
    response = world.as_("manager").post("/service-orders", json=body)
    assert response.status_code in {201, 400, 403, 409, 422}, (body, response.json)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=64) | st.text(max_size=64).map(str.encode))
def test_arbitrary_bytes_never_500(world, raw):
    for path in ["/customers", "/service-orders", "/services"]:
        response = world.as_("manager").post(
            path, data=raw, headers={"Content-Type": "application/json"}
        )
        assert response.status_code in {400, 409, 422}, (raw, response.json)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=30))
def test_arbitrary_query_strings_never_500(world, query):
    for path in [
        "/customers?document=",
        "/vehicles?plate=",
        "/service-orders?status=",
        "/reports/service-execution-time?from=",
    ]:
        response = world.as_("manager").get(path + json.dumps(query)[1:-1])
        assert response.status_code in {200, 400, 422}, (path, query, response.json)
