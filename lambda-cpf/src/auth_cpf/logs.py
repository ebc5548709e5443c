"""Structured JSON logs on stdout (structlog), following the log contract of docs/observability.md.

Every line: ``timestamp``, ``level``, ``event``, ``service``, ``env``, ``version``,
``request_id`` (bound per invocation by the HTTP layer) and, when a span is active,
``dd.trace_id`` / ``dd.span_id``. A last processor masks any CPF/CNPJ-looking value and drops
password, token and Authorization-like keys wherever they appear.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import Any

import structlog

# Any CPF- or CNPJ-looking value that reached a log event by mistake is masked before rendering.
_CPF_LIKE = re.compile(r"(?<!\d)\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?!\d)")
_CNPJ_LIKE = re.compile(r"(?<!\d)\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}(?!\d)")
_TRACE_KEYS = frozenset({"dd.trace_id", "dd.span_id"})
_DUPLICATE_KEYS = frozenset({"dd.service", "dd.env", "dd.version"})
# Keys whose values never reach a log line (compared lower-cased).
SECRET_KEYS = frozenset(
    {
        "password",
        "token",
        "access_token",
        "id_token",
        "refresh_token",
        "authorization",
        "cookie",
        "secret",
        "api_key",
        "private_key",
    }
)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) < 11:
            return value
        value = _CNPJ_LIKE.sub("**.***.***/****-**", value)
        return _CPF_LIKE.sub("***.***.***-**", value)
    if isinstance(value, Mapping):
        return {k: _scrub(v) for k, v in value.items() if str(k).lower() not in SECRET_KEYS}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def scrub_cpf(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: documents masked, secret-named keys dropped (recursively)."""
    # dd.trace_id / dd.span_id are ours: a 128-bit trace id in hex can hold an 11-digit run.
    # dd.service / dd.env / dd.version (ddtrace's DD_LOGS_INJECTION) repeat service/env/version.
    return {
        k: v if k in _TRACE_KEYS else _scrub(v)
        for k, v in event.items()
        if str(k).lower() not in SECRET_KEYS and k not in _DUPLICATE_KEYS
    }


def add_trace_ids(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    """``dd.trace_id`` / ``dd.span_id`` of the active span (ddtrace's own correlation format).

    ddtrace is never imported here: in Lambda the Datadog layer (``datadog_lambda``) has already
    loaded it; when nothing loaded it there is no span to correlate with, and the cold start
    does not pay for it.
    """
    ddtrace = sys.modules.get("ddtrace")
    if ddtrace is None:
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


# Set by configure(); read at every line, so loggers cached before a re-configure (module-level
# loggers with cache_logger_on_first_use) still tag with the current values.
_UNIFIED = {"service": "auth-cpf", "env": "local", "version": "0.1.0"}


def add_unified_tags(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    for key, value in _UNIFIED.items():
        event.setdefault(key, value)
    return event


class _StdoutLogger:
    """Writes to whatever ``sys.stdout`` is at call time (so tests can capture it)."""

    def msg(self, message: str) -> None:
        sys.stdout.write(message + "\n")
        sys.stdout.flush()

    log = debug = info = warning = warn = error = critical = exception = msg


def configure(
    level: str = "INFO",
    service: str = "auth-cpf",
    env: str = "local",
    version: str = "0.1.0",
) -> None:
    _UNIFIED.update(service=service, env=env, version=version)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            add_unified_tags,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
            add_trace_ids,
            structlog.processors.dict_tracebacks,
            scrub_cpf,
            structlog.processors.JSONRenderer(sort_keys=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=lambda *_: _StdoutLogger(),
        context_class=dict,
        cache_logger_on_first_use=True,
    )
