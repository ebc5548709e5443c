"""DogStatsD business metrics (names and tags: docs/observability.md).

Success metrics are queued during the request and sent only when it succeeded, so a change
that rolled back is never counted; failures are sent at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from datadog.dogstatsd import DogStatsd
from flask import Flask, Response, g, has_app_context

_client: DogStatsd | None = None


def client() -> DogStatsd:
    global _client
    if _client is None:
        _client = DogStatsd(
            host=os.environ.get("DD_AGENT_HOST", "127.0.0.1"),
            port=int(os.environ.get("DD_DOGSTATSD_PORT", "8125")),
            constant_tags=[
                f"env:{os.environ.get('DD_ENV', 'local')}",
                f"service:{os.environ.get('DD_SERVICE', 'oficina-api')}",
                f"version:{os.environ.get('DD_VERSION', 'dev')}",
            ],
            disable_telemetry=True,
            disable_buffering=True,
        )
    return _client


def reset() -> None:
    """Forget the client (tests point DD_DOGSTATSD_PORT at their own socket)."""
    global _client
    _client = None


def _tags(tags: dict[str, str]) -> list[str]:
    return [f"{k}:{v}" for k, v in tags.items()]


def after_success(send: Callable[[DogStatsd], None]) -> None:
    """Queue a metric for when the request succeeds (outside a request: send it now)."""
    if has_app_context():
        g.setdefault("pending_metrics", []).append(send)
    else:
        send(client())


def discard_pending() -> None:
    """Drop what was queued: the work it described was rolled back."""
    g.pop("pending_metrics", None)


def increment_on_success(name: str, **tags: str) -> None:
    after_success(lambda c: c.increment(name, tags=_tags(tags)))


def distribution_on_success(name: str, value: float, **tags: str) -> None:
    after_success(lambda c: c.distribution(name, value, tags=_tags(tags)))


def increment_now(name: str, **tags: str) -> None:
    client().increment(name, tags=_tags(tags))


def init_app(app: Flask) -> None:
    @app.after_request
    def _flush(response: Response) -> Response:
        pending = g.pop("pending_metrics", [])
        if response.status_code < 400:
            for send in pending:
                send(client())
        return response
