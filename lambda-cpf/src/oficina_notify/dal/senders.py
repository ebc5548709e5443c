"""Where rendered messages go: SES (e-mail) and SNS (SMS) in AWS, a delivery log locally."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from oficina_notify.logs import mask_recipient
from oficina_notify.models.errors import TransientFailure
from oficina_notify.models.events import OrderEvent
from oficina_notify.models.messages import RenderedMessage


class Sender(Protocol):
    def send(self, message: RenderedMessage, event: OrderEvent) -> str:
        """Deliver the message; return the provider's message id. Raise TransientFailure."""
        ...


def _failure(kind: str, exc: Exception) -> TransientFailure:
    code = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else type(exc).__name__
    return TransientFailure("send_error", kind, code)


class AwsSender:
    """E-mail through SES ``SendEmail`` (UTF-8 text part), SMS through SNS ``Publish``."""

    def __init__(
        self,
        ses: Any,
        sns: Any,
        *,
        source: str,
        configuration_set: str | None = None,
        sms_sender_id: str | None = None,
    ) -> None:
        self.ses, self.sns = ses, sns
        self.source = source
        self.configuration_set = configuration_set
        self.sms_sender_id = sms_sender_id

    def send(self, message: RenderedMessage, event: OrderEvent) -> str:
        if message.channel == "email":
            return self._email(message, event)
        return self._sms(message)

    def _email(self, message: RenderedMessage, event: OrderEvent) -> str:
        kwargs: dict[str, Any] = {
            "Source": self.source,
            "Destination": {"ToAddresses": [message.to]},
            "Message": {
                "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": message.text, "Charset": "UTF-8"}},
            },
            "Tags": [{"Name": "event_type", "Value": event.event_type.replace(".", "-")}],
        }
        if self.configuration_set:
            kwargs["ConfigurationSetName"] = self.configuration_set
        try:
            return self.ses.send_email(**kwargs)["MessageId"]
        except (ClientError, BotoCoreError) as exc:
            raise _failure("ses", exc) from exc

    def _sms(self, message: RenderedMessage) -> str:
        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if self.sms_sender_id:
            attributes["AWS.SNS.SMS.SenderID"] = {
                "DataType": "String",
                "StringValue": self.sms_sender_id,
            }
        try:
            return self.sns.publish(
                PhoneNumber=message.to, Message=message.text, MessageAttributes=attributes
            )["MessageId"]
        except (ClientError, BotoCoreError) as exc:
            raise _failure("sns", exc) from exc


class DeliveryLogSender:
    """Local stand-in for SES/SNS: appends one JSON line per delivery (the demo's mailbox).

    The recipient is masked here too: the file is shown on screens and shared in demos.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def send(self, message: RenderedMessage, event: OrderEvent) -> str:
        message_id = f"local-{uuid.uuid4()}"
        line = {
            "delivered_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "message_id": message_id,
            "event_id": event.event_id,
            "event_type": event.event_type,
            "request_id": event.request_id,
            "order_number": event.order.number,
            "channel": message.channel,
            "to": mask_recipient(message.to),
            "subject": message.subject,
            "text": message.text,
        }
        try:
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise TransientFailure("send_error", "delivery_log", type(exc).__name__) from exc
        return message_id
