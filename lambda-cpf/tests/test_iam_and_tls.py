"""Connection options for the cloud: RDS IAM tokens, TLS, role-level statement timeout."""

from __future__ import annotations

import json

import boto3
import psycopg2
import pytest
from tests.conftest import CUSTOMER_CPF, load_event

from auth_cpf.bootstrap import build_app
from auth_cpf.dal.iam import rds_iam_token_provider
from auth_cpf.dal.postgres import PostgresAuthRepository
from auth_cpf.models.config import Settings
from auth_cpf.models.errors import ConfigError, DatabaseUnavailable

BASE = {
    "DATABASE_URL": "postgresql://oficina_auth@proxy.example:5432/oficina",
    "AUTH_ISSUER": "https://api.example",
    "AUTH_SIGNING_KEY_SECRET_ID": "sk",
}


@pytest.fixture
def fake_aws(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)


def test_iam_auth_defaults_to_tls_and_needs_a_region(monkeypatch):
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    settings = Settings.from_env({**BASE, "DB_IAM_AUTH": "true", "AWS_REGION": "sa-east-1"})
    assert settings.db_iam_auth and settings.db_sslmode == "require"
    with pytest.raises(ConfigError, match="needs TLS"):
        Settings.from_env(
            {**BASE, "DB_IAM_AUTH": "true", "DB_SSLMODE": "prefer", "AWS_REGION": "sa-east-1"}
        )
    with pytest.raises(ConfigError, match="AWS_REGION"):
        Settings.from_env({**BASE, "DB_IAM_AUTH": "true"})
    with pytest.raises(ConfigError, match="DB_IAM_AUTH must be"):
        Settings.from_env({**BASE, "DB_IAM_AUTH": "maybe"})
    with pytest.raises(ConfigError, match="DB_SSLMODE must be"):
        Settings.from_env({**BASE, "DB_SSLMODE": "always"})
    with pytest.raises(ConfigError, match="0 \\(role default\\) or >= 50"):
        Settings.from_env({**BASE, "DB_STATEMENT_TIMEOUT_MS": "10"})
    assert Settings.from_env({**BASE, "DB_STATEMENT_TIMEOUT_MS": "0"}).db_statement_timeout_ms == 0


def test_iam_token_is_presigned_locally(fake_aws):
    token = rds_iam_token_provider(BASE["DATABASE_URL"])()
    assert token.startswith("proxy.example:5432/?")
    assert "Action=connect" in token and "DBUser=oficina_auth" in token
    assert "X-Amz-Signature=" in token


def test_iam_needs_host_and_user():
    with pytest.raises(ConfigError, match="host and a user"):
        rds_iam_token_provider("dbname=x")


def test_password_provider_is_called_at_every_connect(database, seed):
    calls = []

    def provider() -> str:
        calls.append(1)
        return "token-from-provider"  # the local server trusts; RDS Proxy would check it

    repo = PostgresAuthRepository(database.auth_dsn, password_provider=provider)
    assert repo.find_customer(CUSTOMER_CPF) is not None
    assert repo.find_customer(CUSTOMER_CPF) is not None
    assert len(calls) == 1
    database.execute("SELECT pg_terminate_backend(%s)", (repo._conn.get_backend_pid(),))
    assert repo.find_customer(CUSTOMER_CPF) is not None
    assert len(calls) == 2  # a fresh token for the new connection
    repo.close()


def test_failing_provider_is_a_503(database):
    def provider() -> str:
        raise RuntimeError("no credentials")

    with pytest.raises(DatabaseUnavailable) as raised:
        PostgresAuthRepository(database.auth_dsn, password_provider=provider).find_staff("1")
    assert raised.value.reason == "credentials:RuntimeError"


def test_tls_required_against_a_plain_server_is_a_503(database):
    conn = psycopg2.connect(database.admin_dsn)
    with conn.cursor() as cur:
        cur.execute("SHOW ssl")
        ssl_on = cur.fetchone()[0] == "on"
    conn.close()
    if ssl_on:
        pytest.skip("this server offers TLS")
    with pytest.raises(DatabaseUnavailable):
        PostgresAuthRepository(database.auth_dsn, sslmode="require").find_staff("1")


def test_statement_timeout_zero_keeps_the_role_setting(database):
    def show(repo):
        return repo._run(lambda cur: (cur.execute("SHOW statement_timeout"), cur.fetchone())[1])

    with_option = PostgresAuthRepository(database.auth_dsn, statement_timeout_ms=1500)
    role_default = PostgresAuthRepository(database.auth_dsn, statement_timeout_ms=0)
    assert show(with_option) == ("1500ms",)
    assert show(role_default) != ("1500ms",)
    assert "options" not in role_default._connect_kwargs
    with_option.close()
    role_default.close()


def test_boto3_client_is_created_once(fake_aws, monkeypatch):
    created = []
    real = boto3.client

    def counting(*args, **kwargs):
        created.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(boto3, "client", counting)
    provider = rds_iam_token_provider(BASE["DATABASE_URL"])
    provider()
    provider()
    assert created == [("rds",)]


def test_build_app_wires_iam_auth(fake_aws, key_dir, context, capsys):
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://oficina_auth@127.0.0.1:1/oficina",  # closed loopback port
            "AUTH_ISSUER": "https://api.example",
            "AUTH_SIGNING_KEY_FILE": str(key_dir / "current.pem"),
            "DB_IAM_AUTH": "true",
            "AWS_REGION": "us-east-1",
        }
    )
    app = build_app(settings)
    result = app.resolve(load_event("post_token_customer"), context)
    assert result["statusCode"] == 503
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    logged = [e for e in logged if e["event"] == "auth.attempt"]
    assert logged[-1]["reason"] == "connect:OperationalError"  # token made, then refused
