"""The transactional outbox and its relay, on real PostgreSQL and moto's SNS/SQS."""

import json
import time
import tracemalloc
import uuid

import boto3
import pytest
from moto import mock_aws
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from oficina.outbox import relay
from oficina.outbox.transports import Message, PublishError, SnsTransport
from oficina.services import events
from tests.conftest import find_metric


def move(world, order_id, status, who="mechanic"):
    response = world.as_(who).post(
        f"/service-orders/{order_id}/transitions", json={"status": status}
    )
    assert response.status_code == 200, response.json
    return response


def outbox(engine):
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT event_type, state, payload, request_id FROM outbox_events ORDER BY seq")
        ).all()


class Recording:
    """A transport that keeps what it was given (and can fail on demand)."""

    def __init__(self, fail_times=0):
        self.messages, self.fail_times = [], fail_times

    def publish(self, message: Message) -> None:
        if self.fail_times:
            self.fail_times -= 1
            raise PublishError("SNS throttled")
        self.messages.append(message)


def test_customer_facing_moves_write_events_in_the_same_transaction(world, open_order, engine):
    order = open_order()
    move(world, order["id"], "IN_DIAGNOSIS")
    assert outbox(engine) == []  # not customer-facing
    world.as_("mechanic").post(
        f"/service-orders/{order['id']}/transitions",
        json={"status": "AWAITING_APPROVAL"},
        headers={"X-Request-ID": "req-budget-1"},
    )
    [(event_type, state, payload, request_id)] = outbox(engine)
    assert (event_type, state, request_id) == (
        "service_order.awaiting_approval",
        "pending",
        "req-budget-1",
    )
    assert payload["order"] == {
        "id": order["id"],
        "number": order["number"],
        "status": "AWAITING_APPROVAL",
        "budget_total": "291.60",
        "unit_name": "Oficina Centro",
    }
    assert payload["customer"]["name"] == "Maria Cliente"
    assert payload["vehicle"]["plate"] == "BRA2E19"
    assert payload["links"]["approve"].endswith(f"/service-orders/{order['id']}/budget/approve")
    assert "16899535009" not in json.dumps(payload)  # no CPF in events


def test_a_rolled_back_change_writes_no_event(world, open_order, engine, monkeypatch):
    order = open_order()
    move(world, order["id"], "IN_DIAGNOSIS")
    real = events.record_status_event

    def then_crash(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("crash after the event was added")

    monkeypatch.setattr(events, "record_status_event", then_crash)
    response = world.as_("mechanic").post(
        f"/service-orders/{order['id']}/transitions", json={"status": "AWAITING_APPROVAL"}
    )
    assert response.status_code == 500
    assert outbox(engine) == []
    assert (
        world.as_("mechanic").get(f"/service-orders/{order['id']}").json["status"] == "IN_DIAGNOSIS"
    )


@pytest.fixture
def aws(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        sns, sqs = boto3.client("sns"), boto3.client("sqs")
        topic = sns.create_topic(
            Name="oficina-test-order-events.fifo", Attributes={"FifoTopic": "true"}
        )["TopicArn"]
        queue = sqs.create_queue(
            QueueName="oficina-test-notifications.fifo", Attributes={"FifoQueue": "true"}
        )["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        sns.subscribe(
            TopicArn=topic,
            Protocol="sqs",
            Endpoint=queue_arn,
            Attributes={"RawMessageDelivery": "true"},
        )
        yield sns, sqs, topic, queue


def _receive_all(sqs, queue):
    bodies = []
    while True:
        batch = sqs.receive_message(
            QueueUrl=queue, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
        ).get("Messages", [])
        if not batch:
            return bodies
        for message in batch:
            bodies.append((json.loads(message["Body"]), message.get("MessageAttributes", {})))
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])


def test_relay_publishes_through_sns_fifo_to_sqs_in_order(world, open_order, engine, aws):
    sns, sqs, topic, queue = aws
    order = open_order()
    for status in ["IN_DIAGNOSIS", "AWAITING_APPROVAL"]:
        move(world, order["id"], status)
    world.as_("customer").post(f"/service-orders/{order['id']}/budget/approve")
    for status in ["COMPLETED", "DELIVERED"]:
        move(world, order["id"], status, who="attendant")

    sent = relay.drain(sessionmaker(engine), SnsTransport(topic, client=sns))
    assert sent == 3
    received = _receive_all(sqs, queue)
    assert [body["event_type"] for body, _ in received] == [
        "service_order.awaiting_approval",
        "service_order.completed",
        "service_order.delivered",
    ]
    assert all(attrs["event_type"]["StringValue"] == body["event_type"] for body, attrs in received)
    assert len({body["event_id"] for body, _ in received}) == 3
    assert {state for _, state, _, _ in outbox(engine)} == {"sent"}


