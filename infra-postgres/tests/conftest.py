"""Shared fixtures: repository paths, the offline Terraform CLI config, and real PostgreSQL servers.

PostgreSQL, in order: TEST_DATABASE_URL; the local server on 127.0.0.1:5432; an embedded
PostgreSQL 16 from pgserver (under the ignored .pgdata/). When the first server found is older
than 16 (RDS runs 16+), the roles tests also run on the embedded 16, because role management
changed in 16 (CREATEROLE, ADMIN/SET options).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
MODULE_DIR = ROOT / "modules" / "rds-postgres"
ENVIRONMENTS = ("homolog", "production")
ENV_DIRS = {env: ROOT / "environments" / env for env in ENVIRONMENTS}
ROLES_SQL = ROOT / "bootstrap" / "roles.sql"
FIXTURE_SQL = ROOT / "tests" / "fixtures" / "app_tables.sql"
LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BASE_ROLES = ("oficina_owner", "oficina_app", "oficina_auth", "oficina_analytics", "datadog")


# --------------------------------------------------------------------------- PostgreSQL servers


@dataclass
class Server:
    name: str
    admin_url: str  # superuser connection to a maintenance database
    psql: str
    version: int


def _answers(url: str) -> bool:
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def _server(name: str, url: str, psql: str) -> Server:
    with psycopg.connect(url, autocommit=True) as conn:
        version = conn.info.server_version // 10000
        superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not superuser.fetchone()[0]:
            pytest.fail(f"{name}: the test server URL must connect as a superuser (creates roles)")
    return Server(name, url, psql, version)


_embedded: dict[str, object] = {}


def _embedded_server() -> Server:
    if "server" not in _embedded:
        import pgserver  # dev dependency; bundles PostgreSQL 16

        server = pgserver.get_server(ROOT / ".pgdata", cleanup_mode="stop")
        _embedded["server"] = server
    server = _embedded["server"]
    psql = str(Path(pgserver_bin()) / "psql")
    return _server("embedded-pg16", server.get_uri(), psql)


def pgserver_bin() -> str:
    from pgserver._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH)


def _primary_server() -> Server:
    psql = shutil.which("psql")
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        if not psql:
            pytest.fail("TEST_DATABASE_URL is set but psql is not installed")
        return _server("TEST_DATABASE_URL", url, psql)
    if psql and _answers(LOCAL_URL):
        return _server("local-127.0.0.1:5432", LOCAL_URL, psql)
    return _embedded_server()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "pg_server_name" in metafunc.fixturenames:
        metafunc.parametrize("pg_server_name", ["primary", "pg16"], scope="session")


_servers: dict[str, Server | None] = {}


@pytest.fixture(scope="session")
def pg_server(pg_server_name: str) -> Server:
    if pg_server_name not in _servers:
        primary = _servers.get("primary") or _primary_server()
        _servers["primary"] = primary
        if pg_server_name == "pg16":
            _servers["pg16"] = None if primary.version >= 16 else _embedded_server()
    server = _servers[pg_server_name]
    if server is None:
        pytest.skip("the primary server already runs PostgreSQL 16+: no second run needed")
    return server


# --------------------------------------------------------------------------- scratch database


@dataclass
class Scratch:
    server: Server
    dbname: str
    url: str  # superuser connection to the scratch database
    prefix: str  # role name prefix, unique to this run (roles are cluster-wide)
    master: str  # stands in for the RDS master user: CREATEROLE, owns the database, not superuser

    def role(self, base: str) -> str:
        return self.prefix + base

    def psql(self, *args: str, as_master: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [self.server.psql, "-X", "-v", "ON_ERROR_STOP=1", "-d", self.url]
        if as_master:
            cmd += ["-c", f'SET ROLE "{self.master}"']
        cmd += list(args)
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    def bootstrap(self) -> subprocess.CompletedProcess[str]:
        result = self.psql("-v", f"role_prefix={self.prefix}", "-f", str(ROLES_SQL))
        assert result.returncode == 0, f"roles.sql failed:\n{result.stdout}\n{result.stderr}"
        return result

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url)


def _with_db(url: str, dbname: str) -> str:
    return psycopg.conninfo.make_conninfo(url, dbname=dbname)


@contextmanager
def make_scratch(pg_server: Server) -> Iterator[Scratch]:
    token = secrets.token_hex(4)
    dbname = f"infra_postgres_test_{token}"
    prefix = f"t_ipg_{token}_"
    master = prefix + "rds_master"
    admin = psycopg.connect(pg_server.admin_url, autocommit=True)
    try:
        admin.execute(sql.SQL("CREATE ROLE {} NOLOGIN CREATEROLE").format(sql.Identifier(master)))
        # RDS gives its master (rds_superuser) the right to grant pg_monitor.
        admin.execute(
            sql.SQL("GRANT pg_monitor TO {} WITH ADMIN OPTION").format(sql.Identifier(master))
        )
        admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(dbname), sql.Identifier(master)
            )
        )
        url = _with_db(pg_server.admin_url, dbname)
        with psycopg.connect(url, autocommit=True) as conn:
            # On RDS the master may create this extension; here only a superuser can.
            available = conn.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements'"
            ).fetchone()
            if available:
                conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        yield Scratch(pg_server, dbname, url, prefix, master)
    finally:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
        )
        roles = admin.execute(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (prefix,)
        ).fetchall()
        # The master last: on 16+ it is the recorded grantor of the other roles' memberships.
        for (role,) in sorted(roles, key=lambda row: row[0] == master):
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
        left = admin.execute(
            "SELECT count(*) FROM pg_roles WHERE starts_with(rolname, %s)", (prefix,)
        ).fetchone()[0]
        admin.close()
        assert left == 0, f"test roles with prefix {prefix} were left behind"


@pytest.fixture(scope="session")
def scratch(pg_server: Server) -> Iterator[Scratch]:
    """Scratch database + role prefix for the roles.sql tests."""
    with make_scratch(pg_server) as s:
        yield s


@pytest.fixture(scope="session")
def scratch_apply(pg_server: Server) -> Iterator[Scratch]:
    """A second, separate scratch for apply_roles.py (it gives the roles LOGIN)."""
    with make_scratch(pg_server) as s:
        yield s
