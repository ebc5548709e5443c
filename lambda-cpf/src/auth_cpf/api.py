"""HTTP layer: API Gateway HTTP API (payload 2.0) routes over aws-lambda-powertools."""

from __future__ import annotations

import json
import re
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
    app = APIGatewayHttpResolver()
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
        event = app.current_event
        header = (event.headers or {}).get("x-request-id")
        if header and _REQUEST_ID.fullmatch(header):
            return header
        return event.request_context.request_id or "-"

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
