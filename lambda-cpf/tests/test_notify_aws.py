"""The notification function end to end on moto: SNS FIFO -> SQS FIFO -> handler -> SES / SNS,
idempotency in DynamoDB, DLQ by the redrive policy, and the DogStatsD datagrams on a real socket."""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import pytest
from tests.conftest import (
    NOTIFY_TABLE,
    NotifyAws,
    StatsdListener,
    load_sqs_event,
    notify_env,
    ses_sent,
    sms_sent,
)

from oficina_notify.bootstrap import build_consumer
from oficina_notify.models.config import Settings

PII = ("maria@example.com", "joao@example.com", "+5511912345678", "91234-5678", "91234")


def lambda_records(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """SQS ReceiveMessage output -> the event the Lambda event source mapping delivers."""
    records = []
    for m in messages:
        records.append(
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {
                    name: {"stringValue": v.get("StringValue"), "dataType": v["DataType"]}
                    for name, v in m.get("MessageAttributes", {}).items()
                },
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "us-east-1",
            }
        )
    return {"Records": records}


class EventSourceMapping:
    """What the Lambda service does for the SQS trigger with ReportBatchItemFailures: receive a
    batch, invoke, delete the records not reported, leave the others to become visible again."""

    def __init__(self, aws: NotifyAws, handler: Any) -> None:
        self.sqs = aws.client("sqs")
        self.queue_url = aws.queue_url
        self.queue_arn = self.sqs.get_queue_attributes(
            QueueUrl=aws.queue_url, AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        self.handler = handler

    def poll(self) -> dict[str, Any] | None:
        got = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=10,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not got:
            return None
        answer = self.handler(lambda_records(got, self.queue_arn), None)
        failed = {f["itemIdentifier"] for f in answer["batchItemFailures"]}
        for m in got:
            if m["MessageId"] not in failed:
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=m["ReceiptHandle"])
        return answer


def body_of(name: str, index: int = 0) -> dict[str, Any]:
    return json.loads(load_sqs_event(name)["Records"][index]["body"])


def publish(aws: NotifyAws, body: dict[str, Any] | str, group: str, dedup: str, etype: str) -> None:
    aws.client("sns").publish(
        TopicArn=aws.topic_arn,
        Message=body if isinstance(body, str) else json.dumps(body, ensure_ascii=False),
        MessageGroupId=group,
        MessageDeduplicationId=dedup,
        MessageAttributes={"event_type": {"DataType": "String", "StringValue": etype}},
    )


@pytest.fixture
def handler(notify_aws: NotifyAws, statsd: StatsdListener, monkeypatch: pytest.MonkeyPatch):
    """The real entry point, imported with an environment, as at a cold start."""
    for key, value in notify_env(statsd).items():
        monkeypatch.setenv(key, value)
    sys.modules.pop("oficina_notify.handler", None)
    module = importlib.import_module("oficina_notify.handler")
    yield module.lambda_handler
    sys.modules.pop("oficina_notify.handler", None)


def test_status_change_event_through_sns_and_sqs_sends_one_portuguese_email(
    notify_aws, handler, statsd, capsys
):
    body = body_of("sqs_awaiting_approval_email")
    publish(notify_aws, body, body["order"]["id"], body["event_id"], body["event_type"])
    mapping = EventSourceMapping(notify_aws, handler)

    assert mapping.poll() == {"batchItemFailures": []}
    assert mapping.poll() is None  # deleted from the queue

    (email,) = ses_sent(notify_aws)
    assert email.destinations["ToAddresses"] == ["maria@example.com"]
    assert email.source == "Oficina <no-reply@oficina.example>"
    assert email.subject == "Orçamento da OS nº 42 pronto para aprovação (BRA2E19)"
    for expected in (
        "Olá, Maria Oliveira!",
        "ordem de serviço nº 42",
        "Volkswagen Gol, placa BRA2E19",
        "Valor total: R$ 452,60",
        "Para aprovar o orçamento: https://api.oficina.example/service-orders/"
        "5b0e4f0e-9a51-4c8e-9d84-0f2b7d3c1a01/budget/approve",
        "Para recusar o orçamento: https://api.oficina.example/service-orders/"
        "5b0e4f0e-9a51-4c8e-9d84-0f2b7d3c1a01/budget/reject",
        "Oficina Centro",
    ):
        assert expected in email.body

    (metric,) = [m for m in statsd.parsed() if m[0] == "oficina.notifications.sent"]
    assert metric[1:3] == (1, "c")
    assert {"channel:email", "event_type:service_order.awaiting_approval"} <= metric[3]
    assert {"service:oficina-notify", "env:test", "version:1.2.3"} <= metric[3]

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    (sent,) = [line for line in lines if line["event"] == "notification.sent"]
    assert sent["request_id"] == "req-demo-0042"
    assert sent["event_id"] == body["event_id"]
    assert sent["to"] == "m***@example.com"
    assert sent["level"] == "info" and sent["timestamp"].endswith("Z")
    assert sent["service"] == "oficina-notify" and sent["env"] == "test"

    item = notify_aws.client("dynamodb").get_item(
        TableName=NOTIFY_TABLE, Key={"event_id": {"S": body["event_id"]}}
    )["Item"]
    assert item["status"]["S"] == "sent"
    assert int(item["expires_at"]["N"]) > int(item["sent_at"]["N"]) + 13 * 86_400


