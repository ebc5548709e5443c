"""Typed exceptions. The batch loop maps each of them once to an outcome and a metric reason."""

from __future__ import annotations


class ConfigError(RuntimeError):
    """The environment does not describe a runnable function (raised at cold start)."""


class PoisonMessage(Exception):
    """The message can never be processed (unparseable or unrenderable): retrying will not help.

    It is reported as a batch item failure like any other, so SQS redelivers it until
    ``maxReceiveCount`` and then moves it to the dead-letter queue (redrive policy).
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class TransientFailure(Exception):
    """A dependency failed (SES, SNS, DynamoDB): the message is retried by SQS."""

    def __init__(self, reason: str, integration_kind: str, detail: str = "") -> None:
        super().__init__(f"{reason} ({integration_kind}): {detail}")
        self.reason = reason
        self.integration_kind = integration_kind
        self.detail = detail
