"""Configuration validated once, every problem reported together."""

from __future__ import annotations

import pytest

from auth_cpf.models.config import Settings
from auth_cpf.models.errors import ConfigError

BASE = {
    "DATABASE_URL": "postgresql://a@127.0.0.1/b",
    "AUTH_ISSUER": "http://127.0.0.1:8000",
    "AUTH_SIGNING_KEY_FILE": "/k.pem",
}


def test_defaults():
    s = Settings.from_env(BASE)
    assert (
        s.audience,
        s.token_ttl_seconds,
        s.max_failed_attempts,
        s.attempt_window_seconds,
        s.db_connect_timeout_seconds,
        s.db_statement_timeout_ms,
        s.log_level,
    ) == ("oficina-api", 900, 5, 900, 2, 2000, "INFO")
    assert s.jwks_uri == "http://127.0.0.1:8000/.well-known/jwks.json"


def test_overrides():
    s = Settings.from_env(
        {
            **BASE,
            "AUTH_TOKEN_TTL_SECONDS": "300",
            "AUTH_AUDIENCE": "x",
            "LOG_LEVEL": "debug",
            "AUTH_ISSUER": "https://a.example/prod/",
        }
    )
    assert (s.token_ttl_seconds, s.audience, s.log_level) == (300, "x", "DEBUG")
    assert s.jwks_uri == "https://a.example/prod/.well-known/jwks.json"


def test_every_problem_is_reported_at_once():
    with pytest.raises(ConfigError) as raised:
        Settings.from_env(
            {
                "AUTH_ISSUER": "ftp://x",
                "AUTH_TOKEN_TTL_SECONDS": "soon",
                "AUTH_MAX_FAILED_ATTEMPTS": "0",
                "LOG_LEVEL": "LOUD",
            }
        )
    message = str(raised.value)
    for fragment in [
        "DATABASE_URL is required",
        "AUTH_ISSUER must be an http(s) URL",
        "exactly one of AUTH_SIGNING_KEY_SECRET_ID",
        "AUTH_TOKEN_TTL_SECONDS must be an integer",
        "AUTH_MAX_FAILED_ATTEMPTS must be between",
        "LOG_LEVEL",
    ]:
        assert fragment in message


def test_both_key_sources_is_an_error():
    with pytest.raises(ConfigError, match="exactly one"):
        Settings.from_env({**BASE, "AUTH_SIGNING_KEY_SECRET_ID": "arn:aws:secretsmanager:x"})


def test_missing_issuer():
    env = dict(BASE)
    del env["AUTH_ISSUER"]
    with pytest.raises(ConfigError, match="AUTH_ISSUER is required"):
        Settings.from_env(env)
