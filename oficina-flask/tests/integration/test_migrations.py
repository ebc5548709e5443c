"""The schema comes from Alembic only: no drift, and every migration goes down and up cleanly."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from oficina import devdb
from oficina.extensions.db import Base
from tests.conftest import CHECKOUT, alembic_config


def test_models_match_migrations(engine):
    """The equivalent of `alembic check`: autogenerate finds nothing to do."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []


def test_alembic_check_command(database_url):
    command.check(alembic_config(database_url))


def test_every_migration_downgrades_and_upgrades(server_url):
    name = f"oficina_flask_migrations_{CHECKOUT}"
    url = devdb.recreate_database(server_url, name, driver="postgresql+psycopg2")
    cfg = alembic_config(url)
    revisions = [r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()]
    assert revisions, "no migrations found"
    command.upgrade(cfg, "head")
    for _ in revisions:
        command.downgrade(cfg, "-1")
        command.upgrade(cfg, "+1")
        command.downgrade(cfg, "-1")
    eng = create_engine(url)
    try:
        assert inspect(eng).get_table_names() == ["alembic_version"]
        command.upgrade(cfg, "head")
        assert "service_orders" in inspect(eng).get_table_names()
    finally:
        eng.dispose()


def test_constraint_names_follow_the_convention(engine):
    insp = inspect(engine)
    for table in insp.get_table_names():
        if table == "alembic_version":
            continue
        assert insp.get_pk_constraint(table)["name"] == f"pk_{table}"
        for fk in insp.get_foreign_keys(table):
            assert fk["name"].startswith(f"fk_{table}_"), fk["name"]
        for ck in insp.get_check_constraints(table):
            assert ck["name"].startswith(f"ck_{table}_"), ck["name"]