def test_redelivered_and_republished_events_are_sent_once(notify_aws, handler, statsd, capsys):
    event = load_sqs_event("sqs_awaiting_approval_email")
    assert handler(event, None) == {"batchItemFailures": []}
    # SQS redelivery (same message) and a relay re-publish after a crash between publish and
    # mark-sent (new SQS message, same event_id, outside SNS's 5-minute dedup window).
    redelivered = load_sqs_event("sqs_awaiting_approval_email")
    redelivered["Records"][0]["attributes"]["ApproximateReceiveCount"] = "2"
    assert handler(redelivered, None) == {"batchItemFailures": []}
    republished = load_sqs_event("sqs_awaiting_approval_email")
    republished["Records"][0]["messageId"] = "new-sqs-message-id"
    assert handler(republished, None) == {"batchItemFailures": []}

    assert len(ses_sent(notify_aws)) == 1
    sent = [m for m in statsd.parsed() if m[0] == "oficina.notifications.sent"]
    assert [m[1] for m in sent] == [1]
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    duplicates = [line for line in lines if line["event"] == "notification.duplicate"]
    assert len(duplicates) == 2
    assert {d["request_id"] for d in duplicates} == {"req-demo-0042"}


def test_poisoned_message_reaches_the_dlq_after_max_receive_count(
    notify_aws, handler, statsd, capsys
):
    publish(notify_aws, "{not json", "order-poison", "poison-event-1", "service_order.completed")
    mapping = EventSourceMapping(notify_aws, handler)
    answers = []
    while (answer := mapping.poll()) is not None:
        answers.append(answer)
        assert len(answers) <= 10, "the poisoned message is retried forever"
    assert len(answers) == 5  # maxReceiveCount
    assert all(len(a["batchItemFailures"]) == 1 for a in answers)

    sqs = notify_aws.client("sqs")
    dead = sqs.receive_message(QueueUrl=notify_aws.dlq_url, AttributeNames=["All"])["Messages"]
    assert [m["Body"] for m in dead] == ["{not json"]
    assert not ses_sent(notify_aws)

    failures = [m for m in statsd.parsed() if m[0] == "oficina.notifications.failures"]
    assert len(failures) == 5
    assert all(m[1] == 1 and "reason:invalid_message" in m[3] for m in failures)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    failed = [line for line in lines if line["event"] == "notification.failed"]
    assert [f["receive_count"] for f in failed] == ["1", "2", "3", "4", "5"]
    assert all(f["level"] == "error" and f["poison"] is True for f in failed)


def test_batch_with_one_bad_message_reports_exactly_that_item(notify_aws, handler, statsd):
    answer = handler(load_sqs_event("sqs_batch_one_poisoned"), None)
    assert answer == {
        "batchItemFailures": [{"itemIdentifier": "b2b2b2b2-0000-4000-8000-000000000002"}]
    }
    sent = ses_sent(notify_aws)
    assert sorted(m.destinations["ToAddresses"][0] for m in sent) == [
        "joao@example.com",
        "maria@example.com",
    ]
    delivered = next(m for m in sent if m.destinations["ToAddresses"] == ["joao@example.com"])
    assert delivered.subject == "Obrigado pela preferência: OS nº 44 (BRA2E19)"
    assert "Olá, João Souza!" in delivered.body
    names = [m[0] for m in statsd.parsed()]
    assert names.count("oficina.notifications.sent") == 2
    assert names.count("oficina.notifications.failures") == 1


def test_after_a_failure_the_rest_of_that_order_waits_but_other_orders_go_on(notify_aws, handler):
    event = load_sqs_event("sqs_batch_one_poisoned")
    # the third record now belongs to the same order (message group) as the poisoned one
    event["Records"][2]["attributes"]["MessageGroupId"] = event["Records"][1]["attributes"][
        "MessageGroupId"
    ]
    answer = handler(event, None)
    assert [f["itemIdentifier"] for f in answer["batchItemFailures"]] == [
        "b2b2b2b2-0000-4000-8000-000000000002",
        "c3c3c3c3-0000-4000-8000-000000000003",
    ]
    assert [m.destinations["ToAddresses"] for m in ses_sent(notify_aws)] == [["maria@example.com"]]


