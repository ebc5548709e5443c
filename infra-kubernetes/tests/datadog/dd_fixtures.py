"""PostgreSQL fixtures of the Datadog-as-code tests (imported by the test modules: a conftest.py
here would shadow tests/conftest.py, which the other suites import by name)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]

LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TEST_DB = "infra_kubernetes_datadog_test"


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """TEST_DATABASE_URL, else the local server, else an embedded pgserver (helper rules)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    if _answers(LOCAL_URL):
        yield LOCAL_URL
        return
    import pgserver

    data_dir = ROOT / "build" / "pgserver"
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data_dir), cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def database_url(admin_url: str) -> Iterator[str]:
    """A database of our own (name unique to this folder), dropped afterwards."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(TEST_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEST_DB)))
    info = psycopg.conninfo.conninfo_to_dict(admin_url)
    info["dbname"] = TEST_DB
    yield psycopg.conninfo.make_conninfo(**info)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        with contextlib.suppress(psycopg.Error):
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(TEST_DB))
            )