def test_crash_between_publish_and_commit_republishes_the_same_event(world, open_order, engine):
    order = open_order()
    for status in ["IN_DIAGNOSIS", "AWAITING_APPROVAL"]:
        move(world, order["id"], status)

    class CrashAfterPublish(Recording):
        def publish(self, message):
            super().publish(message)
            raise KeyboardInterrupt("the pod was killed")

    crashing = CrashAfterPublish()
    with pytest.raises(KeyboardInterrupt):
        relay.drain(sessionmaker(engine), crashing)
    assert [s for _, s, _, _ in outbox(engine)] == ["pending"]  # the mark-sent never committed
    healthy = Recording()
    assert relay.drain(sessionmaker(engine), healthy) == 1
    # At-least-once: the same event id went out twice; the notification function drops the copy.
    assert crashing.messages[0].event_id == healthy.messages[0].event_id


def test_failures_back_off_then_dead_letter_with_metrics(world, open_order, engine, statsd):
    order = open_order()
    for status in ["IN_DIAGNOSIS", "AWAITING_APPROVAL"]:
        move(world, order["id"], status)
    statsd()
    failing = Recording(fail_times=relay.MAX_ATTEMPTS)
    sessions = sessionmaker(engine)
    for attempt in range(1, relay.MAX_ATTEMPTS + 1):
        relay.drain(sessions, failing)
        with engine.begin() as conn:
            attempts, state, delay = conn.execute(
                text(
                    "SELECT attempts, state, extract(epoch FROM next_attempt_at - now()) "
                    "FROM outbox_events"
                )
            ).one()
            assert attempts == attempt
            if state == "pending":
                assert delay > 0  # scheduled for later, not hammered
                conn.execute(text("UPDATE outbox_events SET next_attempt_at = now()"))
    assert state == "dead"
    errors = find_metric(statsd(), "oficina.integration.errors")
    kinds = [next(t for t in tags if t.startswith("kind:")) for *_, tags in errors]
    assert kinds == ["kind:publish_failed"] * (relay.MAX_ATTEMPTS - 1) + ["kind:dead_letter"]
    assert failing.messages == []


def test_a_failing_event_holds_back_later_events_of_its_order(world, open_order, engine):
    order = open_order()
    for status in ["IN_DIAGNOSIS", "AWAITING_APPROVAL", "CANCELLED"]:
        move(world, order["id"], status, who="attendant")
    flaky = Recording(fail_times=1)
    relay.drain(sessionmaker(engine), flaky)
    assert flaky.messages == []  # the first failed; the cancellation must not overtake it
    with engine.begin() as conn:
        conn.execute(text("UPDATE outbox_events SET next_attempt_at = now()"))
    relay.drain(sessionmaker(engine), flaky)
    assert [m.event_type for m in flaky.messages] == [
        "service_order.awaiting_approval",
        "service_order.cancelled",
    ]


def test_backlog_gauges(world, open_order, engine, statsd):
    order = open_order()
    for status in ["IN_DIAGNOSIS", "AWAITING_APPROVAL"]:
        move(world, order["id"], status)
    statsd()
    with sessionmaker(engine)() as s:
        pending, _ = relay.report_backlog(s)
    packets = statsd()
    assert pending == 1
    assert find_metric(packets, "oficina.outbox.backlog")[0][1:3] == (1.0, "g")
    assert find_metric(packets, "oficina.outbox.oldest_age_seconds")[0][2] == "g"


def test_ten_thousand_event_backlog_drains_in_order_with_bounded_memory(world, engine):
    orders = 500
    with engine.begin() as conn:
        order_ids = [uuid.uuid4() for _ in range(orders)]
        conn.execute(
            text(
                "INSERT INTO service_orders (id, unit_id, customer_id, vehicle_id, status, "
                "services_total, parts_total, version) "
                "SELECT x, :u, :c, :v, 'RECEIVED', 0, 0, 1 FROM unnest(CAST(:ids AS uuid[])) x"
            ),
            {
                "ids": [str(i) for i in order_ids],
                "u": world.unit.id,
                "c": world.customer.id,
                "v": world.vehicle.id,
            },
        )
        conn.execute(
            text(
                "INSERT INTO outbox_events (service_order_id, event_type, payload) "
                "SELECT o, 'service_order.completed', "
                "jsonb_build_object('n', n, 'pad', repeat('x', 800)) "
                "FROM unnest(CAST(:ids AS uuid[])) o, generate_series(1, 20) n ORDER BY n, o"
            ),
            {"ids": [str(i) for i in order_ids]},
        )
    sink = Recording()
    sink.messages = None  # keep only what the check needs, not 10,000 bodies
    last_seen: dict[str, int] = {}
    out_of_order = 0

    class Checking(Recording):
        def publish(self, message):
            nonlocal out_of_order
            n = json.loads(message.body)["n"]
            out_of_order += n <= last_seen.get(message.group_id, 0)
            last_seen[message.group_id] = n

    tracemalloc.start()
    started = time.perf_counter()
    sent = relay.drain(sessionmaker(engine), Checking(), batch_size=200)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\noutbox drain: {sent} events in {elapsed:.2f} s "
        f"({sent / elapsed:.0f} events/s), peak Python memory {peak / 2**20:.1f} MiB"
    )
    assert sent == orders * 20
    assert out_of_order == 0
    assert set(last_seen.values()) == {20}
    assert peak < 32 * 2**20  # bounded by the batch, not by the backlog
