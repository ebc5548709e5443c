"""Every attempt is one JSON line with request_id, outcome, reason and a masked CPF; planted
secrets (CPF, password, token) never appear in the captured output."""

from __future__ import annotations

import json

import pytest
from tests.conftest import STAFF_CPF, STAFF_PASSWORD, UNKNOWN_CPF, load_event

from auth_cpf import logs

PLANTED_PASSWORD = "Pl4nted-Secret-Pa55"


def _lines(captured: str) -> list[dict]:
    return [json.loads(line) for line in captured.splitlines() if line.strip()]


def _forbidden(cpf: str) -> list[str]:
    formatted = f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"
    return [cpf, formatted]


def test_attempt_logs_are_json_and_masked(invoke, capsys):
    capsys.readouterr()
    _, ok, _ = invoke(load_event("post_token_staff"))
    invoke(load_event("post_token_staff", body={"cpf": STAFF_CPF, "password": PLANTED_PASSWORD}))
    invoke(load_event("post_token_customer", body={"cpf": UNKNOWN_CPF}))
    invoke(load_event("post_token_customer", body={"cpf": "529.982.247-24"}))
    out = capsys.readouterr().out
    events = [e for e in _lines(out) if e["event"] == "auth.attempt"]
    assert [(e["outcome"], e["reason"], e["status"]) for e in events] == [
        ("issued", "ok", 200),
        ("denied", "wrong_password", 401),
        ("denied", "unknown_cpf", 401),
        ("invalid_request", "check_digits", 422),
    ]
    assert [e["cpf"] for e in events] == [
        "***.533.447-**",
        "***.533.447-**",
        "***.411.347-**",
        "***.***.***-**",  # an invalid CPF is hidden entirely
    ]
    assert events[0]["request_id"] == "req-staff-0001"
    assert events[2]["request_id"] == "req-customer-0001"
    assert events[0]["role"] == "mechanic" and events[0]["kind"] == "staff"
    assert all(e["level"] in {"info", "warning"} and "timestamp" in e for e in events)
    for secret in [
        *_forbidden(STAFF_CPF),
        *_forbidden(UNKNOWN_CPF),
        "52998224724",
        STAFF_PASSWORD,
        PLANTED_PASSWORD,
        ok["access_token"],
        ok["access_token"].split(".")[2],
    ]:
        assert secret not in out


def test_throttled_and_malformed_attempts_are_logged(invoke, capsys):
    for _ in range(4):
        invoke(load_event("post_token_customer", body={"cpf": UNKNOWN_CPF}))
    invoke(load_event("post_token_customer", body="{not json"))
    events = [e for e in _lines(capsys.readouterr().out) if e["event"] == "auth.attempt"]
    assert events[3]["outcome"] == "throttled" and events[3]["status"] == 429
    assert events[4]["outcome"] == "invalid_request"
    assert events[4]["reason"] == "malformed_request"
    assert events[4]["cpf"] == "***.***.***-**"


def test_database_down_is_logged_without_details(settings, context, capsys):
    import dataclasses

    from auth_cpf.bootstrap import build_app

    app = build_app(dataclasses.replace(settings, database_url="postgresql://u@127.0.0.1:1/x"))
    capsys.readouterr()
    app.resolve(load_event("post_token_customer"), context)
    (event,) = [e for e in _lines(capsys.readouterr().out) if e["event"] == "auth.attempt"]
    assert event["outcome"] == "unavailable"
    assert event["reason"].startswith("connect:")


@pytest.mark.parametrize(
    "value",
    [
        "cpf 52998224725 here",
        "529.982.247-25",
        "x=529982247-25;",
        ["52998224725"],
        {"nested": "529.982.247-25"},
    ],
)
def test_scrubber_masks_cpf_anywhere(value):
    event = logs.scrub_cpf(None, "info", {"message": "m", "field": value})
    assert "52998224725" not in json.dumps(event)
    assert "529.982.247-25" not in json.dumps(event)
    assert "***.***.***-**" in json.dumps(event)


def test_scrubber_keeps_other_numbers():
    event = {"message": "m", "count": 3, "id": "123456789012345", "short": "1234"}
    assert logs.scrub_cpf(None, "info", dict(event)) == event


def test_unhandled_error_is_a_json_500_without_details(settings, context, capsys):
    from auth_cpf.bootstrap import build_app

    class Exploding:
        def attempt_state(self, *_):
            raise RuntimeError("boom 52998224725")

    app = build_app(settings, repository=Exploding())  # type: ignore[arg-type]
    result = app.resolve(load_event("post_token_customer"), context)
    assert result["statusCode"] == 500
    assert json.loads(result["body"]) == {"error": "internal_error", "message": "internal error"}
    out = capsys.readouterr().out
    assert "52998224725" not in out and "boom" not in out
    assert any(e.get("error_type") == "RuntimeError" for e in _lines(out))


def test_scrubber_keeps_the_masked_form():
    event = {"message": "m", "cpf": "***.533.447-**"}
    assert logs.scrub_cpf(None, "info", dict(event)) == event
    assert logs.scrub_cpf(None, "info", {"cpf": "39053344705"})["cpf"] == "***.***.***-**"
