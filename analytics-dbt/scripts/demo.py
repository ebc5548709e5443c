"""`make demo` / `make docs` / `make dashboard`.

With DATABASE_URL (or DBT_HOST...) set: build the marts there and use them. Without: a demo
database ``analytics_dbt_demo`` on the local (or embedded) server, with the application's
schema, 20,000 generated orders over 120 days ending today, and the marts built.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.generate import Config, generate  # noqa: E402
from scripts import dashboard, dbenv  # noqa: E402
from scripts.run_dbt import environment  # noqa: E402

DBT = str(Path(sys.executable).with_name("dbt"))


def main() -> None:
    parser = argparse.ArgumentParser(prog="make demo")
    parser.add_argument("--docs", action="store_true", help="also run dbt docs generate")
    parser.add_argument("--dashboard", action="store_true", help="also write the dashboard")
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=120)
    args = parser.parse_args()
    env = environment()
    if env.get("DBT_HOST"):
        url = (
            f"postgresql://{env['DBT_USER']}:{env.get('DBT_PASSWORD', '')}@"
            f"{env['DBT_HOST']}:{env.get('DBT_PORT', '5432')}/{env['DBT_DBNAME']}"
        )
    else:
        url = dbenv.create_database(dbenv.server_url(), "analytics_dbt_demo")
        dbenv.app_schema(url)
        today = datetime.now(ZoneInfo("America/Sao_Paulo")).date()
        print(generate(url, Config(args.orders, args.days, end=today)))
        env.update(dbenv.dbt_env(url))
    subprocess.run([DBT, "build"], env=env, cwd=dbenv.ROOT, check=True)
    if args.docs:
        subprocess.run([DBT, "docs", "generate"], env=env, cwd=dbenv.ROOT, check=True)
        print("docs: target/index.html (make docs-serve to browse)")
    if args.dashboard:
        out = dashboard.DEFAULT_OUT
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(dashboard.render(dashboard.collect(url)), encoding="utf-8")
        print(f"dashboard: {out}")


if __name__ == "__main__":
    main()
