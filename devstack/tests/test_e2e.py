"""End to end through the local gateway: a token from the auth function, then the API.

Runs the real stack of `make run` (auth function adapter + gunicorn + gateway) on a fresh
database, with the demo data. Executed by the root `make test` with oficina-flask's venv.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import run  # noqa: E402
from oficina import devdb  # noqa: E402

PORT = 18400
MARIA = "168.995.350-09"
JOSE = "955.243.615-03"
MANAGER = ("390.533.447-05", "oficina-demo")
ATTENDANT = ("529.982.247-25", "oficina-demo")
MECHANIC = ("111.444.777-35", "oficina-demo")


def call(method: str, path: str, body: dict | None = None, token: str | None = None,
         headers: dict | None = None) -> tuple[int, dict, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", **(headers or {}),
                 **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null"), dict(error.headers)


def token(cpf: str, password: str | None = None) -> str:
    body = {"cpf": cpf} if password is None else {"cpf": cpf, "password": password}
    status, answer, _ = call("POST", "/auth/token", body)
    assert status == 200, answer
    assert answer["token_type"] == "Bearer"
    return answer["access_token"]


@pytest.fixture(scope="module")
def outbox(tmp_path_factory):
    return tmp_path_factory.mktemp("outbox")


@pytest.fixture(scope="module")
def stack(outbox):
    root = Path(__file__).resolve().parents[2]
    admin = devdb.admin_url(os.environ.get("TEST_DATABASE_URL"),
                            root / "oficina-flask" / ".cache" / "pgdata-test")
    name = "oficina_e2e_" + hashlib.sha256(str(root).encode()).hexdigest()[:8]  # per checkout
    url = devdb.recreate_database(admin, name, driver="postgresql+psycopg2")
    os.environ["DATABASE_URL"] = url
    children, gateway, _ = run.start(PORT, quiet=True, outbox=outbox)
    import threading

    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    yield
    run.stop(children, gateway)


def wait_for_delivery(outbox: Path, order_number: int, seconds: float = 30) -> dict:
    """The delivery log line for the order's budget, once relay and function have run."""
    deadline = time.monotonic() + seconds
    log = outbox / "deliveries.jsonl"
    while time.monotonic() < deadline:
        if log.exists():
            for line in log.read_text().splitlines():
                if str(order_number) in line:
                    return json.loads(line)
        time.sleep(0.5)
    raise AssertionError(f"no delivery for order {order_number} in {log}")


def test_customer_and_staff_sign_in_then_the_order_flow(stack, outbox):
    maria, manager = token(MARIA), token(*MANAGER)
    attendant, mechanic = token(*ATTENDANT), token(*MECHANIC)

    status, vehicles, _ = call("GET", "/vehicles?plate=BRA2E19", token=attendant)
    assert status == 200
    vehicle = vehicles[0]
    _, services, _ = call("GET", "/services", token=attendant)
    status, order, headers = call(
        "POST", "/service-orders", token=attendant,
        body={"customer_id": vehicle["customer_id"], "vehicle_id": vehicle["id"],
              "services": [{"service_id": services[0]["id"]}]},
        headers={"Idempotency-Key": "e2e-1", "X-Request-ID": "e2e-request-1"})
    assert status == 201, order
    assert headers["X-Request-ID"] == "e2e-request-1"
    for target in ["IN_DIAGNOSIS", "AWAITING_APPROVAL"]:
        status, moved, _ = call("POST", f"/service-orders/{order['id']}/transitions",
                                {"status": target}, token=mechanic)
        assert status == 200, moved

    # The budget notification went outbox -> relay -> notification function -> delivery log.
    delivery = wait_for_delivery(outbox, order["number"])
    assert "Maria" in json.dumps(delivery, ensure_ascii=False)

    status, approved, _ = call("POST", f"/service-orders/{order['id']}/budget/approve", {},
                               token=maria)
    assert status == 200, approved
    assert approved["status"] == "IN_PROGRESS"
    status, mine, _ = call("GET", "/me/service-orders?page_size=100", token=maria)
    assert order["id"] in {o["id"] for o in mine}
    status, report, _ = call("GET", "/reports/service-execution-time", token=manager)
    assert status == 200
    assert report["by_status"][0]["status"] == "RECEIVED"


def test_refusals_across_the_two_components(stack):
    maria, jose = token(MARIA), token(JOSE)
    _, mine, _ = call("GET", "/me/service-orders", token=maria)
    assert mine, "the demo data gives Maria orders"
    assert call("GET", f"/service-orders/{mine[0]['id']}", token=jose)[0] == 404
    assert call("GET", "/customers", token=maria)[0] == 403
    assert call("GET", "/customers")[0] == 401
    assert call("GET", "/customers", token=maria[:-4] + "AAAA")[0] == 401
    status, body, _ = call("POST", "/auth/token", {"cpf": "529.982.247-24"})
    assert status in (400, 422)
    status, body, _ = call("POST", "/auth/token", {"cpf": "390.533.447-05", "password": "wrong"})
    assert status == 401
    # The inactive demo customer cannot sign in at all.
    assert call("POST", "/auth/token", {"cpf": "083.016.613-05"})[0] == 401


def test_public_routes_and_discovery(stack):
    assert call("GET", "/health/ready")[0] == 200
    status, discovery, _ = call("GET", "/.well-known/openid-configuration")
    assert status == 200
    assert discovery["issuer"] == f"http://127.0.0.1:{PORT}"
    status, jwks, _ = call("GET", "/.well-known/jwks.json")
    assert jwks["keys"][0]["alg"] == "RS256"
    status, spec, _ = call("GET", "/openapi.json")
    assert "/service-orders" in spec["paths"]


def test_the_postman_collection_runs_with_newman(stack):
    """The committed collection (generated from the live OpenAPI document) against the stack:
    sign in through the auth function, then every documented route; no 5xx, JSON bodies,
    the error shape on 4xx (the collection's own tests)."""
    root = Path(__file__).resolve().parents[2]
    newman = root / "oficina-flask" / "tools" / "node_modules" / ".bin" / "newman"
    collection = root / "oficina-flask" / "postman" / "oficina.postman_collection.json"
    result = subprocess.run(
        [str(newman), "run", str(collection), "--env-var", f"baseUrl=http://127.0.0.1:{PORT}",
         "--reporters", "cli", "--color", "off", "--timeout-request", "20000"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "a token is issued" in result.stdout
