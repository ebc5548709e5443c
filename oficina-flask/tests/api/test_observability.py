"""The log contract, request correlation, masking and the DogStatsD metrics, each caused here."""

import json

import structlog

from oficina.observability import redact
from tests.conftest import find_metric as _find

CONTRACT = {
    "timestamp",
    "level",
    "event",
    "service",
    "env",
    "version",
    "request_id",
    "method",
    "route",
    "status",
    "duration_ms",
    "role",
}


def _log_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_request_log_line_has_the_contract_fields(world, capsys):
    capsys.readouterr()
    response = world.as_("manager").get("/customers", headers={"X-Request-ID": "req-abc-123"})
    assert response.headers["X-Request-ID"] == "req-abc-123"
    lines = [line for line in _log_lines(capsys.readouterr().out) if line["event"] == "request"]
    assert len(lines) == 1
    line = lines[0]
    assert set(line) >= CONTRACT
    assert line["request_id"] == "req-abc-123"
    assert (line["method"], line["route"], line["status"], line["role"]) == (
        "GET",
        "/customers",
        200,
        "manager",
    )


def test_request_id_generated_when_absent_or_unsafe(world):
    generated = world.as_("manager").get("/health/live").headers["X-Request-ID"]
    assert len(generated) == 36
    for bad in ["a b c", "<script>", "x" * 200, "ção"]:
        unsafe = world.as_("manager").get("/health/live", headers={"X-Request-ID": bad})
        assert unsafe.headers["X-Request-ID"] != bad


def test_every_line_of_a_request_carries_its_request_id(world, capsys):
    capsys.readouterr()
    world.as_("manager").get(
        "/customers/00000000-0000-0000-0000-000000000000", headers={"X-Request-ID": "req-404"}
    )
    structlog.get_logger("test").info("inside", request_id_seen=True)
    lines = _log_lines(capsys.readouterr().out)
    assert all(line.get("request_id") == "req-404" for line in lines if line["event"] == "request")


PLANTED = {
    "cpf_formatted": "cliente 529.982.247-25 ligou",
    "cpf_digits": "52998224725",
    "cnpj": "CNPJ 11.222.333/0001-81",
    "nested": {"document": "16899535009", "password": "hunter2", "token": "eyJhbGciOi"},
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.x.y",
}


def test_redaction_masks_documents_and_drops_secrets():
    clean = redact.scrub(PLANTED)
    text = json.dumps(clean)
    for secret in [
        "529.982.247-25",
        "52998224725",
        "11.222.333/0001-81",
        "16899535009",
        "hunter2",
        "eyJhbGciOi",
    ]:
        assert secret not in text
    assert clean["cpf_formatted"] == "cliente ***.982.247-** ligou"
    assert clean["nested"] == {"document": "***.995.350-**"}
    assert "Authorization" not in clean
    assert redact.scrub("pedido 123 em 2026-12-01") == "pedido 123 em 2026-12-01"


def test_trace_ids_are_never_mistaken_for_documents():
    event = {
        "dd.trace_id": "6b0e88a80000000085ed1b0209d627e6",
        "dd.span_id": "12872950934605985",
        "note": "trace 80000000085",
    }
    clean = redact.scrub(event)
    assert clean["dd.trace_id"] == event["dd.trace_id"]
    assert clean["dd.span_id"] == event["dd.span_id"]
    assert clean["note"] == "trace ***.000.000-**"  # elsewhere the same digits are masked


def test_logs_never_carry_planted_personal_data(world, capsys):
    capsys.readouterr()
    structlog.get_logger("test").warning("lookup", **PLANTED)
    world.as_("attendant").get("/customers?document=529.982.247-25")
    world.as_("attendant").post("/customers", json={"document": "529.982.247-24", "name": "X"})
    out = capsys.readouterr().out
    for secret in [
        "529.982.247-25",
        "52998224725",
        "16899535009",
        "hunter2",
        "eyJhbGciOiJSUzI1NiJ9",
        "529.982.247-24",
    ]:
        assert secret not in out


def test_order_metrics_are_emitted(world, open_order, statsd):
    order = open_order()
    for status in ["IN_DIAGNOSIS", "AWAITING_APPROVAL"]:
        world.as_("mechanic").post(
            f"/service-orders/{order['id']}/transitions", json={"status": status}
        )
    packets = statsd()
    opened = _find(packets, "oficina.orders.opened")
    assert opened == [
        (
            "oficina.orders.opened",
            1.0,
            "c",
            {"unit:SP-01", "env:local", "service:oficina-api", "version:dev"},
        )
    ]
    moves = _find(packets, "oficina.orders.transitions")
    assert {frozenset(t for t in tags if t.startswith(("from:", "to:"))) for *_, tags in moves} == {
        frozenset({"from:RECEIVED", "to:IN_DIAGNOSIS"}),
        frozenset({"from:IN_DIAGNOSIS", "to:AWAITING_APPROVAL"}),
    }
    times = _find(packets, "oficina.orders.time_in_status")
    assert [kind for _, _, kind, _ in times] == ["d", "d"]
    assert all(value >= 0 for _, value, _, _ in times)
    assert {t for *_, tags in times for t in tags if t.startswith("status:")} == {
        "status:RECEIVED",
        "status:IN_DIAGNOSIS",
    }


def test_failures_are_emitted_and_rollbacks_count_nothing(world, open_order, statsd):
    order = open_order(parts=[{"part_id": str(world.parts[1].id), "quantity": 50}])
    statsd()
    world.as_("mechanic").post(
        f"/service-orders/{order['id']}/transitions", json={"status": "COMPLETED"}
    )
    for status in ["IN_DIAGNOSIS", "AWAITING_APPROVAL"]:
        world.as_("mechanic").post(
            f"/service-orders/{order['id']}/transitions", json={"status": status}
        )
    statsd()
    short = world.as_("customer").post(f"/service-orders/{order['id']}/budget/approve")
    assert short.status_code == 409
    packets = statsd()
    failures = _find(packets, "oficina.orders.failures")
    assert failures == [
        (
            "oficina.orders.failures",
            1.0,
            "c",
            {
                "stage:budget",
                "reason:stock_shortage",
                "env:local",
                "service:oficina-api",
                "version:dev",
            },
        )
    ]
    # The refused approval rolled back: no transition and no time-in-status was counted.
    assert _find(packets, "oficina.orders.transitions") == []
    assert _find(packets, "oficina.orders.time_in_status") == []


def test_invalid_transition_failure_metric(world, open_order, statsd):
    order = open_order()
    statsd()
    world.as_("mechanic").post(
        f"/service-orders/{order['id']}/transitions", json={"status": "DELIVERED"}
    )
    failures = _find(statsd(), "oficina.orders.failures")
    assert [tags & {"stage:transition", "reason:invalid_transition"} for *_, tags in failures] == [
        {"stage:transition", "reason:invalid_transition"}
    ]
