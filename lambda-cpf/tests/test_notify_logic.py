"""Parsing, Portuguese rendering, masking, metrics packets, settings and the local runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from tests.conftest import ROOT, StatsdListener, load_sqs_event

from oficina_notify import logs, metrics
from oficina_notify.dal.idempotency import Claim, SqliteIdempotencyStore
from oficina_notify.local_runner import main as runner_main
from oficina_notify.local_runner import to_record
from oficina_notify.logic.render import brl, render
from oficina_notify.models.config import Settings
from oficina_notify.models.errors import ConfigError, PoisonMessage
from oficina_notify.models.events import parse_event


def body(name: str = "sqs_awaiting_approval_email") -> dict:
    return json.loads(load_sqs_event(name)["Records"][0]["body"])


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0", "R$ 0,00"),
        ("452.6", "R$ 452,60"),
        ("1452.605", "R$ 1.452,61"),
        ("1234567.8", "R$ 1.234.567,80"),
    ],
)
def test_brl(value, text):
    assert brl(Decimal(value)) == text


def test_every_event_type_renders_in_portuguese():
    expected = {
        "service_order.awaiting_approval": "pronto para aprovação",
        "service_order.completed": "já pode ser retirado",
        "service_order.delivered": "foi entregue",
        "service_order.cancelled": "foi cancelada",
    }
    for event_type, phrase in expected.items():
        data = body()
        data["event_type"] = event_type
        message = render(parse_event(json.dumps(data)))
        assert message is not None and message.channel == "email"
        assert phrase in message.subject + message.text
        assert "Maria Oliveira" in message.text and "BRA2E19" in message.text
        assert "nº 42" in message.subject


def test_sms_texts_are_short_and_carry_the_links():
    for event_type in (
        "service_order.awaiting_approval",
        "service_order.completed",
        "service_order.delivered",
        "service_order.cancelled",
    ):
        data = body()
        data["event_type"], data["customer"]["email"] = event_type, None
        message = render(parse_event(json.dumps(data)))
        assert message.channel == "sms" and message.to == "+5511912345678"
        assert len(message.text) <= 320 and "BRA2E19" in message.text


def test_awaiting_approval_sms_has_total_and_links():
    data = body()
    data["customer"]["email"] = None
    text = render(parse_event(json.dumps(data))).text
    assert "R$ 452,60" in text and "/budget/approve" in text and "/budget/reject" in text


def _mutate(path: str, value):
    data = body()
    target = data
    *parents, last = path.split(".")
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return json.dumps(data)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("{not json", "invalid_message"),
        ("[]", "invalid_message"),
        ("x" * 70_000, "invalid_message"),
        (_mutate("event_id", ""), "invalid_message"),
        (_mutate("event_type", "service_order.opened"), "unknown_event_type"),
        (_mutate("order.number", "42"), "invalid_message"),
        (_mutate("order.number", True), "invalid_message"),
        (_mutate("order.budget_total", "abc"), "invalid_message"),
        (_mutate("order.budget_total", "-1"), "invalid_message"),
        (_mutate("order", None), "invalid_message"),
        (_mutate("customer.name", KeyError), "invalid_message"),
        (_mutate("vehicle.plate", 7), "invalid_message"),
        (_mutate("request_id", 7), "invalid_message"),
        (_mutate("links", "x"), "invalid_message"),
    ],
)
def test_unparseable_messages_are_poison(raw, reason):
    with pytest.raises(PoisonMessage) as info:
        parse_event(raw)
    assert info.value.reason == reason


@pytest.mark.parametrize(
    "raw",
    [
        _mutate("links.approve", KeyError),
        _mutate("order.budget_total", None),
        _mutate("customer.email", "not-an-email"),
    ],
)
def test_unrenderable_messages_are_poison(raw):
    with pytest.raises(PoisonMessage) as info:
        render(parse_event(raw))
    assert info.value.reason == "unrenderable"


def test_bad_phone_is_poison_and_attribute_mismatch_too():
    data = body("sqs_completed_sms")
    data["customer"]["phone"] = "12345"
    with pytest.raises(PoisonMessage):
        render(parse_event(json.dumps(data)))
    with pytest.raises(PoisonMessage):
        parse_event(json.dumps(body()), "service_order.cancelled")


def test_masking():
    assert logs.mask_email("maria@example.com") == "m***@example.com"
    assert logs.mask_phone("+55 11 91234-5678") == "+55*********78"
    scrubbed = logs.scrub(None, "info", {"x": "a maria@example.com b +55 11 91234-5678 c"})
    assert scrubbed == {"x": "a m***@example.com b +***78 c"}
    # timestamps, UUIDs and order numbers survive
    kept = {"t": "2026-12-01T10:15:00Z", "id": "5b0e4f0e-9a51-4c8e-9d84-0f2b7d3c1a01", "n": 42}
    assert logs.scrub(None, "info", kept) == kept


def test_dogstatsd_packet_on_a_real_socket():
    listener = StatsdListener()
    client = metrics.DogStatsd("127.0.0.1", listener.port, metrics.unified_tags("s", "e", "v"))
    client.increment(metrics.FAILURES, reason="invalid message|x")
    client.close()
    assert listener.packets() == [
        "oficina.notifications.failures:1|c|#service:s,env:e,version:v,reason:invalid_message_x"
    ]
    listener.sock.close()
    silent = metrics.DogStatsd("127.0.0.1", 9)  # nothing listens: never raises
    silent.increment("x")
    assert silent.packet("x", 2, "c", {}) == b"x:2|c"


def test_settings_report_every_problem_at_once():
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"LOG_LEVEL": "loud", "NOTIFY_LEASE_SECONDS": "x"})
    text = str(info.value)
    for name in ("NOTIFY_IDEMPOTENCY_TABLE", "NOTIFY_EMAIL_SOURCE", "LOG_LEVEL", "NOTIFY_LEASE"):
        assert name in text
    ok = Settings.from_env(
        {"NOTIFY_IDEMPOTENCY_TABLE": "t", "NOTIFY_EMAIL_SOURCE": "a@b.c", "DD_ENV": "prod"}
    )
    assert ok.env == "prod" and ok.statsd_port == 8125 and ok.idempotency_ttl_days == 14
    with pytest.raises(ConfigError):
        Settings.from_env(
            {
                "NOTIFY_IDEMPOTENCY_TABLE": "t",
                "NOTIFY_EMAIL_SOURCE": "a@b.c",
                "DD_DOGSTATSD_PORT": "0",
            }
        )


def test_sqlite_store_has_the_dynamodb_semantics(tmp_path):
    store = SqliteIdempotencyStore(tmp_path / "s.sqlite3", ttl_days=1, lease_seconds=60)
    assert store.claim("e1", "t", 1000) is Claim.ACQUIRED
    assert store.claim("e1", "t", 1010) is Claim.IN_FLIGHT
    assert store.claim("e1", "t", 1100) is Claim.ACQUIRED  # lease ran out
    store.release("e1")
    assert store.claim("e1", "t", 1101) is Claim.ACQUIRED
    store.complete("e1", 1102, "m-1")
    assert store.claim("e1", "t", 1103) is Claim.ALREADY_SENT
    assert store.claim("e1", "t", 1102 + 86_401) is Claim.ACQUIRED  # expired ("TTL")


def _outbox(tmp_path: Path) -> Path:
    outbox = tmp_path / ".dev" / "outbox"
    outbox.mkdir(parents=True)
    first = body()
    sms = body("sqs_completed_sms")
    lines = [
        json.dumps(first, ensure_ascii=False),
        json.dumps(first, ensure_ascii=False),  # the relay published it twice
        json.dumps({"message": json.dumps(sms), "message_group_id": sms["order"]["id"]}),
        "{poison",
    ]
    (outbox / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return outbox


def test_local_runner_once_writes_the_delivery_log(tmp_path, capsys):
    outbox = _outbox(tmp_path)
    args = [
        "--once",
        "--events",
        str(outbox / "events.jsonl"),
        "--deliveries",
        str(outbox / "deliveries.jsonl"),
        "--dead-letters",
        str(outbox / "dead-letters.jsonl"),
        "--state",
        str(outbox / "state.sqlite3"),
    ]
    assert runner_main(args) == 0
    deliveries = [json.loads(x) for x in (outbox / "deliveries.jsonl").read_text().splitlines()]
    assert [d["channel"] for d in deliveries] == ["email", "sms"]
    assert deliveries[0]["to"] == "m***@example.com"
    assert "Valor total: R$ 452,60" in deliveries[0]["text"]
    assert deliveries[0]["request_id"] == "req-demo-0042"
    assert "pronto para retirada" in deliveries[1]["text"]
    # the poisoned line is retried on the next polls, then dead-lettered (like maxReceiveCount)
    for _ in range(4):
        runner_main(args)
    assert (outbox / "dead-letters.jsonl").read_text() == "{poison\n"
    # new events are picked up from where the runner stopped; old ones are not resent
    with (outbox / "events.jsonl").open("a") as fh:
        later = body()
        later["event_id"], later["event_type"] = "later-1", "service_order.completed"
        fh.write(json.dumps(later) + "\n")
    runner_main(args)
    assert len((outbox / "deliveries.jsonl").read_text().splitlines()) == 3
    out = capsys.readouterr().out
    assert "maria@example.com" not in out and '"dead_lettered": 1' in out


def test_local_runner_as_a_module_in_the_default_folder(tmp_path):
    _outbox(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "oficina_notify.local_runner", "--once"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {
        "runner": "done",
        "processed": 3,  # two sent, one duplicate suppressed
        "failed": 1,
        "dead_lettered": 0,
    }
    assert (tmp_path / ".dev/outbox/deliveries.jsonl").read_text().count("\n") == 2


def test_local_runner_outbox_folder_option(tmp_path):
    outbox = _outbox(tmp_path)
    assert runner_main(["--once", "--outbox", str(outbox)]) == 0
    assert (outbox / "deliveries.jsonl").read_text().count("\n") == 2
    assert (outbox / "notify-state.sqlite3").exists()


def test_file_lines_become_sqs_records():
    data = body()
    record = to_record(json.dumps(data), 7, 2)
    assert record["messageId"] == "local-line-7"
    assert record["attributes"] == {
        "ApproximateReceiveCount": "2",
        "MessageGroupId": data["order"]["id"],
    }
    assert record["messageAttributes"]["event_type"]["stringValue"] == data["event_type"]
    envelope = to_record(json.dumps({"body": data, "event_type": data["event_type"]}), 1, 1)
    assert json.loads(envelope["body"]) == data
    assert to_record("garbage", 1, 1)["body"] == "garbage"
