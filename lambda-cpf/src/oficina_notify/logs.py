"""Structured JSON logs on stdout (log contract of docs/observability.md), contact data masked.

A logger of our own (``structlog.wrap_logger``), not the global structlog configuration, so the
auth function's logging in the same test process is not affected. The last processor masks any
e-mail, ``+``-prefixed phone or CPF-shaped value that would reach a line by mistake.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_PHONE = re.compile(r"\+\d[\d\s().-]{6,}(\d{2})")
_CPF_LIKE = re.compile(r"(?<!\d)\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?!\d)")
_CNPJ_LIKE = re.compile(r"(?<!\d)\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}(?!\d)")
_TRACE_KEYS = frozenset({"dd.trace_id", "dd.span_id"})
_DUPLICATE_KEYS = frozenset({"dd.service", "dd.env", "dd.version"})
# Keys whose values never reach a log line (compared lower-cased).
SECRET_KEYS = frozenset(
    {"password", "token", "access_token", "authorization", "cookie", "secret", "api_key"}
)


def mask_email(address: str) -> str:
    """``maria@example.com`` -> ``m***@example.com``."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_phone(number: str) -> str:
    """``+5511912345678`` -> ``+55*********78``."""
    digits = re.sub(r"\D", "", number)
    return f"+{digits[:2]}{'*' * max(len(digits) - 4, 0)}{digits[-2:]}" if digits else "***"


def mask_recipient(to: str) -> str:
    return mask_email(to) if "@" in to else mask_phone(to)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        value = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", value)
        value = _PHONE.sub(lambda m: f"+***{m.group(1)}", value)
        value = _CNPJ_LIKE.sub("**.***.***/****-**", value)
        return _CPF_LIKE.sub("***.***.***-**", value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if str(k).lower() not in SECRET_KEYS}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def scrub(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    # dd.trace_id / dd.span_id are ours: a 128-bit trace id in hex can hold an 11-digit run.
    # dd.service / dd.env / dd.version (ddtrace's DD_LOGS_INJECTION) repeat service/env/version.
    return {
        k: v if k in _TRACE_KEYS else _scrub(v)
        for k, v in event.items()
        if str(k).lower() not in SECRET_KEYS and k not in _DUPLICATE_KEYS
    }


def add_trace_ids(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    """``dd.trace_id`` / ``dd.span_id`` of the active span (ddtrace's correlation format).

    ddtrace is never imported here: in Lambda the Datadog layer has already loaded it; when
    nothing loaded it there is no span, and the cold start does not pay for it.
    """
    if sys.modules.get("ddtrace") is None:
        return event
    try:
        from ddtrace.trace import tracer

        context = tracer.get_log_correlation_context()
    except Exception:  # pragma: no cover - a tracer problem never breaks a log line
        return event
    if str(context.get("dd.trace_id", "0")) not in {"0", ""}:
        event.setdefault("dd.trace_id", str(context["dd.trace_id"]))
        event.setdefault("dd.span_id", str(context["dd.span_id"]))
    return event


class _StdoutLogger:
    """Writes to whatever ``sys.stdout`` is at call time (so tests can capture it)."""

    def msg(self, message: str) -> None:
        sys.stdout.write(message + "\n")
        sys.stdout.flush()

    log = debug = info = warning = warn = error = critical = exception = msg


def get_logger(service: str, env: str, version: str, level: str = "INFO") -> Any:
    def unified(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
        event.setdefault("service", service)
        event.setdefault("env", env)
        event.setdefault("version", version)
        return event

    return structlog.wrap_logger(
        _StdoutLogger(),
        processors=[
            structlog.contextvars.merge_contextvars,
            unified,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
            add_trace_ids,
            structlog.processors.dict_tracebacks,
            scrub,
            structlog.processors.JSONRenderer(sort_keys=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        context_class=dict,
    )
