"""One ``flask.request`` span per request for Datadog APM (ADR 0032).

ddtrace's Flask integration opens a span for every step of Flask's request handling — the WSGI
application and response, preprocess, dispatch, the view, process_response, both teardowns and
each registered hook: thirteen spans for a 1 ms read, which cost more than the read (traced
throughput at ~40 % of untraced). The container turns that integration off
(``DD_TRACE_FLASK_ENABLED=false``) and this WSGI middleware traces the request instead, with
ddtrace's public API: the gateway's trace context continued, the route as resource, the status
and an error flag on 5xx. The database integrations (psycopg) still add their spans under it, and
the log lines of the request carry its trace id. Active only when the process runs under
``ddtrace-run`` and ddtrace's own Flask integration is off, so a request is never traced twice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, request

SPAN = "flask.request"
ENVIRON_KEY = "oficina.request_span"

StartResponse = Callable[..., Any]


def _under_ddtrace_run() -> bool:
    return "ddtrace.bootstrap.sitecustomize" in sys.modules or "ddtrace.auto" in sys.modules


def _flask_integration_off() -> bool:
    return os.environ.get("DD_TRACE_FLASK_ENABLED", "true").lower() in ("false", "0")


class RequestSpans:
    """WSGI middleware: the request's root span around the Flask application."""

    def __init__(self, wsgi_app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]):
        from ddtrace.propagation.http import HTTPPropagator
        from ddtrace.trace import tracer

        self._app = wsgi_app
        self._tracer = tracer
        self._extract = HTTPPropagator.extract

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        method = environ.get("REQUEST_METHOD", "")
        span = self._tracer.start_span(
            SPAN, child_of=self._extract(headers), span_type="web", activate=True
        )
        span.set_tag("component", "flask")
        span.set_tag("span.kind", "server")
        span.set_tag("http.method", method)
        span.set_tag("http.url", _url(environ))
        environ[ENVIRON_KEY] = span

        def traced_start_response(status: str, response_headers: Any, *args: Any) -> Any:
            code = int(status.split(" ", 1)[0])
            span.set_tag("http.status_code", str(code))
            if code >= 500:
                span.error = 1
            return start_response(status, response_headers, *args)

        try:
            return self._app(environ, traced_start_response)
        except BaseException:
            span.set_exc_info(*sys.exc_info())
            raise
        finally:
            if not span.get_tag("http.route"):  # no rule matched (404, 405): name it by status
                span.resource = f"{method} {span.get_tag('http.status_code') or 'unmatched'}"
            span.finish()


def _url(environ: dict[str, Any]) -> str:
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{environ.get('PATH_INFO', '')}"


def _name_by_route() -> None:
    """Resource ``GET /service-orders/<uuid:order_id>``: the matched rule, never the raw path."""
    span = request.environ.get(ENVIRON_KEY)
    if span is not None and request.url_rule is not None:
        span.resource = f"{request.method} {request.url_rule.rule}"
        span.set_tag("http.route", request.url_rule.rule)


def init_app(app: Flask) -> None:
    if _under_ddtrace_run() and _flask_integration_off():
        app.wsgi_app = RequestSpans(app.wsgi_app)  # type: ignore[method-assign]
        app.before_request(_name_by_route)  # after URL matching; hooks are not spans any more
