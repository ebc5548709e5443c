"""A tiny DogStatsD client (UDP, fire-and-forget) for the auth function's metric catalog.

Names and tags: docs/observability.md. In Lambda the Datadog Extension listens for DogStatsD
on 127.0.0.1:8125 (``DD_AGENT_HOST`` / ``DD_DOGSTATSD_PORT``) and forwards the metrics;
locally nothing listens and the datagrams are dropped. The wire format is the one of the
``datadog`` package's ``DogStatsd`` (a test compares both byte for byte); that package itself
is not shipped because importing it costs 160-240 ms of cold start (it imports its HTTP API
client and ``requests``). A metric never breaks a sign-in: socket errors are swallowed.
"""

from __future__ import annotations

import contextlib
import re
import socket
from collections.abc import Iterable

ATTEMPTS = "oficina.auth.attempts"
INTEGRATION_ERRORS = "oficina.integration.errors"

# Values of the ``result`` tag of oficina.auth.attempts (docs/observability.md).
RESULTS = ("success", "denied", "throttled", "invalid", "error")
KINDS = ("customer", "staff")

_TAG_UNSAFE = re.compile(r"[|,#\s]")


def _tag(key: str, value: str) -> str:
    return f"{key}:{_TAG_UNSAFE.sub('_', str(value))}"


class DogStatsd:
    def __init__(self, host: str, port: int, constant_tags: Iterable[str] = ()) -> None:
        self.address = (host, port)
        self.constant_tags = list(constant_tags)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.setblocking(False)

    def packet(self, name: str, value: int, kind: str, tags: dict[str, str]) -> bytes:
        all_tags = [*(_tag(k, v) for k, v in tags.items()), *self.constant_tags]
        suffix = f"|#{','.join(all_tags)}" if all_tags else ""
        return f"{name}:{value}|{kind}{suffix}".encode()

    def increment(self, name: str, value: int = 1, **tags: str) -> None:
        with contextlib.suppress(OSError):  # metrics are best effort
            self._socket.sendto(self.packet(name, value, "c", tags), self.address)

    def close(self) -> None:
        self._socket.close()


def unified_tags(service: str, env: str, version: str) -> list[str]:
    return [_tag("service", service), _tag("env", env), _tag("version", version)]
