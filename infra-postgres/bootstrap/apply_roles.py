"""Apply the database roles to an RDS instance created by this repository.

1. Reads the master credentials from the RDS-managed secret (Secrets Manager).
2. Runs bootstrap/roles.sql with psql as the master user (idempotent; creates NOLOGIN roles).
3. For every role secret written by Terraform (module output role_secret_arns), gives the role
   LOGIN and its password. Only a SCRAM-SHA-256 verifier computed here is sent to the server
   (like psql's \\password): the clear password never appears in SQL text, server logs or
   pg_stat_statements.

Usage (credentials of an operator of the account; network access to the private subnets, e.g.
from a pod in the cluster or through SSM port forwarding):

    python bootstrap/apply_roles.py --terraform-dir environments/homolog
    python bootstrap/apply_roles.py --host H --dbname oficina --master-secret-arn A \\
        --role-secret oficina_app=ARN ... [--skip-roles-sql]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import psycopg
from psycopg import sql

ROLES_SQL = Path(__file__).resolve().parent / "roles.sql"
SCRAM_ITERATIONS = 4096


def scram_sha256_verifier(
    password: str, salt: bytes | None = None, iterations: int = SCRAM_ITERATIONS
) -> str:
    """PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802 / RFC 7677)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


@dataclass
class Target:
    host: str
    port: int
    dbname: str
    master_secret_arn: str | None
    role_secrets: dict[str, str] = field(default_factory=dict)
    admin_conninfo: str | None = None  # tests: a ready connection string instead of the secret


def from_terraform(directory: str) -> Target:
    out = subprocess.run(
        ["terraform", f"-chdir={directory}", "output", "-json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    values = {name: item["value"] for name, item in json.loads(out).items()}
    return Target(
        values["endpoint"],
        int(values["port"]),
        values["db_name"],
        values["master_user_secret_arn"],
        dict(values["role_secret_arns"]),
    )


def read_secret(client: Any, arn: str) -> dict[str, Any]:
    return json.loads(client.get_secret_value(SecretId=arn)["SecretString"])


def admin_conninfo(target: Target, client: Any, sslmode: str, sslrootcert: str | None) -> str:
    if target.admin_conninfo:
        return target.admin_conninfo
    master = read_secret(client, target.master_secret_arn)
    params = {
        "host": target.host,
        "port": target.port,
        "dbname": target.dbname,
        "user": master["username"],
        "password": master["password"],
        "sslmode": sslmode,
    }
    if sslrootcert:
        params["sslrootcert"] = sslrootcert
    return psycopg.conninfo.make_conninfo(**params)


def run_roles_sql(conninfo: str, psql: str, extra_vars: dict[str, str]) -> None:
    """psql gets the connection through PG* variables, never argv (it may hold the password)."""
    params = psycopg.conninfo.conninfo_to_dict(conninfo)
    names = {
        "host": "PGHOST",
        "port": "PGPORT",
        "dbname": "PGDATABASE",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "options": "PGOPTIONS",
    }
    env = {**os.environ, **{names[k]: str(v) for k, v in params.items() if k in names}}
    args = [psql, "-X", "-v", "ON_ERROR_STOP=1"]
    for key, value in extra_vars.items():
        args += ["-v", f"{key}={value}"]
    subprocess.run([*args, "-f", str(ROLES_SQL)], env=env, check=True)


def set_passwords(conninfo: str, client: Any, role_secrets: dict[str, str]) -> list[str]:
    done = []
    with psycopg.connect(conninfo) as conn:
        for arn in role_secrets.values():
            secret = read_secret(client, arn)
            role, password = secret["username"], secret["password"]
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if not exists:
                raise SystemExit(f"role {role} does not exist: run roles.sql first")
            conn.execute(
                sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(scram_sha256_verifier(password))
                )
            )
            done.append(role)
        conn.commit()
    return done


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--terraform-dir", help="environment root to read outputs from")
    parser.add_argument("--host")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--dbname", default="oficina")
    parser.add_argument("--master-secret-arn")
    parser.add_argument("--role-secret", action="append", default=[], metavar="ROLE=ARN")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    parser.add_argument("--sslmode", default="verify-full")
    parser.add_argument("--sslrootcert", help="RDS CA bundle (global-bundle.pem)")
    parser.add_argument("--psql", default="psql")
    parser.add_argument("--skip-roles-sql", action="store_true")
    parser.add_argument("--admin-conninfo", help=argparse.SUPPRESS)
    parser.add_argument("--psql-var", action="append", default=[], help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.terraform_dir:
        target = from_terraform(args.terraform_dir)
    else:
        target = Target(
            args.host or "",
            args.port,
            args.dbname,
            args.master_secret_arn,
            dict(item.split("=", 1) for item in args.role_secret),
        )
    target.admin_conninfo = args.admin_conninfo
    if not target.admin_conninfo and not (target.host and target.master_secret_arn):
        raise SystemExit("give --terraform-dir, or --host and --master-secret-arn")
    client = boto3.client("secretsmanager", region_name=args.region)
    conninfo = admin_conninfo(target, client, args.sslmode, args.sslrootcert)
    if not args.skip_roles_sql:
        run_roles_sql(conninfo, args.psql, dict(v.split("=", 1) for v in args.psql_var))
    roles = set_passwords(conninfo, client, target.role_secrets)
    print(f"LOGIN and password set for: {', '.join(sorted(roles)) or 'no role'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
