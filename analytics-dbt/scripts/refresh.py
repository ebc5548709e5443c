"""`make refresh`: keep the marts fresh from one long-lived process (ADR 0031).

dbt's own start-up — importing dbt (~2.4 s here) and parsing the project (~0.7 s) — is longer
than the work of an incremental run on a million orders (~2 s). So this process pays it once:
it parses the project, then every ``--every`` minutes invokes, with the parsed manifest,

- the **incremental tick**: ``build --select intermediate+ --exclude-resource-type unit_test``
  (the changed orders' visits, the marts, and the data tests of what this run wrote);
- once a night (``--nightly-at``, São Paulo), the **nightly build**: ``build
  --exclude-resource-type unit_test``, which also re-creates the staging views and runs the
  data tests over the whole sources (unique keys of the million-row tables).

Unit tests (``given``/``expect``) test the SQL, not the data: they run in CI (``make test``).
Each tick prints one JSON line (kind, success, duration, nodes, failures). ``--once`` runs one
tick and exits — non-zero when it failed — for a CronJob or a manual run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.dbenv import ROOT  # noqa: E402
from scripts.run_dbt import environment  # noqa: E402

INCREMENTAL = ["build", "--select", "intermediate+", "--exclude-resource-type", "unit_test"]
NIGHTLY = ["build", "--exclude-resource-type", "unit_test"]
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


@dataclass(frozen=True)
class Tick:
    kind: str
    success: bool
    duration_s: float
    nodes: int
    failures: list[str]

    def line(self) -> str:
        return json.dumps({"event": "dbt_refresh", **self.__dict__}, sort_keys=True)


class Refresher:
    """dbt imported and the project parsed once; each tick reuses the manifest."""

    def __init__(self, dbt_args: list[str] | None = None) -> None:
        """``dbt_args`` go to every invocation (e.g. ``--target-path``)."""
        os.environ.update(environment())  # dbt reads profiles.yml's env_var() from here
        os.chdir(ROOT)
        from dbt.cli.main import dbtRunner  # the expensive import, paid once

        self._extra = dbt_args or []
        parsed = dbtRunner().invoke(["parse", "--quiet", *self._extra])
        if not parsed.success:
            raise SystemExit(f"dbt parse failed: {parsed.exception}")
        self._runner = dbtRunner(manifest=parsed.result)

    def tick(self, kind: str = "incremental") -> Tick:
        args = INCREMENTAL if kind == "incremental" else NIGHTLY
        started = time.perf_counter()
        outcome = self._runner.invoke([*args, "--quiet", *self._extra])
        duration = time.perf_counter() - started
        results: list[Any] = list(getattr(outcome.result, "results", None) or [])
        failures = [
            r.node.unique_id for r in results if str(r.status) in ("error", "fail", "skipped")
        ]
        if outcome.exception is not None:
            failures.append(f"dbt: {outcome.exception}")
        return Tick(kind, outcome.success, round(duration, 3), len(results), failures)


def next_nightly(now: datetime, at: str) -> datetime:
    """The next São Paulo ``HH:MM`` after ``now`` (an aware datetime)."""
    hour, minute = (int(part) for part in at.split(":"))
    local = now.astimezone(SAO_PAULO)
    candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate


def main() -> None:
    parser = argparse.ArgumentParser(prog="make refresh", description=__doc__.split("\n")[0])
    parser.add_argument("--every", type=float, default=60, help="minutes between ticks")
    parser.add_argument("--nightly-at", default="03:00", help="São Paulo HH:MM of the nightly")
    parser.add_argument("--once", choices=["incremental", "nightly"], help="one tick, then exit")
    args = parser.parse_args()

    refresher = Refresher()
    if args.once:
        tick = refresher.tick(args.once)
        print(tick.line(), flush=True)
        raise SystemExit(0 if tick.success else 1)

    # Start with a nightly build: a new deployment (or a restart) begins from re-created views
    # and fully tested data, and the incremental ticks need the staging views to exist.
    print(refresher.tick("nightly").line(), flush=True)
    nightly = next_nightly(datetime.now(SAO_PAULO), args.nightly_at)
    while True:
        time.sleep(args.every * 60)
        now = datetime.now(SAO_PAULO)
        kind = "nightly" if now >= nightly else "incremental"
        if kind == "nightly":
            nightly = next_nightly(now, args.nightly_at)
        print(refresher.tick(kind).line(), flush=True)


if __name__ == "__main__":
    main()
