"""HTTP layer: API Gateway HTTP API (payload 2.0) routes over aws-lambda-powertools."""

from __future__ import annotations

import json
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

import structlog
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

from auth_cpf.logic.authenticate import Authenticator
from auth_cpf.logic.keys import KeyRing
from auth_cpf.models.config import Settings
from auth_cpf.models.errors import AuthError, MalformedRequest, TooManyAttempts

MAX_BODY_BYTES = 4096
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:=+/-]{1,128}")
_log = structlog.get_logger("auth_cpf.api")
_ROUTES = frozenset({"/auth/token", "/.well-known/jwks.json", "/.well-known/openid-configuration"})
_current_request_id: ContextVar[str] = ContextVar("auth_cpf_request_id", default="-")
# The role of the principal signed in by this invocation (for the ``request`` event).
_ROLE: ContextVar[str | None] = ContextVar("auth_cpf_role", default=None)


def request_id_of(event: dict[str, Any]) -> str:
    """The gateway's ``X-Request-ID`` when it is a sane token, else API Gateway's own request id
    (``requestContext.requestId``), else a new UUID. Payload 2.0 headers are lower-cased."""
    headers = event.get("headers") or {}
    header = headers.get("x-request-id") if isinstance(headers, dict) else None
    if isinstance(header, str) and _REQUEST_ID.fullmatch(header):
        return header
    context = event.get("requestContext") or {}
    gateway_id = context.get("requestId") if isinstance(context, dict) else None
    if isinstance(gateway_id, str) and _REQUEST_ID.fullmatch(gateway_id):
        return gateway_id
    return str(uuid.uuid4())


class CorrelatedResolver(APIGatewayHttpResolver):
    """Binds the invocation's ``request_id`` into every log line (structlog contextvars), and
    logs one ``request`` event per invocation (log contract: method, route, status,
    duration_ms, role)."""

    def resolve(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        started = time.perf_counter()
        rid = request_id_of(event)
        token = _current_request_id.set(rid)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=rid)
        result: dict[str, Any] = {}
        try:
            result = super().resolve(event, context)
            return result
        finally:
            http = (event.get("requestContext") or {}).get("http") or {}
            path = event.get("rawPath")
            status = result.get("statusCode", 500)
            _log.info(
                "request",
                method=http.get("method"),
                route=path if path in _ROUTES else None,  # unknown paths: no cardinality
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                role=_ROLE.get(),
            )
            _ROLE.set(None)
            structlog.contextvars.clear_contextvars()
            _current_request_id.reset(token)


def _json(status: int, body: object, request_id: str, **headers: str) -> Response:
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(body, separators=(",", ":")),
        headers={"X-Request-ID": request_id, **headers},
    )


def build_resolver(
    settings: Settings, keys: KeyRing, authenticator: Authenticator
) -> APIGatewayHttpResolver:
    app = CorrelatedResolver()
    jwks_body = json.dumps(keys.jwks(), separators=(",", ":"))
    discovery_body = json.dumps(
        {
            "issuer": settings.issuer,
            "jwks_uri": settings.jwks_uri,
            "token_endpoint": settings.issuer.rstrip("/") + "/auth/token",
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "response_types_supported": ["token"],
            "subject_types_supported": ["public"],
            "scopes_supported": ["customer", "staff"],
            "claims_supported": [
                "iss",
                "aud",
                "sub",
                "role",
                "unit_id",
                "scope",
                "iat",
                "nbf",
                "exp",
                "jti",
            ],
        },
        separators=(",", ":"),
    )

    def request_id() -> str:
        return _current_request_id.get()

    @app.post("/auth/token")
    def issue_token() -> Response:
        rid = request_id()
        try:
            raw = app.current_event.decoded_body or ""
        except ValueError:  # bad base64 or not UTF-8 (binascii.Error, UnicodeDecodeError)
            raw, undecodable = "", True
        else:
            undecodable = False
        if undecodable:
            body: Any = MalformedRequest("body is not valid base64-encoded UTF-8")
        elif len(raw.encode("utf-8", "surrogatepass")) > MAX_BODY_BYTES:
            body = MalformedRequest(f"body larger than {MAX_BODY_BYTES} bytes")
        else:
            try:
                body = json.loads(raw) if raw.strip() else MalformedRequest("body is required")
            except ValueError:
                body = MalformedRequest("body is not valid JSON")
        token = authenticator.sign_in(body, rid)
        _ROLE.set(token.role)
        return _json(200, token.body(), rid, **{"Cache-Control": "no-store", "Pragma": "no-cache"})

    @app.get("/.well-known/jwks.json")
    def jwks() -> Response:
        return Response(
            200,
            "application/json",
            jwks_body,
            headers={"X-Request-ID": request_id(), "Cache-Control": "public, max-age=300"},
        )

    @app.get("/.well-known/openid-configuration")
    def discovery() -> Response:
        return Response(
            200,
            "application/json",
            discovery_body,
            headers={"X-Request-ID": request_id(), "Cache-Control": "public, max-age=300"},
        )

    @app.exception_handler(AuthError)
    def auth_error(error: AuthError) -> Response:
        extra = {}
        if isinstance(error, TooManyAttempts):
            extra["Retry-After"] = str(error.retry_after)
        return _json(error.status_code, error.body(), request_id(), **extra)

    @app.not_found
    def not_found(_error: Exception) -> Response:
        return _json(404, {"error": "not_found", "message": "no such route"}, request_id())

    @app.exception_handler(Exception)
    def unexpected(error: Exception) -> Response:
        # Type only: an exception message could carry request data.
        _log.error("unhandled_error", request_id=request_id(), error_type=type(error).__name__)
        return _json(500, {"error": "internal_error", "message": "internal error"}, request_id())

    return app
