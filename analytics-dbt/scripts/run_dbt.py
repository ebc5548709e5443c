"""Run dbt from this folder with the profile in it and no tracking.

When DBT_HOST is not set and DATABASE_URL is, the DBT_* variables are derived from the URL
(libpq or SQLAlchemy form, Unix sockets included): ``python scripts/run_dbt.py build``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.dbenv import ROOT, dbt_env  # noqa: E402


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    env.setdefault("DBT_PROFILES_DIR", str(ROOT))
    env.setdefault("DBT_PROJECT_DIR", str(ROOT))
    # No JIT on dbt's connections (libpq reads PGOPTIONS): PostgreSQL JIT-compiles every query
    # whose estimated cost passes jit_above_cost, and on the incremental runs that compilation
    # (~250 ms a query here) cost more than the query; the full build is no faster with it.
    env.setdefault("PGOPTIONS", "-c jit=off")
    if "DBT_HOST" not in env and env.get("DATABASE_URL"):
        for key, value in dbt_env(env["DATABASE_URL"]).items():
            env.setdefault(key, value)
    return env


def main() -> None:
    dbt = str(Path(sys.executable).with_name("dbt"))
    os.execve(dbt, [dbt, *sys.argv[1:]], environment())


if __name__ == "__main__":
    main()
