"""Token claims exactly as docs/contracts/auth.md; RS256 + kid; verification with the JWKS."""

from __future__ import annotations

import json

import jwt
import pytest

from auth_cpf.logic import keys
from auth_cpf.logic.tokens import TokenIssuer
from auth_cpf.models.records import CustomerRecord, Principal, StaffRecord

ISSUER = "https://api.oficina.example"
CUSTOMER = Principal.customer(
    CustomerRecord(id="8c0f6f0e-3f7e-4c1e-9a57-0f5b6f1f0a01", active=True)
)
STAFF = Principal.staff(
    StaffRecord(
        id="5b2e0f8e-1d1f-4d61-8c56-6c7f7c3c9e02",
        role="manager",
        unit_id="0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
        password_hash="x",
        active=True,
    )
)


@pytest.fixture(scope="module")
def rings():
    old = keys.generate_private_key_pem()
    new = keys.generate_private_key_pem()
    return keys.KeyRing.from_pems(old), keys.KeyRing.from_pems(new, previous=old)


def _verify(token: str, jwks: dict) -> dict:
    kid = jwt.get_unverified_header(token)["kid"]
    key = jwt.PyJWKSet.from_dict(jwks)[kid]
    return jwt.decode(token, key.key, algorithms=["RS256"], audience="oficina-api", issuer=ISSUER)


def test_customer_claims_exactly(rings):
    _, ring = rings
    issued = TokenIssuer(ring, ISSUER, "oficina-api", 900).issue(CUSTOMER, now=1_800_000_000)
    claims = jwt.decode(issued.access_token, options={"verify_signature": False})
    jti = claims.pop("jti")
    assert claims == {
        "iss": ISSUER,
        "aud": "oficina-api",
        "sub": CUSTOMER.subject,
        "role": "customer",
        "scope": "customer",
        "iat": 1_800_000_000,
        "nbf": 1_800_000_000,
        "exp": 1_800_000_900,
    }
    assert jti == issued.jti and len(jti) == 36
    assert jwt.get_unverified_header(issued.access_token) == {
        "alg": "RS256",
        "typ": "JWT",
        "kid": ring.kid,
    }


def test_staff_claims_exactly(rings):
    _, ring = rings
    issued = TokenIssuer(ring, ISSUER, "oficina-api", 300).issue(STAFF)
    claims = _verify(issued.access_token, ring.jwks())
    assert set(claims) == {
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
    }
    assert (claims["role"], claims["scope"], claims["unit_id"]) == (
        "manager",
        "staff",
        STAFF.unit_id,
    )
    assert claims["exp"] - claims["iat"] == 300 and claims["nbf"] == claims["iat"]
    assert issued.body() == {
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": 300,
    }


def test_jti_is_unique(rings):
    _, ring = rings
    issuer = TokenIssuer(ring, ISSUER, "oficina-api", 900)
    assert len({issuer.issue(CUSTOMER).jti for _ in range(50)}) == 50


def test_rotation_tokens_of_previous_and_current_key_verify(rings):
    old_ring, new_ring = rings
    old_token = TokenIssuer(old_ring, ISSUER, "oficina-api", 900).issue(CUSTOMER).access_token
    new_token = TokenIssuer(new_ring, ISSUER, "oficina-api", 900).issue(CUSTOMER).access_token
    jwks = new_ring.jwks()
    assert [k["kid"] for k in jwks["keys"]] == [new_ring.kid, old_ring.kid]
    assert _verify(old_token, jwks)["sub"] == _verify(new_token, jwks)["sub"]
    # After the next rotation the oldest key is gone and its tokens no longer verify.
    newest = keys.KeyRing.from_pems(keys.generate_private_key_pem(), previous=_pem(new_ring))
    with pytest.raises(KeyError):
        _verify(old_token, newest.jwks())
    assert _verify(new_token, newest.jwks())


def _pem(ring: keys.KeyRing) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return ring.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_tampered_or_foreign_tokens_do_not_verify(rings):
    _, new_ring = rings
    token = TokenIssuer(new_ring, ISSUER, "oficina-api", 900).issue(CUSTOMER).access_token
    head, _, sig = token.split(".")
    forged = jwt.utils.base64url_encode(
        json.dumps(
            {**jwt.decode(token, options={"verify_signature": False}), "role": "manager"}
        ).encode()
    ).decode()
    with pytest.raises(jwt.InvalidSignatureError):
        _verify(f"{head}.{forged}.{sig}", new_ring.jwks())
    with pytest.raises(jwt.InvalidAudienceError):
        key = jwt.PyJWKSet.from_dict(new_ring.jwks())[new_ring.kid].key
        jwt.decode(token, key, algorithms=["RS256"], audience="other", issuer=ISSUER)


def test_no_personal_data_in_tokens(rings):
    _, ring = rings
    token = TokenIssuer(ring, ISSUER, "oficina-api", 900).issue(STAFF).access_token
    claims = jwt.decode(token, options={"verify_signature": False})
    assert not {"cpf", "name", "email", "document"} & set(claims)
