"""Configuration from the environment, read once by create_app()."""

from __future__ import annotations

import os
from typing import Any


class ConfigError(RuntimeError):
    """A required setting is missing or malformed: fail at start-up, not on a request."""


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


def from_env() -> dict[str, Any]:
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        raise ConfigError("DATABASE_URL is not set")
    jwks_url = os.environ.get("JWT_JWKS_URL")
    jwks_file = os.environ.get("JWT_JWKS_FILE")
    if not (jwks_url or jwks_file):
        raise ConfigError(
            "set JWT_JWKS_URL or JWT_JWKS_FILE: tokens cannot be verified without keys"
        )
    return {
        "DATABASE_URL": database_url,
        "DB_POOL_SIZE": _int("DB_POOL_SIZE", 5),
        "DB_MAX_OVERFLOW": _int("DB_MAX_OVERFLOW", 5),
        "DB_READ_POOL_SIZE": _int("DB_READ_POOL_SIZE", 2),
        "JWT_ISSUER": os.environ.get("JWT_ISSUER", "http://127.0.0.1:8000"),
        "JWT_AUDIENCE": os.environ.get("JWT_AUDIENCE", "oficina-api"),
        "JWT_JWKS_URL": jwks_url,
        "JWT_JWKS_FILE": jwks_file,
        "JWT_LEEWAY_SECONDS": _int("JWT_LEEWAY_SECONDS", 30),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }
