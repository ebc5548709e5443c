"""A scratch PostgreSQL database migrated by the application's own Alembic migrations.

Server, in this order (the project's common rule):
  1. ``TEST_DATABASE_URL`` when set;
  2. the local server ``postgresql://postgres@127.0.0.1:5432/postgres`` when it answers;
  3. an embedded PostgreSQL 16 from ``pgserver`` under ``.cache/pgserver`` (git-ignored).

Each run creates its own database (``er_diagrams_<purpose>_<random>``) on that server and drops
it at the end; no other database is ever touched. The schema comes only from
``alembic upgrade head`` of ``oficina-flask`` (``OFICINA_FLASK_DIR``, default ``../oficina-flask``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def app_dir() -> Path:
    return Path(os.environ.get("OFICINA_FLASK_DIR", ROOT.parent / "oficina-flask")).resolve()


def _answers(url: str) -> bool:
    try:
        psycopg2.connect(url, connect_timeout=2).close()
    except psycopg2.OperationalError:
        return False
    return True


def with_database(url: str, name: str, driver: str = "postgresql") -> str:
    parts = urlsplit(url)
    return urlunsplit((driver, parts.netloc, "/" + name, parts.query, parts.fragment))


@contextlib.contextmanager
def server_url() -> Iterator[str]:
    """A URL of a maintenance database on a server we may create databases on."""
    explicit = os.environ.get("TEST_DATABASE_URL")
    if explicit:
        yield explicit
        return
    if _answers(LOCAL_URL):
        yield LOCAL_URL
        return
    import pgserver  # only needed when no server answers

    data = ROOT / ".cache" / "pgserver"
    data.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data, cleanup_mode="stop")
    try:
        yield server.get_uri("postgres")
    finally:
        server.cleanup()


def _admin(url: str):
    conn = psycopg2.connect(url, connect_timeout=5)
    conn.autocommit = True
    return conn


def migrate(url: str) -> None:
    """Bring the database at ``url`` to ``alembic upgrade head`` with the app's own tooling."""
    app = app_dir()
    if not (app / "alembic.ini").is_file():
        raise SystemExit(f"oficina-flask not found at {app} (set OFICINA_FLASK_DIR)")
    subprocess.run(["make", "-s", "-C", str(app), ".venv/.synced"], check=True, stdout=sys.stderr)
    env = {k: v for k, v in os.environ.items() if k != "MIGRATIONS_DATABASE_URL"}
    env["DATABASE_URL"] = with_database(url, urlsplit(url).path.lstrip("/"), "postgresql+psycopg2")
    result = subprocess.run(
        [str(app / ".venv/bin/alembic"), "-c", str(app / "alembic.ini"), "upgrade", "head"],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit("alembic upgrade head failed")


@contextlib.contextmanager
def scratch_database(purpose: str, *, migrated: bool = True) -> Iterator[str]:
    """Create ``er_diagrams_<purpose>_<random>``, migrate it, yield its URL, drop it."""
    name = f"er_diagrams_{purpose}_{secrets.token_hex(3)}"
    with server_url() as admin_url:
        admin = _admin(admin_url)
        try:
            admin.cursor().execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            url = with_database(admin_url, name)
            try:
                if migrated:
                    migrate(url)
                yield url
            finally:
                admin.cursor().execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        finally:
            admin.close()
