"""bootstrap/apply_roles.py end to end: secrets in (moto) Secrets Manager, real PostgreSQL.

The script runs roles.sql, then gives every role LOGIN and the password of its secret, sending
only a SCRAM verifier. The stored verifier is checked against the secret's password.
"""

from __future__ import annotations

import base64
import json
import sys

import boto3
import psycopg
import pytest
from conftest import ROOT, Scratch
from moto import mock_aws

sys.path.insert(0, str(ROOT / "bootstrap"))
import apply_roles  # noqa: E402

pytestmark = pytest.mark.postgres

BASE = ("oficina_owner", "oficina_app", "oficina_auth", "oficina_analytics", "datadog")


def test_verifier_is_the_one_postgres_computes(scratch_apply: Scratch) -> None:
    """Let PostgreSQL hash a password itself, then recompute it here with the same salt."""
    role = scratch_apply.role("scram_probe")
    with scratch_apply.connect() as conn:
        conn.execute("SET password_encryption = 'scram-sha-256'")
        conn.execute(f"CREATE ROLE \"{role}\" NOLOGIN PASSWORD 'oficina-probe'")
        stored = conn.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,)
        ).fetchone()[0]
        conn.commit()
    iterations, salt = stored.split("$")[1].split(":")
    ours = apply_roles.scram_sha256_verifier(
        "oficina-probe", salt=base64.b64decode(salt), iterations=int(iterations)
    )
    assert ours == stored
    assert apply_roles.scram_sha256_verifier("x") != apply_roles.scram_sha256_verifier("x")


def test_apply_roles_sets_login_and_scram_password(scratch_apply: Scratch, monkeypatch) -> None:
    scratch = scratch_apply
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        passwords, args = {}, []
        for base in BASE:
            role = scratch.role(base)
            passwords[role] = f"pw-{base}-{role[-6:]}-0123456789abcdef"
            arn = client.create_secret(
                Name=f"oficina-test/db/{role}",
                SecretString=json.dumps({"username": role, "password": passwords[role]}),
            )["ARN"]
            args += ["--role-secret", f"{base}={arn}"]
        # the test superuser acts as the master (SET ROLE via the startup options)
        admin = psycopg.conninfo.make_conninfo(scratch.url, options=f"-c role={scratch.master}")
        rc = apply_roles.main(
            [
                "--admin-conninfo",
                admin,
                "--psql",
                scratch.server.psql,
                "--psql-var",
                f"role_prefix={scratch.prefix}",
                *args,
            ]
        )
    assert rc == 0
    with scratch.connect() as conn:
        rows = conn.execute(
            "SELECT rolname, rolcanlogin, rolpassword FROM pg_authid WHERE rolname = ANY(%s)",
            (list(passwords),),
        ).fetchall()
        logged = (
            conn.execute(
                "SELECT count(*) FROM pg_stat_statements WHERE query ILIKE %s", ("%pw-oficina%",)
            ).fetchone()
            if _has_pgss(conn)
            else (0,)
        )
    assert len(rows) == len(BASE)
    for role, can_login, stored in rows:
        assert can_login, role
        prefix, rest = stored.split("$", 1)
        assert prefix == "SCRAM-SHA-256"
        iterations_salt, _keys = rest.split("$")
        iterations, salt = iterations_salt.split(":")
        expected = apply_roles.scram_sha256_verifier(
            passwords[role], salt=base64.b64decode(salt), iterations=int(iterations)
        )
        assert stored == expected, f"{role}: stored verifier does not match its secret"
    assert logged == (0,)


def _has_pgss(conn: psycopg.Connection) -> bool:
    return bool(
        conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'").fetchone()
    ) and bool(
        conn.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'shared_preload_libraries'"
            " AND setting LIKE '%pg_stat_statements%'"
        ).fetchone()
    )
