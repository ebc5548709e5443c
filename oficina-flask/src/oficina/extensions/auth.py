"""Bearer-token verification with flask-jwt-extended: RS256 only, keys from a JWKS by ``kid``.

Every way a token can be wrong (missing, malformed, bad signature, wrong alg/iss/aud, expired,
unknown key) answers **401** with the common error body; flask-jwt-extended's 422 defaults are
replaced here once.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from flask import Flask, current_app, request
from flask_jwt_extended import JWTManager, decode_token
from flask_jwt_extended.exceptions import NoAuthorizationError, WrongTokenError
from jwt.exceptions import InvalidTokenError

from oficina.errors import error_response

STAFF_ROLES = frozenset({"attendant", "mechanic", "manager"})
ALL_ROLES = STAFF_ROLES | {"customer"}


class UnknownKey(InvalidTokenError):
    """The token's ``kid`` is not in the key set."""


class KeySet:
    """Public keys by ``kid``, from a JWKS file or URL.

    An unknown ``kid`` triggers a refresh (a rotation published a new key), rate-limited so a
    flood of forged kids cannot hammer the auth function.
    """

    REFRESH_AFTER_SUCCESS = 60.0
    RETRY_AFTER_FAILURE = 5.0

    def __init__(self, *, url: str | None = None, path: str | None = None) -> None:
        self._url, self._path = url, path
        self._keys: dict[str, Any] = {}
        self._next_refresh = 0.0
        self._lock = threading.Lock()

    def _fetch(self) -> dict[str, Any]:
        if self._path:
            with open(self._path, encoding="utf-8") as fh:
                return json.load(fh)
        assert self._url is not None
        with urllib.request.urlopen(self._url, timeout=3) as resp:  # noqa: S310 - URL from config
            return json.load(resp)

    def refresh(self) -> None:
        self._next_refresh = time.monotonic() + self.RETRY_AFTER_FAILURE
        keys = {
            jwk["kid"]: jwt.PyJWK(jwk, algorithm="RS256").key
            for jwk in self._fetch().get("keys", [])
            if jwk.get("kty") == "RSA" and jwk.get("kid")
        }
        with self._lock:
            self._keys = keys
            self._next_refresh = time.monotonic() + self.REFRESH_AFTER_SUCCESS

    def get(self, kid: str | None) -> Any:
        if kid and kid not in self._keys and time.monotonic() >= self._next_refresh:
            try:
                self.refresh()
            except (OSError, ValueError):
                current_app.logger.warning("could not refresh the JWKS")
        if kid and kid in self._keys:
            return self._keys[kid]
        raise UnknownKey("unknown signing key")


@dataclass(frozen=True)
class Principal:
    """Who is calling, from the verified claims."""

    subject: uuid.UUID
    role: str
    unit_id: uuid.UUID | None

    @property
    def is_customer(self) -> bool:
        return self.role == "customer"

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


class CachingJWTManager(JWTManager):
    """flask-jwt-extended, remembering tokens it has already verified.

    A client sends the same token for its whole life (15 min), and decoding it costs more than
    the database read of a typical request (PyJWT validates the base64 segments character by
    character). The cache is keyed by the complete token string, so any change to header,
    payload or signature misses it; `exp` and `nbf` are checked again on every hit, and the
    size is bounded. Only successful verifications are stored.
    """

    MAX_ENTRIES = 4096

    def __init__(self, app: Flask | None = None) -> None:
        self._verified: dict[str, dict[str, Any]] = {}
        super().__init__(app)

    def _decode_jwt_from_config(
        self, encoded_token: str, csrf_value: Any = None, allow_expired: bool = False
    ) -> dict[str, Any]:
        claims = self._verified.get(encoded_token)
        now = time.time()
        if claims is not None and not allow_expired:
            leeway = current_app.config["JWT_DECODE_LEEWAY"]
            if claims["exp"] + leeway > now and claims.get("nbf", 0) - leeway <= now:
                return claims
            self._verified.pop(encoded_token, None)
        claims = super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        if not allow_expired and "exp" in claims:
            if len(self._verified) >= self.MAX_ENTRIES:
                self._verified.clear()  # simplest bound; a refill costs one decode per token
            self._verified[encoded_token] = claims
        return claims


def _unauthorized(message: str) -> Any:
    body, status = error_response(401, message)
    body.headers["WWW-Authenticate"] = 'Bearer realm="oficina"'
    return body, status


def init_app(app: Flask) -> None:
    app.config.update(
        JWT_ALGORITHM="RS256",
        JWT_DECODE_ALGORITHMS=["RS256"],
        JWT_DECODE_AUDIENCE=app.config["JWT_AUDIENCE"],
        JWT_DECODE_ISSUER=app.config["JWT_ISSUER"],
        JWT_DECODE_LEEWAY=app.config["JWT_LEEWAY_SECONDS"],
        JWT_TOKEN_LOCATION=["headers"],
        JWT_IDENTITY_CLAIM="sub",
        # The app never signs; a placeholder keeps flask-jwt-extended from asking for a secret.
        JWT_PUBLIC_KEY="unused: keys come from the JWKS by kid",
    )
    keys = KeySet(url=app.config.get("JWT_JWKS_URL"), path=app.config.get("JWT_JWKS_FILE"))
    try:
        keys.refresh()
    except (OSError, ValueError):
        # The auth function may start after us; get() retries on the first token.
        app.logger.warning("JWKS not reachable at start-up; will retry on first use")
    app.extensions["jwks"] = keys

    manager = CachingJWTManager(app)
    manager.decode_key_loader(lambda header, _claims: keys.get(header.get("kid")))
    manager.unauthorized_loader(lambda _reason: _unauthorized("missing bearer token"))
    manager.invalid_token_loader(lambda _reason: _unauthorized("invalid token"))
    manager.expired_token_loader(lambda _h, _d: _unauthorized("token expired"))
    manager.revoked_token_loader(lambda _h, _d: _unauthorized("invalid token"))
    manager.token_verification_failed_loader(lambda _h, _d: _unauthorized("invalid token"))
    manager.user_lookup_error_loader(lambda _h, _d: _unauthorized("invalid token"))


class InvalidClaims(InvalidTokenError):
    """Signature fine, but the claims are not what the contract says."""


def bearer_token() -> str:
    """The token of ``Authorization: Bearer <token>``; anything else is a missing token."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme != "Bearer" or not token or " " in token:
        raise NoAuthorizationError("expected 'Authorization: Bearer <JWT>'")
    return token


def current_principal() -> Principal:
    """Verify the bearer token of this request and return the caller (or raise -> 401).

    flask-jwt-extended's ``decode_token`` verifies it (RS256 only, key by ``kid``, ``iss``,
    ``aud``, ``exp``, through the manager's cache); its errors reach its own 401 handlers.
    ``verify_jwt_in_request`` would also decode the header again on every request (~40 µs,
    a twentieth of a read) for checks this app does not use (blocklist, freshness).
    """
    claims = decode_token(bearer_token())
    if claims.get("type") == "refresh":
        raise WrongTokenError("refresh tokens are not accepted")
    role = claims.get("role")
    if role not in ALL_ROLES:
        raise InvalidClaims("unknown role")
    try:
        subject = uuid.UUID(str(claims["sub"]))
        unit = claims.get("unit_id")
        unit_id = uuid.UUID(str(unit)) if unit else None
    except (KeyError, ValueError) as exc:
        raise InvalidClaims("malformed subject") from exc
    if role in STAFF_ROLES and unit_id is None:
        raise InvalidClaims("staff token without unit_id")
    return Principal(subject=subject, role=role, unit_id=unit_id)
