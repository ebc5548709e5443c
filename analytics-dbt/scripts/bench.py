"""`make bench`: 1,000,000 orders, full dbt build, a day more twice, incremental runs, queries.

Prints the figures (and writes them to target/bench.json): generation time; the full
`dbt build --full-refresh` from the command line; one more day refreshed by the refresher's
incremental tick (scripts/refresh.py: dbt already imported and parsed, as it runs in
production); one more day again with a cold `dbt build` from the command line, for reference;
the ratios to the full build (wall clock, and the models' own time from run_results.json); and
the dashboards' queries on the marts (median of repeated runs, plus the server's own execution
time from EXPLAIN ANALYZE). Targets (issue 5): incremental <= 5% of full; each dashboard query
<= 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.generate import Config, extend, generate  # noqa: E402
from scripts import dbenv  # noqa: E402
from scripts.refresh import Refresher  # noqa: E402
from scripts.run_dbt import environment  # noqa: E402

ROOT = dbenv.ROOT
DBT = str(Path(sys.executable).with_name("dbt"))

# What the dashboards run: the Datadog Agent's custom queries (infra-kubernetes) and the HTML
# dashboard (scripts/dashboard.py). %(today)s is the newest day in the marts.
QUERIES = {
    "datadog_daily_volume_today": """
        SELECT unit_code, orders_opened, orders_completed, orders_delivered, orders_cancelled
        FROM analytics.fct_daily_order_volume WHERE day = %(today)s""",
    "datadog_status_time_today": """
        SELECT unit_code, status, stage, visits, avg_minutes, p90_minutes
        FROM analytics.fct_status_time_daily WHERE day = %(today)s""",
    "volume_90_days_all_units": """
        SELECT day, unit_code, orders_opened, orders_completed, orders_delivered,
               orders_cancelled
        FROM analytics.fct_daily_order_volume
        WHERE day > %(today)s::date - 90 ORDER BY day, unit_code""",
    "volume_365_days_one_unit": """
        SELECT day, orders_opened, orders_completed, orders_delivered, orders_cancelled
        FROM analytics.fct_daily_order_volume
        WHERE unit_id = %(unit_id)s AND day > %(today)s::date - 365 ORDER BY day""",
    "status_time_30_days_by_unit": """
        SELECT unit_code, status, stage, sum(visits) AS visits,
               round(sum(avg_minutes * visits) / sum(visits), 2) AS avg_minutes,
               max(p90_minutes) AS worst_daily_p90
        FROM analytics.fct_status_time_daily
        WHERE day > %(today)s::date - 30 GROUP BY unit_code, status, stage""",
    "open_status_age": """
        SELECT unit_code, status, stage, open_orders, avg_age_minutes, max_age_minutes
        FROM analytics.fct_open_status_age""",
}

# The incremental run's read of the sources: which orders got history rows since the last run.
SOURCE_PROBE = """
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT h.service_order_id, h.to_status, h.changed_at, o.unit_id
FROM public.service_order_status_history h
JOIN public.service_orders o ON o.id = h.service_order_id
WHERE h.service_order_id IN (
    SELECT service_order_id FROM public.service_order_status_history
    WHERE id > %(max_id)s OR changed_at >= %(since)s)
