"""Databases for tests, the bench and the dashboard, and the dbt environment for a URL.

* ``server_url()``: TEST_DATABASE_URL, else the local server when it answers, else an embedded
  PostgreSQL (pgserver) under ``.cache/pgdata``.
* ``app_schema(url)``: the application's tables, built by oficina-flask's Alembic migrations when
  ``../oficina-flask`` exists (monorepo), else from ``tests/fixtures/app_schema.sql``.
* ``dbt_env(url)``: DBT_HOST/PORT/USER/PASSWORD/DBNAME derived from a libpq/SQLAlchemy URL,
  which ``profiles.yml`` reads.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT.parent / "oficina-flask"
FIXTURE = ROOT / "tests" / "fixtures" / "app_schema.sql"
LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _answers(url: str) -> bool:
    try:
        psycopg2.connect(url, connect_timeout=2).close()
    except psycopg2.OperationalError:
        return False
    return True


def server_url() -> str:
    explicit = os.environ.get("TEST_DATABASE_URL")
    if explicit:
        return explicit.replace("+psycopg2", "")
    if _answers(LOCAL_URL):
        return LOCAL_URL
    import pgserver  # only where no server is configured

    data = ROOT / ".cache" / "pgdata"
    data.mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(str(data), cleanup_mode=None).get_uri()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url.replace("+psycopg2", ""))
    return urlunsplit(parts._replace(path="/" + name))


def create_database(url: str, name: str) -> str:
    """Create (or re-create) a database that this folder owns; return its URL."""
    if not re.fullmatch(r"analytics_dbt_[a-z0-9_]+", name):
        raise ValueError(f"refusing to manage a database not named analytics_dbt_*: {name}")
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return with_database(url, name)


def drop_database(url: str, name: str) -> None:
    if not name.startswith("analytics_dbt_"):
        raise ValueError(name)
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def migrate_with_alembic(url: str) -> None:
    subprocess.run(
        ["make", "--no-print-directory", "-s", "-C", str(APP), ".venv/.synced"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    sa_url = url.replace("postgresql://", "postgresql+psycopg2://", 1)
    env = {**os.environ, "DATABASE_URL": sa_url, "MIGRATIONS_DATABASE_URL": sa_url}
    subprocess.run(
        [str(APP / ".venv/bin/alembic"), "-c", str(APP / "alembic.ini"), "upgrade", "head"],
        check=True,
        env=env,
        cwd=APP,
        capture_output=True,
    )


def load_fixture(url: str) -> None:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(FIXTURE.read_text())


def app_schema(url: str) -> str:
    """Build the application schema in ``url``; return how ("alembic" or "fixture")."""
    if (APP / "alembic.ini").exists() and not os.environ.get("ANALYTICS_USE_FIXTURE"):
        migrate_with_alembic(url)
        return "alembic"
    load_fixture(url)
    return "fixture"


def dump_schema(url: str) -> str:
    """``pg_dump --schema-only`` normalised: no comments, SET lines or psql meta-commands."""
    out = subprocess.run(
        ["pg_dump", "--schema-only", "--no-owner", "--no-privileges", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = []
    for line in out.splitlines():
        if line.startswith(("--", "SET ", "\\")) or "pg_catalog.set_config" in line:
            continue
        if not line.strip() and (not lines or not lines[-1].strip()):
            continue
        lines.append(line)
    return "\n".join(lines).strip() + "\n"


def dbt_env(url: str) -> dict[str, str]:
    """DBT_* variables for profiles.yml from a libpq or SQLAlchemy URL (also Unix sockets)."""
    parts = urlsplit(url.replace("+psycopg2", ""))
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or "127.0.0.1"])[0]
    return {
        "DBT_HOST": host,
        "DBT_PORT": str(parts.port or query.get("port", ["5432"])[0]),
        "DBT_USER": unquote(parts.username or "postgres"),
        "DBT_PASSWORD": unquote(parts.password or ""),
        "DBT_DBNAME": unquote(parts.path.lstrip("/") or "postgres"),
        "DBT_SSLMODE": query.get("sslmode", ["prefer"])[0],
    }


def main(argv: list[str]) -> None:
    """``env URL`` prints shell exports; ``dump URL`` the schema; ``fixture`` rewrites
    tests/fixtures/app_schema.sql from oficina-flask's migrations."""
    action = argv[0]
    if action == "fixture":
        server = server_url()
        url = create_database(server, "analytics_dbt_fixture")
        try:
            migrate_with_alembic(url)
            FIXTURE.write_text(dump_schema(url))
        finally:
            drop_database(server, "analytics_dbt_fixture")
        print(f"wrote {FIXTURE}")
        return
    url = argv[1]
    if action == "env":
        for key, value in dbt_env(url).items():
            print(f"export {key}='{value}'")
    elif action == "dump":
        sys.stdout.write(dump_schema(url))
    else:
        raise SystemExit(f"unknown action {action}")


if __name__ == "__main__":
    main(sys.argv[1:])
