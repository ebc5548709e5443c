"""A PostgreSQL for development and tests when none is configured.

Order of preference: an explicit URL, the local server on 127.0.0.1:5432, then an embedded
server (pgserver, PostgreSQL 16 in a wheel) under an ignored folder.
"""

from __future__ import annotations

from pathlib import Path

import psycopg2
from sqlalchemy.engine import make_url

LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def answers(url: str) -> bool:
    try:
        psycopg2.connect(url, connect_timeout=2).close()
    except psycopg2.OperationalError:
        return False
    return True


def embedded_server_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded server; it stops when this process exits."""
    import pgserver  # only needed where no server is configured

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data_dir), cleanup_mode="stop")
    return server.get_uri()


def admin_url(explicit: str | None, data_dir: Path) -> str:
    """A URL of a server where we may create databases."""
    if explicit:
        return explicit
    if answers(LOCAL_URL):
        return LOCAL_URL
    return embedded_server_url(data_dir)


def with_database(url: str, name: str, *, driver: str = "postgresql") -> str:
    """The same server, another database (works for host and Unix-socket URLs)."""
    target = make_url(url).set(drivername=driver, database=name)
    return target.render_as_string(hide_password=False)


def recreate_database(url: str, name: str, *, driver: str = "postgresql") -> str:
    """Drop and create ``name`` on the server of ``url``; return its URL (with ``driver``)."""
    conn = psycopg2.connect(with_database(url, "postgres"))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return with_database(url, name, driver=driver)


def ensure_dev_database(data_dir: Path, name: str = "oficina") -> str:
    """The embedded server (left running for the next run) with database ``name``."""
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data_dir), cleanup_mode=None)
    admin = server.get_uri()
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return with_database(admin, name, driver="postgresql+psycopg2")


def stop_dev_server(data_dir: Path) -> None:
    import pgserver

    if (data_dir / "postmaster.pid").exists():
        pgserver.get_server(str(data_dir), cleanup_mode="stop").cleanup()


def main(argv: list[str] | None = None) -> None:
    """``python -m oficina.devdb ensure|stop --data-dir DIR``: prints the database URL."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m oficina.devdb")
    parser.add_argument("action", choices=["ensure", "stop"])
    parser.add_argument("--data-dir", type=Path, default=Path(".cache/pgdata"))
    parser.add_argument("--database", default="oficina")
    args = parser.parse_args(argv)
    if args.action == "ensure":
        print(ensure_dev_database(args.data_dir.resolve(), args.database))
    else:
        stop_dev_server(args.data_dir.resolve())


if __name__ == "__main__":
    main()
