"""Access tokens: RS256 JWTs whose claims are exactly those of docs/contracts/auth.md."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt

from auth_cpf.logic.keys import KeyRing
from auth_cpf.models.records import Principal


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    expires_in: int
    jti: str
    role: str | None = None  # for the request log line; never in the response body

    def body(self) -> dict[str, object]:
        return {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
        }


class TokenIssuer:
    def __init__(self, keys: KeyRing, issuer: str, audience: str, ttl_seconds: int) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._ttl = ttl_seconds

    def issue(self, principal: Principal, now: int | None = None) -> IssuedToken:
        issued_at = int(time.time()) if now is None else now
        jti = str(uuid.uuid4())
        claims: dict[str, object] = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": principal.subject,
            "role": principal.role,
            "scope": principal.scope,
            "iat": issued_at,
            "nbf": issued_at,
            "exp": issued_at + self._ttl,
            "jti": jti,
        }
        if principal.unit_id is not None:
            claims["unit_id"] = principal.unit_id
        token = jwt.encode(
            claims, self._keys.private_key, algorithm="RS256", headers={"kid": self._keys.kid}
        )
        return IssuedToken(access_token=token, expires_in=self._ttl, jti=jti, role=principal.role)
