"""structlog JSON logs on stdout, one event per line, with the fields of the log contract."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import structlog

from oficina.observability import redact


def _service_tags(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    event_dict.setdefault("service", os.environ.get("DD_SERVICE", "oficina-api"))
    event_dict.setdefault("env", os.environ.get("DD_ENV", "local"))
    event_dict.setdefault("version", os.environ.get("DD_VERSION", "dev"))
    return event_dict


def _trace_ids(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """``dd.trace_id``/``dd.span_id`` of the active span, so a log line leads to its trace.

    Uses ddtrace's own correlation context (the format Datadog's log pipeline expects).
    """
    from ddtrace.trace import tracer

    context = tracer.get_log_correlation_context()
    if context.get("dd.trace_id", "0") != "0":
        event_dict.setdefault("dd.trace_id", context["dd.trace_id"])
        event_dict.setdefault("dd.span_id", context["dd.span_id"])
    return event_dict


SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
    _service_tags,
    _trace_ids,
    structlog.processors.format_exc_info,
    redact.processor,
]


class _StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at the time (test runners swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


class _StdoutLogger:
    """structlog's last step for our own events: the rendered line straight to stdout.

    The standard library's handler (a LogRecord, a lock, a formatter running the chain again)
    cost ~0.1 ms per request line, a tenth of a read; foreign (stdlib) events still go through
    it. Writes to whatever sys.stdout is at the time, like the handler.
    """

    def msg(self, message: str) -> None:
        sys.stdout.write(message + "\n")

    debug = info = warning = warn = error = critical = exception = fatal = log = msg


def configure(level: str = "INFO") -> None:
    """Route structlog and the standard library's logging through one JSON renderer."""
    handler = _StdoutHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=SHARED_PROCESSORS,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Without a local agent every metric would log a warning; the agent's absence is visible
    # in Datadog itself (no data), so keep the client quiet.
    logging.getLogger("datadog.dogstatsd").setLevel(logging.ERROR)
    structlog.configure(
        processors=[*SHARED_PROCESSORS, structlog.processors.JSONRenderer()],
        logger_factory=lambda *_args: _StdoutLogger(),
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        cache_logger_on_first_use=True,
    )
