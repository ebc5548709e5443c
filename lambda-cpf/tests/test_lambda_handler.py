"""The real entry point ``auth_cpf.handler.lambda_handler``, configured from the environment."""

from __future__ import annotations

import importlib
import json
import sys

from tests.conftest import ISSUER, load_event


def test_lambda_handler_cold_start_and_invocations(monkeypatch, database, key_dir, seed, context):
    monkeypatch.setenv("DATABASE_URL", database.auth_dsn)
    monkeypatch.setenv("AUTH_ISSUER", ISSUER)
    monkeypatch.setenv("AUTH_SIGNING_KEY_FILE", str(key_dir / "current.pem"))
    monkeypatch.delenv("AUTH_SIGNING_KEY_SECRET_ID", raising=False)
    sys.modules.pop("auth_cpf.handler", None)
    handler = importlib.import_module("auth_cpf.handler")
    first = handler.lambda_handler(load_event("post_token_customer"), context)
    second = handler.lambda_handler(load_event("post_token_customer"), context)
    assert first["statusCode"] == second["statusCode"] == 200
    assert json.loads(first["body"])["access_token"] != json.loads(second["body"])["access_token"]
    jwks = handler.lambda_handler(load_event("get_jwks"), context)
    assert len(json.loads(jwks["body"])["keys"]) == 1
    sys.modules.pop("auth_cpf.handler", None)
