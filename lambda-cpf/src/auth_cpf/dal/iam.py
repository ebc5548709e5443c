"""RDS IAM authentication: a fresh token (valid 15 minutes) as the password of each connect."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import psycopg2.extensions

from auth_cpf.models.errors import ConfigError


def rds_iam_token_provider(dsn: str, client: Any = None) -> Callable[[], str]:
    """A password provider for ``dsn`` (host, port, user taken from it).

    The token is a SigV4-presigned string computed locally from the execution role's
    credentials: no network call. The role needs ``rds-db:connect`` on the proxy's db user.
    """
    params = psycopg2.extensions.parse_dsn(dsn)
    host, user = params.get("host"), params.get("user")
    port = int(params.get("port", 5432))
    if not host or not user:
        raise ConfigError("DATABASE_URL needs a host and a user for IAM authentication")
    state: dict[str, Any] = {"client": client}

    def token() -> str:
        if state["client"] is None:
            import boto3  # only the IAM path pays for boto3

            region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
            state["client"] = boto3.client("rds", region_name=region)
        return state["client"].generate_db_auth_token(DBHostname=host, Port=port, DBUsername=user)

    return token
