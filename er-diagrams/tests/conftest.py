"""One scratch database migrated by the app's Alembic migrations, shared by the tests."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg2
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import generate
import pgdb


@pytest.fixture(scope="session")
def migrated_url():
    with pgdb.scratch_database("test") as url:
        yield url


@pytest.fixture(scope="session")
def tables(migrated_url):
    return generate.introspect(migrated_url)


@pytest.fixture
def conn(migrated_url):
    """A connection whose work is always rolled back."""
    connection = psycopg2.connect(migrated_url)
    try:
        yield connection
    finally:
        connection.rollback()
        connection.close()