"""


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def dbt(args: list[str], env: dict[str, str]) -> dict[str, float]:
    started = time.perf_counter()
    subprocess.run([DBT, *args], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    return {"wall_s": round(wall, 2), **_node_times()}


def _checkpoint(url: str) -> None:
    with psycopg2.connect(url) as conn:
        conn.autocommit = True
        conn.cursor().execute("CHECKPOINT")


def _node_times() -> dict[str, float]:
    """The models' and the tests' own execution time (summed over threads) of the last run."""
    results = json.loads((ROOT / "target" / "run_results.json").read_text())["results"]
    models = sum(r["execution_time"] for r in results if r["unique_id"].startswith("model."))
    tests = sum(r["execution_time"] for r in results if not r["unique_id"].startswith("model."))
    return {"models_s": round(models, 2), "tests_s": round(tests, 2), "nodes": len(results)}


def time_queries(url: str, repeat: int) -> dict[str, dict[str, float]]:
    out = {}
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT max(day) FROM analytics.fct_daily_order_volume")
        today = cur.fetchone()[0]
        cur.execute("SELECT unit_id FROM analytics.stg_oficina__units ORDER BY unit_code LIMIT 1")
        params = {"today": today, "unit_id": cur.fetchone()[0]}
        for name, sql in QUERIES.items():
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                cur.execute(sql, params)
                rows = cur.fetchall()
                samples.append((time.perf_counter() - started) * 1000)
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cur.fetchone()[0][0]
            out[name] = {
                "rows": len(rows),
                "client_median_ms": round(statistics.median(samples), 2),
                "client_max_ms": round(max(samples), 2),
                "server_exec_ms": round(plan["Execution Time"], 2),
                "top_node": plan["Plan"]["Node Type"],
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--ticks", type=int, default=3, help="days added, one tick each")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--reuse",
        type=int,
        default=None,
        metavar="DAYS_ALREADY_EXTENDED",
        help="reuse a kept bench database (extended DAYS days before; each run adds ticks + 1)",
    )
    args = parser.parse_args()

    admin = dbenv.server_url()
    name = "analytics_dbt_bench"
    figures: dict[str, object] = {"orders": args.orders, "days": args.days}
    if args.reuse is None:
        url = dbenv.create_database(admin, name)
    else:
        url = dbenv.with_database(admin, name)
    env = {**environment(), **dbenv.dbt_env(url)}
    try:
        cfg = Config(args.orders, args.days, extend_days=args.reuse or 0)
        if args.reuse is None:
            figures["app_schema"] = dbenv.app_schema(url)
            started = time.perf_counter()
            figures["generated"] = generate(url, cfg)
            figures["generate_s"] = round(time.perf_counter() - started, 1)
        else:
            ((history,),) = _rows(url, "SELECT count(*) FROM service_order_status_history")
            figures["generated"] = {"orders": args.orders, "history": history}
            figures["generate_s"] = "reused"
        print("generated:", figures["generated"], f"in {figures['generate_s']} s", flush=True)

        _checkpoint(url)
        figures["full_build"] = dbt(["build", "--full-refresh"], env)
        print("full dbt build:", figures["full_build"], flush=True)
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT max(history_id), max(entered_at) - interval '1 hour' "
                "FROM analytics.int_order_status_visits"
            )
            max_id, since = cur.fetchone()

        # The refresher as deployed: import and parse once, then its start-up nightly build.
        os.environ.update(env)
        started = time.perf_counter()
        refresher = Refresher()
        figures["refresher_startup_s"] = round(time.perf_counter() - started, 2)
        start_build = refresher.tick("nightly")
        if not start_build.success:
            raise SystemExit(f"the refresher's start-up build failed: {start_build.failures}")
        figures["refresher_nightly_s"] = start_build.duration_s

        # One more day, refreshed by a tick, `--ticks` times (the median is compared): the
        # machine is shared and one figure of ~3 s swings. A CHECKPOINT before each timed step
        # keeps the previous step's dirty pages from being flushed on its clock.
        ticks = []
        for day in range(args.ticks):
            day_cfg = replace(cfg, extend_days=cfg.extend_days + day)
            figures.setdefault("days_added", []).append(extend(url, day_cfg, 1))
            if day == 0:
                with psycopg2.connect(url) as conn, conn.cursor() as cur:
                    cur.execute(SOURCE_PROBE, {"max_id": max_id, "since": since})
                    figures["source_probe_plan"] = [r[0] for r in cur.fetchall()]
            _checkpoint(url)
            tick = refresher.tick()
            if not tick.success:
                raise SystemExit(f"incremental tick failed: {tick.failures}")
            ticks.append({"wall_s": tick.duration_s, **_node_times(), "nodes": tick.nodes})
            print(f"day {day + 1}: {figures['days_added'][-1]}, refresher tick: {ticks[-1]}")
        figures["refresher_ticks"] = ticks
        figures["refresher_tick"] = sorted(ticks, key=lambda t: t["wall_s"])[len(ticks) // 2]

        last_cfg = replace(cfg, extend_days=cfg.extend_days + args.ticks)
        figures["days_added"].append(extend(url, last_cfg, 1))
        _checkpoint(url)
        figures["cli_incremental_build"] = dbt(["build"], env)
        print("cold CLI incremental dbt build:", figures["cli_incremental_build"], flush=True)

        full = figures["full_build"]
        tick_f, cli = figures["refresher_tick"], figures["cli_incremental_build"]
        figures["ratio_tick_wall"] = round(tick_f["wall_s"] / full["wall_s"], 4)
        figures["ratio_tick_models"] = round(tick_f["models_s"] / full["models_s"], 4)
        figures["ratio_cli_wall"] = round(cli["wall_s"] / full["wall_s"], 4)
        figures["queries"] = time_queries(url, args.repeat)
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT pg_size_pretty(pg_total_relation_size("
                "'analytics.int_order_status_visits')), "
                "(SELECT count(*) FROM analytics.int_order_status_visits), "
                "(SELECT count(*) FROM analytics.fct_status_time_daily), "
                "(SELECT count(*) FROM analytics.fct_daily_order_volume)"
            )
            size, visits, st_rows, vol_rows = cur.fetchone()
        figures["sizes"] = {
            "int_order_status_visits": size,
            "visits": visits,
            "fct_status_time_daily_rows": st_rows,
            "fct_daily_order_volume_rows": vol_rows,
        }
    finally:
        out = ROOT / "target" / "bench.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(figures, indent=2, default=str))
        if not args.keep and args.reuse is None and not os.environ.get("BENCH_KEEP"):
            dbenv.drop_database(admin, name)

    print()
    print(f"orders={args.orders} days={args.days} history_rows={figures['generated']['history']}")
    print(f"generate: {figures['generate_s']} s, each day added: {figures['days_added'][0]}")
    full, tick_f = figures["full_build"], figures["refresher_tick"]
    cli = figures["cli_incremental_build"]
    print(
        f"full dbt build:        {full['wall_s']:>8} s wall, models {full['models_s']} s, "
        f"tests {full['tests_s']} s"
    )
    print(
        f"refresher tick (+1 day, median of {len(figures['refresher_ticks'])}): "
        f"{tick_f['wall_s']:>6} s wall, models {tick_f['models_s']} s, "
        f"tests {tick_f['tests_s']} s (once at start: import + parse "
        f"{figures['refresher_startup_s']} s, nightly build {figures['refresher_nightly_s']} s)"
    )
    print(
        f"cold CLI build (+1 day): {cli['wall_s']:>6} s wall, models {cli['models_s']} s, "
        f"tests {cli['tests_s']} s"
    )
    print(
        f"ratio tick/full: wall {figures['ratio_tick_wall']:.2%} (target <= 5%), "
        f"models {figures['ratio_tick_models']:.2%}; cold CLI/full: {figures['ratio_cli_wall']:.2%}"
    )
    for q, f in figures["queries"].items():
        ok = "ok" if f["client_median_ms"] <= 20 else "OVER 20 ms"
        print(
            f"  {q:<30} {f['rows']:>6} rows  median {f['client_median_ms']:>7} ms  "
            f"server {f['server_exec_ms']:>7} ms  {ok}"
        )
    print("source probe (incremental read of the history):")
    for line in figures["source_probe_plan"]:
        print("   ", line)


if __name__ == "__main__":
    main()
