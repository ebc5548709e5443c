"""A scratch database with the application's schema and deterministic demo data, and dbt."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.generate import Config, generate  # noqa: E402
from scripts import dbenv  # noqa: E402
from scripts.run_dbt import environment  # noqa: E402

DBT = str(Path(sys.executable).with_name("dbt"))
# The demo data of the tests: small enough for seconds, big enough for every path.
DEMO = Config(orders=3000, days=45, seed=7)


@pytest.fixture(scope="session")
def server() -> str:
    return dbenv.server_url()


class Scratch:
    """Databases this test session creates (and drops)."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.names: list[str] = []

    def new(self, label: str) -> str:
        name = f"analytics_dbt_{label}_{uuid.uuid4().hex[:8]}"
        self.names.append(name)
        return dbenv.create_database(self.server, name)

    def drop_all(self) -> None:
        for name in self.names:
            dbenv.drop_database(self.server, name)


@pytest.fixture(scope="session")
def scratch(server: str):
    dbs = Scratch(server)
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def demo_db(scratch: Scratch) -> str:
    """Application schema (migrations, or the fixture outside the monorepo) + demo data."""
    url = scratch.new("demo")
    how = dbenv.app_schema(url)
    print(f"application schema from {how}")
    generate(url, DEMO)
    return url


def run_dbt(url: str, *args: str, schema: str = "analytics") -> dict:
    env = {**environment(), **dbenv.dbt_env(url), "DBT_SCHEMA": schema}
    target = f"target/{schema}"
    proc = subprocess.run(
        [DBT, *args, "--target-path", target], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{proc.stdout[-6000:]}")
    results = ROOT / target / "run_results.json"
    return json.loads(results.read_text()) if results.exists() else {}


@pytest.fixture(scope="session")
def built(demo_db: str) -> dict:
    """`dbt build` (models, generic tests, unit tests) on the demo data."""
    return run_dbt(demo_db, "build", "--full-refresh")


def query(url: str, sql: str, params: object = None) -> list[tuple]:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []
