"""Configuration read from the environment and validated once, at cold start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from oficina_notify.models.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Settings:
    idempotency_table: str
    email_source: str
    ses_configuration_set: str | None = None
    sms_sender_id: str | None = None
    idempotency_ttl_days: int = 14
    lease_seconds: int = 120
    statsd_host: str = "127.0.0.1"
    statsd_port: int = 8125
    service: str = "oficina-notify"
    env: str = "local"
    version: str = "0.1.0"
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default ``os.environ``); reports every problem at once."""
        env = os.environ if environ is None else environ
        problems: list[str] = []

        def text(name: str, default: str | None = None) -> str | None:
            value = env.get(name, "").strip()
            return value or default

        def integer(name: str, default: int, low: int, high: int) -> int:
            raw = text(name)
            if raw is None:
                return default
            try:
                value = int(raw)
            except ValueError:
                problems.append(f"{name} must be an integer, got {raw!r}")
                return default
            if not low <= value <= high:
                problems.append(f"{name} must be between {low} and {high}, got {value}")
            return value

        table = text("NOTIFY_IDEMPOTENCY_TABLE")
        if table is None:
            problems.append("NOTIFY_IDEMPOTENCY_TABLE is required (DynamoDB table name)")
        source = text("NOTIFY_EMAIL_SOURCE")
        if source is None or "@" not in source:
            problems.append("NOTIFY_EMAIL_SOURCE is required (verified SES sender address)")
        log_level = (text("LOG_LEVEL", "INFO") or "INFO").upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            problems.append(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")
        settings = cls(
            idempotency_table=table or "",
            email_source=source or "",
            ses_configuration_set=text("NOTIFY_SES_CONFIGURATION_SET"),
            sms_sender_id=text("NOTIFY_SMS_SENDER_ID"),
            idempotency_ttl_days=integer("NOTIFY_IDEMPOTENCY_TTL_DAYS", 14, 1, 365),
            lease_seconds=integer("NOTIFY_LEASE_SECONDS", 120, 10, 3600),
            statsd_host=text("DD_AGENT_HOST", "127.0.0.1") or "127.0.0.1",
            statsd_port=integer("DD_DOGSTATSD_PORT", 8125, 1, 65_535),
            service=text("DD_SERVICE", "oficina-notify") or "oficina-notify",
            env=text("DD_ENV", "local") or "local",
            version=text("DD_VERSION", "0.1.0") or "0.1.0",
            log_level=log_level,
        )
        if problems:
            raise ConfigError("invalid configuration: " + "; ".join(problems))
        return settings
