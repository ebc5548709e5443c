"""Configuration read from the environment and validated once, at cold start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from auth_cpf.models.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    issuer: str
    audience: str = "oficina-api"
    token_ttl_seconds: int = 900
    signing_key_secret_id: str | None = None
    signing_key_file: str | None = None
    previous_key_file: str | None = None
    max_failed_attempts: int = 5
    attempt_window_seconds: int = 900
    db_connect_timeout_seconds: int = 2
    db_statement_timeout_ms: int = 2000
    db_iam_auth: bool = False
    db_sslmode: str | None = None
    log_level: str = "INFO"
    statsd_host: str = "127.0.0.1"
    statsd_port: int = 8125
    service: str = "auth-cpf"
    env: str = "local"
    version: str = "0.1.0"

    @property
    def jwks_uri(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/jwks.json"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default ``os.environ``); reports every problem at once."""
        env = os.environ if environ is None else environ
        problems: list[str] = []

        def text(name: str, default: str | None = None) -> str | None:
            value = env.get(name, "").strip()
            return value or default

        def integer(name: str, default: int, low: int, high: int) -> int:
            raw = text(name)
            if raw is None:
                return default
            try:
                value = int(raw)
            except ValueError:
                problems.append(f"{name} must be an integer, got {raw!r}")
                return default
            if not low <= value <= high:
                problems.append(f"{name} must be between {low} and {high}, got {value}")
            return value

        database_url = text("DATABASE_URL")
        if database_url is None:
            problems.append("DATABASE_URL is required")
        issuer = text("AUTH_ISSUER")
        if issuer is None:
            problems.append("AUTH_ISSUER is required")
        else:
            parts = urlsplit(issuer)
            if parts.scheme not in {"http", "https"} or not parts.netloc:
                problems.append(f"AUTH_ISSUER must be an http(s) URL, got {issuer!r}")
        secret_id = text("AUTH_SIGNING_KEY_SECRET_ID")
        key_file = text("AUTH_SIGNING_KEY_FILE")
        if (secret_id is None) == (key_file is None):
            problems.append(
                "set exactly one of AUTH_SIGNING_KEY_SECRET_ID (AWS Secrets Manager) "
                "or AUTH_SIGNING_KEY_FILE (PEM file)"
            )
        iam_raw = (text("DB_IAM_AUTH", "false") or "false").lower()
        if iam_raw not in {"true", "false", "1", "0"}:
            problems.append(f"DB_IAM_AUTH must be true or false, got {iam_raw!r}")
        iam_auth = iam_raw in {"true", "1"}
        sslmode = text("DB_SSLMODE", "require" if iam_auth else None)
        modes = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}
        if sslmode is not None and sslmode not in modes:
            problems.append(f"DB_SSLMODE must be one of {sorted(modes)}, got {sslmode!r}")
        if iam_auth and sslmode not in {"require", "verify-ca", "verify-full"}:
            problems.append("DB_IAM_AUTH needs TLS: DB_SSLMODE require, verify-ca or verify-full")
        if iam_auth and not (text("AWS_REGION") or text("AWS_DEFAULT_REGION")):
            problems.append("DB_IAM_AUTH needs AWS_REGION (set by Lambda itself)")
        log_level = (text("LOG_LEVEL", "INFO") or "INFO").upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            problems.append(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")

        settings = cls(
            database_url=database_url or "",
            issuer=issuer or "",
            audience=text("AUTH_AUDIENCE", "oficina-api") or "oficina-api",
            token_ttl_seconds=integer("AUTH_TOKEN_TTL_SECONDS", 900, 60, 86_400),
            signing_key_secret_id=secret_id,
            signing_key_file=key_file,
            previous_key_file=text("AUTH_PREVIOUS_KEY_FILE"),
            max_failed_attempts=integer("AUTH_MAX_FAILED_ATTEMPTS", 5, 1, 1_000),
            attempt_window_seconds=integer("AUTH_ATTEMPT_WINDOW_SECONDS", 900, 1, 86_400),
            db_connect_timeout_seconds=integer("DB_CONNECT_TIMEOUT_SECONDS", 2, 1, 30),
            db_statement_timeout_ms=integer("DB_STATEMENT_TIMEOUT_MS", 2000, 0, 30_000),
            db_iam_auth=iam_auth,
            db_sslmode=sslmode,
            log_level=log_level,
            statsd_host=text("DD_AGENT_HOST", "127.0.0.1") or "127.0.0.1",
            statsd_port=integer("DD_DOGSTATSD_PORT", 8125, 1, 65_535),
            service=text("DD_SERVICE", "auth-cpf") or "auth-cpf",
            env=text("DD_ENV", "local") or "local",
            version=text("DD_VERSION", "0.1.0") or "0.1.0",
        )
        if 0 < settings.db_statement_timeout_ms < 50:
            problems.append("DB_STATEMENT_TIMEOUT_MS must be 0 (role default) or >= 50")
        if problems:
            raise ConfigError("invalid configuration: " + "; ".join(problems))
        return settings
