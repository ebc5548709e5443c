"""The refresher (scripts/refresh.py): one process, dbt parsed once, ticks that keep the marts
equal to an independent recomputation as days of history arrive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime

import pytest
from conftest import ROOT, query
from crosscheck import actual_marts, differences, expected_marts

from generator.generate import Config, extend, generate
from scripts import dbenv
from scripts.refresh import SAO_PAULO, Refresher, next_nightly

CFG = Config(1500, 30, seed=13)
LATEST = "SELECT max(loaded_at) FROM analytics.int_order_status_visits"


@pytest.fixture(scope="module")
def refresh_db(scratch) -> str:
    url = scratch.new("refresh")
    dbenv.app_schema(url)
    generate(url, CFG)
    return url


def _use(monkeypatch, url: str) -> None:
    for key, value in {**dbenv.dbt_env(url), "DBT_SCHEMA": "analytics"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(ROOT)  # the refresher works from the project folder; put it back after


def test_ticks_of_one_process_keep_the_marts_right(refresh_db: str, monkeypatch) -> None:
    _use(monkeypatch, refresh_db)
    refresher = Refresher(["--target-path", "target/refresh"])

    nightly = refresher.tick("nightly")
    assert nightly.success, nightly.failures
    loaded = [query(refresh_db, LATEST)[0][0]]
    for day in range(2):
        counts = extend(refresh_db, replace(CFG, extend_days=day), 1)
        assert counts["new_orders"] > 0 and counts["updated_orders"] > 0
        tick = refresher.tick()
        assert tick.success, tick.failures
        # the visits, three marts and their data tests: no staging view, no unit test
        assert 20 < tick.nodes < nightly.nodes
        loaded.append(query(refresh_db, LATEST)[0][0])
        actual = actual_marts(refresh_db)
        assert not differences(expected_marts(refresh_db, actual["as_of"]), actual)
    # every invocation of the same process is a new run (the marts' watermark moves)
    assert loaded[0] < loaded[1] < loaded[2]
    run = json.loads((ROOT / "target" / "refresh" / "run_results.json").read_text())
    ran = {r["unique_id"].split(".")[0] for r in run["results"]}
    assert {"model", "test"} <= ran and "unit_test" not in ran
    assert not any(".stg_oficina__" in r["unique_id"] for r in run["results"])


def test_a_failed_tick_says_so_and_exits_non_zero(scratch) -> None:
    url = scratch.new("refresh_empty")  # no application schema: every source is missing
    env = {**dbenv.dbt_env(url), "DBT_SCHEMA": "analytics"}
    proc = subprocess.run(
        [sys.executable, "scripts/refresh.py", "--once", "nightly"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    line = json.loads(proc.stdout.strip().splitlines()[-1])
    assert line["event"] == "dbt_refresh" and line["kind"] == "nightly"
    assert line["success"] is False and line["failures"]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-12-01T02:59:00-03:00", "2026-12-01T03:00:00-03:00"),
        ("2026-12-01T03:00:00-03:00", "2026-12-02T03:00:00-03:00"),
        ("2026-12-01T10:00:00+00:00", "2026-12-02T03:00:00-03:00"),
    ],
)
def test_the_nightly_build_is_at_three_in_sao_paulo(now: str, expected: str) -> None:
    got = next_nightly(datetime.fromisoformat(now), "03:00")
    assert got == datetime.fromisoformat(expected)
    assert got.tzinfo == SAO_PAULO
