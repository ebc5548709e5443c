"""Local HTTP adapter: real HTTP in, real API Gateway HTTP API payload-2.0 events to the handler.

``python -m auth_cpf.local_server --port 8001`` serves ``POST /auth/token`` and
``GET /.well-known/*`` through ``auth_cpf.handler.lambda_handler`` — the same code path as in
Lambda. With ``--datadog`` the handler is called through the Datadog Lambda library's wrapper
(``datadog_lambda.handler.handler`` with ``DD_LAMBDA_HANDLER``), exactly as the Datadog layer
runs it in AWS: traces go to ``DD_TRACE_AGENT_URL`` (e.g. the APM test agent; a dev
dependency, never in the zip). Configuration comes from the same environment variables as in
Lambda; when neither ``AUTH_SIGNING_KEY_FILE`` nor ``AUTH_SIGNING_KEY_SECRET_ID`` is set, a dev
key is generated into ``.dev/signing-key.pem`` (git-ignored). One invocation at a time, as in a
Lambda environment.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

DEFAULT_DEV_KEY = os.path.join(".dev", "signing-key.pem")
MAX_BODY = 1024 * 1024


def build_event(
    method: str,
    target: str,
    headers: list[tuple[str, str]],
    body: bytes,
    source_ip: str = "127.0.0.1",
    stage: str = "$default",
) -> dict[str, Any]:
    """The payload-2.0 event API Gateway HTTP API sends for this request (``$default`` route)."""
    parts = urlsplit(target)
    merged: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        merged[key] = f"{merged[key]},{value}" if key in merged else value
    query: dict[str, str] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    now = datetime.now(UTC)
    request_id = base64.b64encode(secrets.token_bytes(10)).decode("ascii")
    try:
        text, is_b64 = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, is_b64 = base64.b64encode(body).decode("ascii"), True
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": parts.path or "/",
        "rawQueryString": parts.query,
        "headers": merged,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": merged.get("host", "localhost"),
            "domainPrefix": merged.get("host", "localhost").split(".")[0],
            "http": {
                "method": method.upper(),
                "path": parts.path or "/",
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": merged.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": "$default",
            "stage": stage,
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": is_b64,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if body:
        event["body"] = text
    return event


class _FakeContext:
    """The parts of the Lambda context object a handler may read."""

    function_name = "auth-cpf-local"
    function_version = "$LATEST"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:auth-cpf-local"
    client_context = None
    identity = None

    def __init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())
        self._deadline = time.monotonic() + 30

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def make_handler_class(handler: Any) -> type[BaseHTTPRequestHandler]:
    lock = threading.Lock()

    class Adapter(BaseHTTPRequestHandler):
        server_version = "auth-cpf-local"
        sys_version = ""

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.send_error(413)
                return
            body = self.rfile.read(length) if length else b""
            event = build_event(
                self.command, self.path, list(self.headers.items()), body, self.client_address[0]
            )
            with lock:  # one invocation at a time per environment, like Lambda
                result = handler(event, _FakeContext())
            payload = result.get("body") or ""
            data = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode()
            self.send_response(int(result.get("statusCode", 200)))
            for name, value in (result.get("headers") or {}).items():
                self.send_header(name, str(value))
            for name, values in (result.get("multiValueHeaders") or {}).items():
                for value in values:
                    self.send_header(name, str(value))
            for cookie in result.get("cookies") or []:
                self.send_header("Set-Cookie", cookie)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the handler logs every attempt as JSON; no access log with paths/queries

    return Adapter


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "8001")),
        help="0 picks a free port (printed on start)",
    )
    parser.add_argument(
        "--datadog",
        action="store_true",
        help="call the handler through datadog_lambda's wrapper, as the Datadog layer does",
    )
    args = parser.parse_args(argv)

    if not os.environ.get("AUTH_SIGNING_KEY_FILE") and not os.environ.get(
        "AUTH_SIGNING_KEY_SECRET_ID"
    ):
        from auth_cpf.logic.keys import write_dev_key

        os.environ["AUTH_SIGNING_KEY_FILE"] = str(write_dev_key(DEFAULT_DEV_KEY).resolve())

    from auth_cpf.models.errors import ConfigError

    try:
        if args.datadog:
            os.environ.setdefault("DD_LAMBDA_HANDLER", "auth_cpf.handler.lambda_handler")
            from datadog_lambda.handler import handler as lambda_handler
        else:
            from auth_cpf.handler import lambda_handler
    except ConfigError as exc:
        print(f"auth-cpf: {exc}", file=sys.stderr)
        return 2

    # ddtrace's Lambda integration arms a SIGALRM timeout flush, which only works on the main
    # thread: under --datadog every invocation runs there (one at a time, as in Lambda anyway).
    server_class = HTTPServer if args.datadog else ThreadingHTTPServer
    server = server_class((args.host, args.port), make_handler_class(lambda_handler))
    host, port = server.server_address[:2]
    print(f"auth-cpf local adapter listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
