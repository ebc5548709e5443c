"""POST /auth/token and the discovery routes, through the resolver, on the real database."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from tests.conftest import (
    CUSTOMER_CPF,
    INACTIVE_CUSTOMER_CPF,
    INACTIVE_STAFF_CPF,
    ISSUER,
    STAFF_CPF,
    STAFF_PASSWORD,
    UNKNOWN_CPF,
    load_event,
)

from auth_cpf.logic.throttle import attempt_key

UNIFORM_401 = {"error": "invalid_credentials", "message": "invalid credentials"}


def _claims(token: str, jwks: dict) -> dict:
    header = jwt.get_unverified_header(token)
    key = jwt.PyJWKSet.from_dict(jwks)[header["kid"]]
    return jwt.decode(token, key.key, algorithms=["RS256"], audience="oficina-api", issuer=ISSUER)


def _jwks(invoke) -> dict:
    status, body, _ = invoke(load_event("get_jwks"))
    assert status == 200
    return body


def test_customer_gets_a_token(invoke, seed):
    status, body, headers = invoke(load_event("post_token_customer"))
    assert status == 200, body
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert headers["x-request-id"] == "req-customer-0001"
    assert headers["cache-control"] == "no-store"
    assert headers["content-type"] == "application/json"
    claims = _claims(body["access_token"], _jwks(invoke))
    assert claims["sub"] == seed.customer_id
    assert claims["role"] == "customer"
    assert claims["scope"] == "customer"
    assert "unit_id" not in claims


@pytest.mark.parametrize(
    "cpf", ["52998224725", "529.982.247-25", " 529982247-25 ", "529.982.24725"]
)
def test_cpf_with_or_without_punctuation(invoke, cpf):
    status, body, _ = invoke(load_event("post_token_customer", body={"cpf": cpf}))
    assert status == 200, body


def test_staff_gets_a_token_with_role_and_unit(invoke, seed):
    status, body, headers = invoke(load_event("post_token_staff"))
    assert status == 200, body
    assert headers["x-request-id"] == "req-staff-0001"
    claims = _claims(body["access_token"], _jwks(invoke))
    assert claims["sub"] == seed.staff_id
    assert claims["role"] == "mechanic"
    assert claims["unit_id"] == seed.unit_id
    assert claims["scope"] == "staff"


def test_base64_encoded_body(invoke):
    status, body, _ = invoke(load_event("post_token_base64"))
    assert status == 200, body


@pytest.mark.parametrize("raw", ["%%% not base64", "//79"])  # invalid base64; bytes ff fe fd
def test_undecodable_base64_body_is_400(invoke, raw):
    status, body, _ = invoke(load_event("post_token_base64", body=raw))
    assert status == 400
    assert body["message"] == "body is not valid base64-encoded UTF-8"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not json", "body is not valid JSON"),
        ("", "body is required"),
        (None, "body is required"),
        ("[]", "body must be a JSON object"),
        ('"52998224725"', "body must be a JSON object"),
        ("{}", "field 'cpf' is required"),
        ('{"cpf": 52998224725}', "field 'cpf' must be a string"),
        ('{"cpf": null}', "field 'cpf' must be a string"),
        ('{"cpf": "52998224725", "password": 1}', "field 'password' must be a string"),
        ('{"cpf": "52998224725", "role": "manager"}', "unknown fields: role"),
        ('{"cpf": "' + "1" * 5000 + '"}', "body larger than 4096 bytes"),
    ],
)
def test_malformed_body_is_400_saying_what(invoke, raw, message):
    status, body, headers = invoke(load_event("post_token_customer", body=raw))
    assert status == 400
    assert body["error"] == "malformed_request"
    assert body["message"] == message
    assert headers["x-request-id"] == "req-customer-0001"


@pytest.mark.parametrize(
    ("cpf", "reason"),
    [
        ("52998224724", "check_digits"),
        ("529.982.247-52", "check_digits"),
        ("5299822472", "wrong_length"),
        ("529982247250", "wrong_length"),
        ("", "wrong_length"),
        ("111.111.111-11", "repeated_digits"),
        ("00000000000", "repeated_digits"),
        ("529 982 247 25", "invalid_format"),
        ("52998224725x", "invalid_format"),
    ],
)
def test_invalid_cpf_is_422_with_reason(invoke, cpf, reason):
    status, body, _ = invoke(load_event("post_token_customer", body={"cpf": cpf}))
    assert status == 422
    assert body["error"] == "invalid_cpf"
    assert body["reason"] == reason


@pytest.mark.parametrize("password", ["", "x" * 1025])
def test_unacceptable_password_is_422(invoke, password):
    status, body, _ = invoke(
        load_event("post_token_staff", body={"cpf": STAFF_CPF, "password": password})
    )
    assert status == 422
    assert body["error"] == "invalid_field"
    assert body["fields"] == ["password"]


@pytest.mark.parametrize(
    "payload",
    [
        {"cpf": UNKNOWN_CPF},
        {"cpf": INACTIVE_CUSTOMER_CPF},
        {"cpf": "935.411.347-80"},  # formatted, unknown
        {"cpf": STAFF_CPF},  # a staff member without a password is not a customer
        {"cpf": UNKNOWN_CPF, "password": STAFF_PASSWORD},
        {"cpf": STAFF_CPF, "password": "wrong password"},
        {"cpf": INACTIVE_STAFF_CPF, "password": STAFF_PASSWORD},
        {"cpf": CUSTOMER_CPF, "password": STAFF_PASSWORD},  # a customer is not staff
    ],
)
def test_every_refusal_is_the_same_401(invoke, payload):
    status, body, headers = invoke(load_event("post_token_customer", body=payload))
    assert status == 401
    assert body == UNIFORM_401
    assert headers["x-request-id"] == "req-customer-0001"


def test_401_bodies_are_byte_identical(app, context):
    bodies = set()
    for payload in (
        {"cpf": UNKNOWN_CPF},
        {"cpf": INACTIVE_CUSTOMER_CPF},
        {"cpf": STAFF_CPF, "password": "nope"},
    ):
        result = app.resolve(load_event("post_token_customer", body=payload), context)
        assert result["statusCode"] == 401
        bodies.add(result["body"])
    assert len(bodies) == 1


def test_throttled_after_max_failures_then_window_resets(invoke, database):
    wrong = {"cpf": STAFF_CPF, "password": "wrong password"}
    for _ in range(3):  # AUTH_MAX_FAILED_ATTEMPTS=3 in the settings fixture
        assert invoke(load_event("post_token_staff", body=wrong))[0] == 401
    status, body, headers = invoke(load_event("post_token_staff"))  # even the right password
    assert status == 429
    assert body["error"] == "too_many_attempts"
    assert 1 <= int(headers["retry-after"]) <= 600
    assert body["retry_after"] == int(headers["retry-after"])

    rows = database.execute("SELECT key_hash, failures FROM auth_attempts")
    assert rows == [(attempt_key(STAFF_CPF), 3)]
    # The window is over: counting starts again and the right password works.
    database.execute("UPDATE auth_attempts SET window_started_at = now() - interval '11 minutes'")
    assert invoke(load_event("post_token_staff"))[0] == 200
    assert database.execute("SELECT count(*) FROM auth_attempts") == [(0,)]


def test_throttling_counts_unknown_cpfs_too_and_is_per_cpf(invoke, database):
    for _ in range(3):
        assert invoke(load_event("post_token_customer", body={"cpf": UNKNOWN_CPF}))[0] == 401
    assert invoke(load_event("post_token_customer", body={"cpf": UNKNOWN_CPF}))[0] == 429
    assert invoke(load_event("post_token_customer"))[0] == 200  # another CPF is unaffected
    ((key_hash, failures),) = database.execute("SELECT key_hash, failures FROM auth_attempts")
    assert key_hash == attempt_key(UNKNOWN_CPF) and failures == 3
    assert UNKNOWN_CPF not in key_hash


def test_expired_window_restarts_counting_at_one(invoke, database):
    wrong = {"cpf": STAFF_CPF, "password": "wrong"}
    invoke(load_event("post_token_staff", body=wrong))
    database.execute(
        "UPDATE auth_attempts SET failures = 2, window_started_at = now() - interval '1 hour'"
    )
    invoke(load_event("post_token_staff", body=wrong))
    assert database.execute("SELECT failures FROM auth_attempts") == [(1,)]


def test_success_clears_earlier_failures(invoke, database):
    invoke(load_event("post_token_staff", body={"cpf": STAFF_CPF, "password": "wrong"}))
    assert database.execute("SELECT failures FROM auth_attempts") == [(1,)]
    assert invoke(load_event("post_token_staff"))[0] == 200
    assert database.execute("SELECT count(*) FROM auth_attempts") == [(0,)]


def test_request_id_falls_back_to_api_gateway_request_id(invoke):
    status, _, headers = invoke(load_event("post_token_no_request_id"))
    assert status == 200
    assert headers["x-request-id"] == "Jx2kFhB0IAMEVWj="


def test_unsafe_request_id_header_is_not_echoed(invoke):
    event = load_event("post_token_no_request_id", headers={"x-request-id": "a\nb" + "x" * 300})
    assert invoke(event)[2]["x-request-id"] == "Jx2kFhB0IAMEVWj="


def test_jwks_holds_current_and_previous_key(invoke):
    status, body, headers = invoke(load_event("get_jwks"))
    assert status == 200
    assert headers["cache-control"].startswith("public")
    assert len(body["keys"]) == 2
    for key in body["keys"]:
        assert {"kty", "use", "alg", "kid", "n", "e"} == set(key)
        assert (key["kty"], key["use"], key["alg"]) == ("RSA", "sig", "RS256")
    assert len({k["kid"] for k in body["keys"]}) == 2


def test_openid_configuration(invoke):
    status, body, _ = invoke(load_event("get_openid_configuration"))
    assert status == 200
    assert body["issuer"] == ISSUER
    assert body["jwks_uri"] == ISSUER + "/.well-known/jwks.json"
    assert body["id_token_signing_alg_values_supported"] == ["RS256"]


def test_unknown_route_is_a_json_404(invoke):
    status, body, _ = invoke(load_event("get_unknown_route"))
    assert status == 404
    assert body["error"] == "not_found"


def test_token_header_is_rs256_with_the_current_kid(invoke):
    _, body, _ = invoke(load_event("post_token_customer"))
    header = jwt.get_unverified_header(body["access_token"])
    current_kid = _jwks(invoke)["keys"][0]["kid"]
    assert header == {"alg": "RS256", "kid": current_kid, "typ": "JWT"}
    payload = json.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[1] + "=="))
    assert CUSTOMER_CPF not in json.dumps(payload)
