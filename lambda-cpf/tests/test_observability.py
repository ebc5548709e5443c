"""The log contract (docs/observability.md) on both functions, with planted secrets, and the auth
function's DogStatsD metrics: each outcome is caused for real and its UDP datagram received on a
local socket (name, value, type, tags)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
import structlog
from tests.conftest import (
    CUSTOMER_CPF,
    INACTIVE_CUSTOMER_CPF,
    ROOT,
    STAFF_CPF,
    STAFF_PASSWORD,
    UNKNOWN_CPF,
    load_event,
    load_sqs_event,
)

from auth_cpf import metrics as auth_metrics
from auth_cpf.bootstrap import build_app

CONTRACT = {"timestamp", "level", "event", "service", "env", "version", "request_id"}
REQUEST_FIELDS = {"method", "route", "status", "duration_ms", "role"}
UNIFIED = {"service:auth-cpf", "env:test", "version:9.9.9"}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.fixture
def observed(settings, seed, statsd, context):
    """The auth function wired as at a cold start, DogStatsD pointed at the local socket."""
    observed_settings = dataclasses.replace(
        settings,
        service="auth-cpf",
        env="test",
        version="9.9.9",
        statsd_host="127.0.0.1",
        statsd_port=statsd.port,
    )

    def make(**changes: Any) -> Any:
        app = build_app(dataclasses.replace(observed_settings, **changes))
        return lambda event: app.resolve(event, context)

    return make


# ------------------------------------------------------------------------------- log contract
def test_auth_log_lines_carry_exactly_the_contract_fields(observed, capsys):
    call = observed()
    capsys.readouterr()
    call(load_event("post_token_staff", headers={"x-request-id": "obs-staff-1"}))
    call(load_event("get_jwks", headers={"x-request-id": "obs-jwks-1"}))
    lines = _lines(capsys.readouterr().out)
    assert [line["event"] for line in lines] == ["auth.attempt", "request", "request"]
    for line in lines:
        assert set(line) >= CONTRACT, line
        assert "message" not in line  # the event is `event`, never renamed
        assert (line["service"], line["env"], line["version"]) == ("auth-cpf", "test", "9.9.9")
        assert ISO_UTC.match(line["timestamp"]), line["timestamp"]
        assert line["level"] in {"info", "warning"}
        assert not any(k.startswith("dd.") for k in line)  # no active span here
    attempt, request, jwks = lines
    assert attempt["request_id"] == request["request_id"] == "obs-staff-1"
    assert (attempt["result"], attempt["kind"], attempt["cpf"]) == (
        "success",
        "staff",
        "***.533.447-**",
    )
    assert set(request) >= REQUEST_FIELDS
    assert (request["method"], request["route"], request["status"], request["role"]) == (
        "POST",
        "/auth/token",
        200,
        "mechanic",
    )
    assert isinstance(request["duration_ms"], float)
    assert (jwks["route"], jwks["status"], jwks["role"], jwks["request_id"]) == (
        "/.well-known/jwks.json",
        200,
        None,
        "obs-jwks-1",
    )


def test_request_id_falls_back_to_the_gateway_request_id_then_a_new_one(observed, capsys):
    call = observed()
    capsys.readouterr()
    gateway = load_event("post_token_no_request_id")
    first = call(gateway)
    anonymous = load_event("post_token_no_request_id")
    del anonymous["requestContext"]["requestId"]
    second = call(anonymous)
    unknown = call(load_event("get_unknown_route", headers={"x-request-id": "bad id\n"}))
    lines = _lines(capsys.readouterr().out)
    assert first["headers"]["X-Request-ID"] == gateway["requestContext"]["requestId"]
    assert len(second["headers"]["X-Request-ID"]) == 36  # a fresh UUID
    assert unknown["statusCode"] == 404
    echoed = [r["headers"]["X-Request-ID"] for r in (first, second, unknown)]
    assert [x["request_id"] for x in lines if x["event"] == "request"] == echoed
    attempts = [x for x in lines if x["event"] == "auth.attempt"]
    assert [x["request_id"] for x in attempts] == echoed[:2]
    (not_found,) = [x for x in lines if x["event"] == "request" and x["status"] == 404]
    assert not_found["route"] is None  # unknown paths are not logged (cardinality, probing)


PLANTED_PASSWORD = "Pl4nted-Secret-Pa55"
PLANTED_TOKEN = "eyJhbGciOiJSUzI1NiJ9.planted.token"


def test_planted_cpf_cnpj_password_and_tokens_never_reach_the_output(observed, capsys):
    call = observed()
    capsys.readouterr()
    ok = call(load_event("post_token_staff"))
    token = json.loads(ok["body"])["access_token"]
    call(load_event("post_token_staff", body={"cpf": STAFF_CPF, "password": PLANTED_PASSWORD}))
    call(load_event("post_token_customer", body={"cpf": "529.982.247-25", "extra": "x"}))
    call(load_event("post_token_customer", headers={"authorization": f"Bearer {PLANTED_TOKEN}"}))
    # Anything logged by mistake, anywhere in an event, is masked or dropped.
    structlog.get_logger("test").warning(
        "planted",
        note=f"cliente {CUSTOMER_CPF} / 529.982.247-25, empresa 11.222.333/0001-81",
        nested={"password": PLANTED_PASSWORD, "token": token, "ok": [f"cpf={STAFF_CPF}"]},
        Authorization=f"Bearer {PLANTED_TOKEN}",
        access_token=token,
    )
    out = capsys.readouterr().out
    for secret in [
        CUSTOMER_CPF,
        "529.982.247-25",
        STAFF_CPF,
        "390.533.447-05",
        "11.222.333/0001-81",
        "11222333000181",
        STAFF_PASSWORD,
        PLANTED_PASSWORD,
        PLANTED_TOKEN,
        token,
        token.split(".")[2],
    ]:
        assert secret not in out, secret
    (planted,) = [x for x in _lines(out) if x["event"] == "planted"]
    assert planted["note"] == "cliente ***.***.***-** / ***.***.***-**, empresa **.***.***/****-**"
    assert planted["nested"] == {"ok": ["cpf=***.***.***-**"]}
    assert "Authorization" not in planted and "access_token" not in planted


def test_trace_ids_are_never_masked():
    from auth_cpf import logs

    # A 128-bit trace id in hex can hold an 11-digit run: it must survive the CPF scrubber.
    event = {"dd.trace_id": "6b0e88a80000000085ed37354cdb26a7", "dd.span_id": "52998224725"}
    assert logs.scrub_cpf(None, "info", dict(event)) == event


def test_notify_log_lines_carry_the_contract_fields(tmp_path, statsd, capsys):
    from oficina_notify.bootstrap import build_consumer
    from oficina_notify.dal.idempotency import SqliteIdempotencyStore
    from oficina_notify.dal.senders import DeliveryLogSender
    from oficina_notify.models.config import Settings

    settings = Settings.from_env(
        {
            "NOTIFY_IDEMPOTENCY_TABLE": "t",
            "NOTIFY_EMAIL_SOURCE": "o@x.example",
            "DD_DOGSTATSD_PORT": str(statsd.port),
            "DD_ENV": "test",
            "DD_VERSION": "9.9.9",
        }
    )
    consumer = build_consumer(
        settings,
        store=SqliteIdempotencyStore(tmp_path / "s.sqlite3"),
        sender=DeliveryLogSender(tmp_path / "d.jsonl"),
    )
    event = load_sqs_event("sqs_awaiting_approval_email")
    body = json.loads(event["Records"][0]["body"])
    body["customer"]["name"] = f"Ana {CUSTOMER_CPF} token={PLANTED_TOKEN}"
    event["Records"][0]["body"] = json.dumps(body)
    poison = load_sqs_event("sqs_awaiting_approval_email")["Records"][0]
    poison.update(messageId="poison-1", body="{not json")
    poison["attributes"]["MessageGroupId"] = "another-order"
    event["Records"].append(poison)
    capsys.readouterr()
    consumer.handle_batch(event)
    lines = _lines(capsys.readouterr().out)
    assert {x["event"] for x in lines} == {"notification.sent", "notification.failed"}
    for line in lines:
        assert set(line) >= CONTRACT, line
        assert (line["service"], line["env"], line["version"]) == (
            "oficina-notify",
            "test",
            "9.9.9",
        )
        assert ISO_UTC.match(line["timestamp"])
    (sent,) = [x for x in lines if x["event"] == "notification.sent"]
    assert sent["request_id"] == body["request_id"]
    (failed,) = [x for x in lines if x["event"] == "notification.failed"]
    assert failed["request_id"] is None  # an unparseable message has no request id to carry
    assert CUSTOMER_CPF not in json.dumps(lines)


# ------------------------------------------------------------------------------------ metrics
def _attempts(statsd) -> list[tuple[str, int, str, set[str]]]:
    return [p for p in statsd.parsed() if p[0] == auth_metrics.ATTEMPTS]


@pytest.mark.parametrize(
    ("event", "changes", "status", "result", "kind"),
    [
        ("post_token_customer", {}, 200, "success", "customer"),
        ("post_token_staff", {}, 200, "success", "staff"),
        ("post_token_customer", {"body": {"cpf": UNKNOWN_CPF}}, 401, "denied", "customer"),
        (
            "post_token_customer",
            {"body": {"cpf": INACTIVE_CUSTOMER_CPF}},
            401,
            "denied",
            "customer",
        ),
        (
            "post_token_staff",
            {"body": {"cpf": STAFF_CPF, "password": "wrong"}},
            401,
            "denied",
            "staff",
        ),
        ("post_token_customer", {"body": {"cpf": "529.982.247-24"}}, 422, "invalid", "customer"),
        ("post_token_staff", {"body": {"cpf": STAFF_CPF, "password": ""}}, 422, "invalid", "staff"),
        ("post_token_customer", {"body": "{not json"}, 400, "invalid", "customer"),
        ("post_token_customer", {"body": {"cpf": 52998224725}}, 400, "invalid", "customer"),
    ],
)
def test_each_attempt_sends_one_datagram_with_result_and_kind(
    observed, statsd, event, changes, status, result, kind
):
    response = observed()(load_event(event, **changes))
    assert response["statusCode"] == status
    assert _attempts(statsd) == [
        (auth_metrics.ATTEMPTS, 1, "c", {f"result:{result}", f"kind:{kind}", *UNIFIED})
    ]


def test_throttled_attempts_are_counted_as_throttled(observed, statsd):
    call = observed()
    for _ in range(4):  # AUTH_MAX_FAILED_ATTEMPTS=3 in the test settings
        call(load_event("post_token_customer", body={"cpf": UNKNOWN_CPF}))
    got = [(p[1], p[3]) for p in _attempts(statsd)]
    assert got == [(1, {"result:denied", "kind:customer", *UNIFIED})] * 3 + [
        (1, {"result:throttled", "kind:customer", *UNIFIED})
    ]


def test_database_down_is_an_error_attempt_and_a_database_integration_error(observed, statsd):
    call = observed(database_url="postgresql://u@127.0.0.1:1/x", db_connect_timeout_seconds=1)
    assert call(load_event("post_token_staff"))["statusCode"] == 503
    packets = statsd.parsed()
    assert (auth_metrics.ATTEMPTS, 1, "c", {"result:error", "kind:staff", *UNIFIED}) in packets
    assert (
        auth_metrics.INTEGRATION_ERRORS,
        1,
        "c",
        {"integration:database", "kind:connect", *UNIFIED},
    ) in packets
    assert len(packets) == 2


def test_a_bug_is_an_error_attempt_without_integration_error(settings, statsd, context):
    class Exploding:
        def attempt_state(self, *_):
            raise RuntimeError("boom")

    app = build_app(
        dataclasses.replace(settings, env="test", version="9.9.9", statsd_port=statsd.port),
        repository=Exploding(),  # type: ignore[arg-type]
    )
    assert app.resolve(load_event("post_token_customer"), context)["statusCode"] == 500
    assert statsd.parsed() == [
        (auth_metrics.ATTEMPTS, 1, "c", {"result:error", "kind:customer", *UNIFIED})
    ]


def test_wire_format_is_the_one_of_the_datadog_client(statsd):
    """Our datagram, byte for byte, is what the official ``datadog`` DogStatsd client sends."""
    from datadog.dogstatsd import DogStatsd as Official

    constant = auth_metrics.unified_tags("auth-cpf", "test", "9.9.9")
    official = Official(
        host="127.0.0.1",
        port=statsd.port,
        constant_tags=constant,
        disable_telemetry=True,
        disable_buffering=True,
    )
    ours = auth_metrics.DogStatsd("127.0.0.1", statsd.port, constant)
    official.increment(auth_metrics.ATTEMPTS, tags=["result:denied", "kind:staff"])
    ours.increment(auth_metrics.ATTEMPTS, result="denied", kind="staff")
    official.increment(
        auth_metrics.INTEGRATION_ERRORS, tags=["integration:database", "kind:timeout"]
    )
    ours.increment(auth_metrics.INTEGRATION_ERRORS, integration="database", kind="timeout")
    official.close_socket()
    ours.close()
    first, second, third, fourth = (p.rstrip("\n") for p in statsd.packets())
    assert (
        first
        == second
        == (
            "oficina.auth.attempts:1|c|#result:denied,kind:staff,service:auth-cpf,env:test,version:9.9.9"
        )
    )
    assert third == fourth


def test_metric_names_and_tag_values_are_the_catalog_ones():
    catalog = ROOT.parent / "docs" / "observability.md"
    text = catalog.read_text() if catalog.exists() else None
    assert set(auth_metrics.RESULTS) == {"success", "denied", "throttled", "invalid", "error"}
    assert set(auth_metrics.KINDS) == {"customer", "staff"}
    if text is not None:  # in the monorepo: the catalog row says the same
        row = next(line for line in text.splitlines() if "`oficina.auth.attempts`" in line)
        for value in (*auth_metrics.RESULTS, *auth_metrics.KINDS):
            assert f"`{value}`" in row


def test_trace_test_environment_is_the_terraform_one():
    from tests.test_tracing import CLOUD_DD_ENV

    main_tf = (ROOT / "terraform" / "modules" / "oficina-serverless" / "main.tf").read_text()
    for key, value in CLOUD_DD_ENV.items():
        assert re.search(rf'^\s*{key}\s*=\s*"{value}"', main_tf, re.M), key
    for name, service, handler in [
        ("auth.tf", "auth-cpf", "auth_handler"),
        ("notify.tf", "oficina-notify", "notify_handler"),
    ]:
        tf = Path(ROOT / "terraform" / "modules" / "oficina-serverless" / name).read_text()
        assert re.search(rf'DD_SERVICE\s*=\s*"{service}"', tf)
        assert f'"datadog_lambda.handler.handler" : local.{handler}' in tf
        assert f"DD_LAMBDA_HANDLER = local.{handler}" in tf
