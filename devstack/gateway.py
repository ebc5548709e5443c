"""A local stand-in for AWS API Gateway: one port, routed like the real HTTP API.

`POST /auth/token` and `GET /.well-known/*` go to the auth function's local adapter; everything
else to the application. Like the gateway, it sets `X-Request-ID` (kept when the caller sent
one) and forwards it. It does not verify tokens: the application verifies every token itself,
as it does behind the real gateway's JWT authorizer (see docs/contracts/runtime.md).
Standard library only.
"""

from __future__ import annotations

import http.client
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection",
              "te", "trailer"}
# Set by this server itself (send_response), so not copied from the backend.
OWN_HEADERS = {"server", "date", "content-length"}


def route(method: str, path: str) -> str:
    """Which backend serves the request: 'auth' or 'app' (the gateway's route table)."""
    if (method, path) == ("POST", "/auth/token") or path.startswith("/.well-known/"):
        return "auth"
    return "app"


def make_handler(backends: dict[str, tuple[str, int]]) -> type[BaseHTTPRequestHandler]:
    class Gateway(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            path = urlsplit(self.path).path
            host, port = backends[route(self.command, path)]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            # Case-insensitively replaced: a duplicate header would reach the app joined by ",".
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in HOP_BY_HOP | {"x-request-id"}}
            request_id = self.headers.get("X-Request-ID") or str(uuid.uuid4())
            headers["X-Request-ID"] = request_id
            try:
                upstream = http.client.HTTPConnection(host, port, timeout=30)
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                payload = response.read()
            except OSError:
                payload = b'{"status": 503, "error": "Service Unavailable", "message": "backend unavailable"}'
                self.send_response(503)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("X-Request-ID", request_id)
                self.end_headers()
                self.wfile.write(payload)
                return
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP | OWN_HEADERS:
                    self.send_header(name, value)
            if not response.getheader("X-Request-ID"):
                self.send_header("X-Request-ID", request_id)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            upstream.close()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _forward

        def log_message(self, fmt: str, *args: object) -> None:  # access log off: apps log
            pass

    return Gateway


def serve(port: int, backends: dict[str, tuple[str, int]]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(backends))
    server.daemon_threads = True
    return server
