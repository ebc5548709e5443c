"""python -m generator --orders N --days M [--seed S] [--extend-days K] DATABASE_URL."""

from __future__ import annotations

import argparse
import time
from datetime import date

from generator.generate import Config, extend, generate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("database_url", help="libpq URL of a migrated, empty application schema")
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 30))
    parser.add_argument(
        "--extend",
        type=int,
        default=0,
        metavar="DAYS",
        help="append DAYS days to data generated earlier with the same options",
    )
    parser.add_argument(
        "--already-extended",
        type=int,
        default=0,
        metavar="DAYS",
        help="days appended by earlier --extend runs",
    )
    args = parser.parse_args(argv)
    cfg = Config(args.orders, args.days, args.seed, args.end, args.already_extended)
    started = time.perf_counter()
    if args.extend:
        counts = extend(args.database_url.replace("+psycopg2", ""), cfg, args.extend)
    else:
        counts = generate(args.database_url.replace("+psycopg2", ""), cfg)
    elapsed = time.perf_counter() - started
    print(" ".join(f"{k}={v}" for k, v in counts.items()), f"seconds={elapsed:.1f}")


if __name__ == "__main__":
    main()