def test_sms_when_the_customer_has_no_email(notify_aws, handler, statsd):
    assert handler(load_sqs_event("sqs_completed_sms"), None) == {"batchItemFailures": []}
    assert not ses_sent(notify_aws)
    ((phone, text),) = sms_sent(notify_aws)
    assert phone == "+5511912345678"
    assert text == "Oficina Centro: seu veículo BRA2E19 (OS 42) está pronto para retirada."
    (metric,) = [m for m in statsd.parsed() if m[0] == "oficina.notifications.sent"]
    assert {"channel:sms", "event_type:service_order.completed"} <= metric[3]


def test_send_failure_is_retried_and_counted_as_an_integration_error(notify_aws, statsd, capsys):
    settings = Settings.from_env(
        {**notify_env(statsd), "NOTIFY_EMAIL_SOURCE": "unverified@oficina.example"}
    )
    consumer = build_consumer(settings, session=notify_aws.session)
    event = load_sqs_event("sqs_awaiting_approval_email")
    answer = consumer.handle_batch(event)
    assert answer["batchItemFailures"] == [{"itemIdentifier": event["Records"][0]["messageId"]}]
    rows = statsd.parsed()
    assert rows[0][:3] == ("oficina.notifications.failures", 1, "c")
    assert "reason:send_error" in rows[0][3]
    assert rows[1][0] == "oficina.integration.errors"
    assert {"integration:notifications", "kind:ses"} <= rows[1][3]
    (failed,) = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if '"notification.failed"' in line
    ]
    assert failed["detail"] == "MessageRejected" and failed["request_id"] == "req-demo-0042"

    # the claim was released: once SES accepts the sender, the retry sends (exactly once)
    notify_aws.client("ses").verify_email_identity(EmailAddress="unverified@oficina.example")
    assert consumer.handle_batch(event) == {"batchItemFailures": []}
    assert consumer.handle_batch(event) == {"batchItemFailures": []}
    assert len(ses_sent(notify_aws)) == 1


def test_a_live_claim_of_another_invocation_is_retried_later(notify_aws, statsd):
    consumer = build_consumer(Settings.from_env(notify_env(statsd)), session=notify_aws.session)
    event = load_sqs_event("sqs_awaiting_approval_email")
    event_id = json.loads(event["Records"][0]["body"])["event_id"]
    from oficina_notify.dal.idempotency import Claim

    now = 1_800_000_000.0
    assert consumer.store.claim(event_id, "x", now) is Claim.ACQUIRED
    consumer.clock = lambda: now + 5  # the other invocation is still within its lease
    assert consumer.handle_batch(event)["batchItemFailures"]
    assert not ses_sent(notify_aws)
    consumer.clock = lambda: now + 10_000  # it crashed: the lease ran out, we take over
    assert consumer.handle_batch(event) == {"batchItemFailures": []}
    assert len(ses_sent(notify_aws)) == 1


def test_no_contact_is_skipped_and_logged(notify_aws, handler, capsys):
    event = load_sqs_event("sqs_completed_sms")
    body = json.loads(event["Records"][0]["body"])
    body["customer"]["phone"] = None
    event["Records"][0]["body"] = json.dumps(body)
    assert handler(event, None) == {"batchItemFailures": []}
    assert not ses_sent(notify_aws) and not sms_sent(notify_aws)
    assert '"notification.skipped"' in capsys.readouterr().out


def test_no_email_phone_or_cpf_in_logs(notify_aws, handler, capsys):
    planted = load_sqs_event("sqs_awaiting_approval_email")
    body = json.loads(planted["Records"][0]["body"])
    body["request_id"] = "req 529.982.247-25 maria@example.com +55 11 91234-5678"
    planted["Records"][0]["body"] = json.dumps(body)
    handler(planted, None)
    handler(load_sqs_event("sqs_completed_sms"), None)
    handler(load_sqs_event("sqs_batch_one_poisoned"), None)
    bad_phone = load_sqs_event("sqs_completed_sms")
    body = json.loads(bad_phone["Records"][0]["body"])
    body["event_id"], body["customer"]["phone"] = "other-id", "+55 11 9123"
    bad_phone["Records"][0]["body"] = json.dumps(body)
    handler(bad_phone, None)
    out = capsys.readouterr().out
    assert out.count("\n") >= 6
    for value in (*PII, "529.982.247-25", "52998224725"):
        assert value not in out, value
    assert "***.***.***-**" in out and "m***@example.com" in out
    for line in out.splitlines():
        json.loads(line)
