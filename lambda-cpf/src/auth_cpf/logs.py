"""Structured JSON logs on stdout (structlog), with a last-line CPF scrubber."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

# Any CPF-looking value that reached a log event by mistake is masked before rendering.
_CPF_LIKE = re.compile(r"(?<!\d)\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?!\d)")


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _CPF_LIKE.sub("***.***.***-**", value) if len(value) >= 11 else value
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


def scrub_cpf(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    return {k: _scrub(v) for k, v in event.items()}


def _add_service(service: str) -> Any:
    def processor(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
        event.setdefault("service", service)
        return event

    return processor


class _StdoutLogger:
    """Writes to whatever ``sys.stdout`` is at call time (so tests can capture it)."""

    def msg(self, message: str) -> None:
        sys.stdout.write(message + "\n")
        sys.stdout.flush()

    log = debug = info = warning = warn = error = critical = exception = msg


def configure(level: str = "INFO", service: str = "auth-cpf") -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            _add_service(service),
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.dict_tracebacks,
            scrub_cpf,
            structlog.processors.EventRenamer("message"),
            structlog.processors.JSONRenderer(sort_keys=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=lambda *_: _StdoutLogger(),
        context_class=dict,
        cache_logger_on_first_use=True,
    )
