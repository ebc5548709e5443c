"""Wire the function from validated settings (called once per execution environment)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from auth_cpf import logs, metrics
from auth_cpf.api import build_resolver
from auth_cpf.dal.iam import rds_iam_token_provider
from auth_cpf.dal.postgres import PostgresAuthRepository
from auth_cpf.logic import keys
from auth_cpf.logic.authenticate import Authenticator, AuthRepository
from auth_cpf.logic.tokens import TokenIssuer
from auth_cpf.models.config import Settings


def load_keys(settings: Settings, secrets_client: object | None = None) -> keys.KeyRing:
    if settings.signing_key_secret_id:
        return keys.load_from_secrets_manager(settings.signing_key_secret_id, secrets_client)
    assert settings.signing_key_file is not None  # guaranteed by Settings.from_env
    return keys.load_from_files(settings.signing_key_file, settings.previous_key_file)


def build_app(
    settings: Settings,
    *,
    key_ring: keys.KeyRing | None = None,
    repository: AuthRepository | None = None,
) -> APIGatewayHttpResolver:
    logs.configure(settings.log_level, settings.service, settings.env, settings.version)
    ring = key_ring or load_keys(settings)
    repo = repository or PostgresAuthRepository(
        settings.database_url,
        connect_timeout_seconds=settings.db_connect_timeout_seconds,
        statement_timeout_ms=settings.db_statement_timeout_ms,
        sslmode=settings.db_sslmode,
        password_provider=(
            rds_iam_token_provider(settings.database_url) if settings.db_iam_auth else None
        ),
    )
    issuer = TokenIssuer(ring, settings.issuer, settings.audience, settings.token_ttl_seconds)
    authenticator = Authenticator(
        repo,
        issuer,
        max_failed_attempts=settings.max_failed_attempts,
        window_seconds=settings.attempt_window_seconds,
        stats=metrics.DogStatsd(
            settings.statsd_host,
            settings.statsd_port,
            metrics.unified_tags(settings.service, settings.env, settings.version),
        ),
    )
    return build_resolver(settings, ring, authenticator)
