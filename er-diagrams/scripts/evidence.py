"""EXPLAIN (ANALYZE, BUFFERS) evidence for every index, on a scale data set.

    python scripts/evidence.py                    # 200k orders (~1M history rows) -> evidence/
    python scripts/evidence.py --orders 2000 --out /tmp/ev   # quick run (the tests do this)

Creates a scratch database, migrates it with the app's Alembic migrations, loads
scripts/scale_data.sql (generate_series, synthetic data), VACUUM ANALYZE, then runs each query
of queries.py as the app runs it (PREPAREd statements are EXECUTEd five times first so the plan
shown is the one a pooled connection really uses) and writes one file per query, plus
dataset.txt (sizes) and index_usage.txt (idx_scan of every index during the workload).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import psycopg2

import pgdb
from queries import QUERIES, Query

ROOT = pgdb.ROOT
SCALE_SQL = Path(__file__).with_name("scale_data.sql")


def sizes(orders: int) -> dict[str, int]:
    return {
        "orders": orders,
        "customers": max(orders // 2, 10),
        "units": 10,
        "staff_per_unit": 8,
        "services": 40,
        "parts": 300,
    }


def load(conn, orders: int) -> float:
    started = time.monotonic()
    script = SCALE_SQL.read_text().format(**sizes(orders))
    with conn.cursor() as cur:
        cur.execute(script)
    conn.commit()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")
    conn.autocommit = False
    return time.monotonic() - started


def _params(cur, query: Query) -> dict[str, object]:
    values = {}
    for name, producer in query.params.items():
        cur.execute(producer)
        values[name] = cur.fetchone()[0]
    return values


def explain(conn, query: Query, params: dict[str, object]) -> str:
    with conn.cursor() as cur:
        options = "ANALYZE, BUFFERS"
        if query.prepared:
            if query.generic_plan:
                cur.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            cur.execute(f"PREPARE {query.name} AS {query.sql}")
            args = list(params.values())
            placeholders = f"({', '.join(['%s'] * len(args))})" if args else ""
            for _ in range(5):
                cur.execute(f"EXECUTE {query.name}{placeholders}", args)
                cur.fetchall()
            cur.execute(f"EXPLAIN ({options}) EXECUTE {query.name}{placeholders}", args)
        else:
            cur.execute(f"EXPLAIN ({options}) {query.sql}", params)
        plan = "\n".join(row[0] for row in cur.fetchall())
    conn.rollback()
    return plan


def _index_scans(url: str) -> dict[tuple[str, str], tuple[int, str]]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT relname, indexrelname, idx_scan, "
                "pg_size_pretty(pg_relation_size(indexrelid)) "
                "FROM pg_stat_user_indexes "
                "WHERE schemaname = 'public' AND relname <> 'alembic_version'"
            )
            return {(t, i): (n, size) for t, i, n, size in cur.fetchall()}
    finally:
        conn.close()


def _dataset(conn, orders: int, seconds: float) -> str:
    with conn.cursor() as cur:
        cur.execute("SHOW server_version")
        version = cur.fetchone()[0]
        cur.execute(
            """
            SELECT c.relname, c.reltuples::bigint,
                   pg_size_pretty(pg_table_size(c.oid)), pg_size_pretty(pg_indexes_size(c.oid))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'alembic_version'
            ORDER BY c.relname
            """
        )
        rows = cur.fetchall()
        cur.execute(
            "SELECT status, count(*) FROM service_orders GROUP BY status ORDER BY count(*) DESC"
        )
        statuses = cur.fetchall()
    conn.rollback()
    lines = [
        f"PostgreSQL {version}; scale data set of scripts/scale_data.sql with {orders} orders",
        f"(sizes: {sizes(orders)}); loaded and VACUUM ANALYZEd in {seconds:.1f} s.",
        f"Command: python scripts/evidence.py --orders {orders}   (make evidence)",
        "",
        f"{'table':32} {'rows (estimate)':>16} {'table size':>12} {'index size':>12}",
    ]
    lines += [f"{t:32} {n:>16} {ts:>12} {ix:>12}" for t, n, ts, ix in rows]
    lines += ["", "service_orders by status:"]
    lines += [f"  {s:20} {n:>10}" for s, n in statuses]
    return "\n".join(lines) + "\n"


def _document(query: Query, plan: str) -> str:
    expected = query.index or "(none: see note)"
    used = "n/a" if query.index is None else ("yes" if query.index in plan else "NO")
    header = [
        f"# {query.title}",
        f"# source: {query.source}",
        f"# expected index: {expected}; used by this plan: {used}",
    ]
    if query.generic_plan:
        header.append("# PREPAREd like the app; EXPLAIN of the 6th EXECUTE, forced generic plan")
    elif query.prepared:
        header.append("# PREPAREd like the app; EXPLAIN of the 6th EXECUTE (the pool's plan)")
    if query.note:
        header.append(f"# note: {query.note}")
    return "\n".join([*header, "", query.sql.strip(), "", plan, ""])


def run(url: str, orders: int, out: Path) -> list[tuple[Query, str]]:
    out.mkdir(parents=True, exist_ok=True)
    conn = psycopg2.connect(url)
    try:
        seconds = load(conn, orders)
        (out / "dataset.txt").write_text(_dataset(conn, orders, seconds))
    finally:
        conn.close()
    # Parameter look-ups first, on their own connection, so they do not count as index use.
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            params = {q.name: _params(cur, q) for q in QUERIES}
        conn.rollback()
    finally:
        conn.close()
    time.sleep(1.2)
    before = _index_scans(url)
    results = []
    conn = psycopg2.connect(url)
    try:
        for query in QUERIES:
            plan = explain(conn, query, params[query.name])
            (out / f"{query.name}.txt").write_text(_document(query, plan))
            results.append((query, plan))
    finally:
        conn.close()  # flushes this backend's statistics
    time.sleep(1.2)
    after = _index_scans(url)
    lines = [
        "idx_scan of every index during the evidence workload (all queries of queries.py,",
        "each prepared one executed six times); 0 = no query of the application uses it.",
        "",
        f"{'table':30} {'index':56} {'scans':>6} {'size':>10}",
    ]
    for key in sorted(after):
        scans = after[key][0] - before.get(key, (0, ""))[0]
        lines.append(f"{key[0]:30} {key[1]:56} {scans:>6} {after[key][1]:>10}")
    (out / "index_usage.txt").write_text("\n".join(lines) + "\n")
    summary = ["| query | expected index | used | execution time |", "|---|---|---|---|"]
    for query, plan in results:
        ms = next(
            (ln.split(":", 1)[1].strip() for ln in plan.splitlines() if "Execution Time" in ln),
            "?",
        )
        used = "n/a" if query.index is None else ("yes" if query.index in plan else "**no**")
        summary.append(
            f"| [{query.name}]({query.name}.txt) | {query.index or '-'} | {used} | {ms} |"
        )
    (out / "summary.md").write_text(
        "# Evidence summary\n\n"
        f"Generated by `python scripts/evidence.py --orders {orders}`; see dataset.txt.\n\n"
        + "\n".join(summary)
        + "\n"
    )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=ROOT / "evidence")
    args = parser.parse_args(argv)
    with pgdb.scratch_database("evidence") as url:
        results = run(url, args.orders, args.out)
    missing = [q.name for q, plan in results if q.index and q.index not in plan]
    for query, plan in results:
        ms = [ln for ln in plan.splitlines() if "Execution Time" in ln]
        print(f"{query.name:28} {query.index or '-':48} {ms[0].strip() if ms else ''}")
    if missing:
        print(f"expected index not used by: {', '.join(missing)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
