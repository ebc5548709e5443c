"""Request correlation: the gateway's X-Request-ID (or a new one) in every log line and the
response, and one ``request`` log event per request."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from flask import Flask, Response, g, request

HEADER = "X-Request-ID"
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:/=+-]{1,128}$")
log = structlog.get_logger("oficina.request")


def request_id_from(value: str | None) -> str:
    """The caller's id when it is a sane token, else a fresh UUID (never trust raw headers)."""
    return value if value and _ACCEPTABLE.match(value) else str(uuid.uuid4())


def init_app(app: Flask) -> None:
    @app.before_request
    def _bind() -> None:
        g.request_started = time.perf_counter()
        g.request_id = request_id_from(request.headers.get(HEADER))
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=g.request_id)

    @app.after_request
    def _log(response: Response) -> Response:
        response.headers[HEADER] = g.get("request_id") or request_id_from(None)
        principal = g.get("principal")
        started = g.get("request_started", time.perf_counter())
        log.info(
            "request",
            method=request.method,
            route=request.url_rule.rule if request.url_rule else None,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            role=principal.role if principal else None,
        )
        return response

    @app.teardown_request
    def _unbind(_exc: BaseException | None) -> None:
        structlog.contextvars.clear_contextvars()
