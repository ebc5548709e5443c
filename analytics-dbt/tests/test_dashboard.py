"""The offline dashboard, rendered by headless Chromium, drew the marts' real numbers."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import query

from scripts import dashboard

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() == 0:
        subprocess.run(
            ["apt-get", "install", "-y", "chromium"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        found = shutil.which("chromium")
    if not found:
        pytest.fail("Debian's chromium is required for this test: apt-get install -y chromium")
    return found


class Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict[str, str]] = []
        self.rendered = False
        self.outside = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body" and a.get("data-rendered") == "true":
            self.rendered = True
        if "data-chart" in a or "data-total" in a:
            self.marks.append({"tag": tag, **a})
        for key in ("src", "href"):
            if a.get(key, "").startswith(("http:", "https:", "//")):
                self.outside = True


def test_dashboard_draws_the_marts(demo_db: str, built: dict, tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(dashboard.render(dashboard.collect(demo_db)), encoding="utf-8")
    dom = subprocess.run(
        [chromium(), *FLAGS, "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    parser = Marks()
    parser.feed(dom)
    assert parser.rendered, "the dashboard's script did not run"
    assert not parser.outside, "the dashboard must not load anything from the network"

    ((last_day,),) = query(demo_db, "SELECT max(day) FROM analytics.fct_daily_order_volume")
    volume = {
        (u, d.isoformat()): n
        for u, d, n in query(
            demo_db,
            """
        SELECT unit_code, day, orders_opened FROM analytics.fct_daily_order_volume
        WHERE day > %s::date - 60""",
            (last_day,),
        )
    }
    units = {u for u, _ in volume}
    circles = {
        (m["data-unit"], m["data-day"]): int(m["data-value"])
        for m in parser.marks
        if m.get("data-chart") == "volume"
    }
    assert len(circles) == len(units) * 60
    assert {k: v for k, v in circles.items() if v} == {k: v for k, v in volume.items() if v}
    assert all(v == 0 for k, v in circles.items() if k not in volume)

    status = {
        (u, s): (float(a), int(v))
        for u, s, a, v in query(
            demo_db,
            """
        SELECT unit_code, stage, round(sum(avg_minutes * visits) / sum(visits), 2), sum(visits)
        FROM analytics.fct_status_time_daily WHERE day > %s::date - 30
        GROUP BY unit_code, stage""",
            (last_day,),
        )
    }
    bars = {
        (m["data-unit"], m["data-stage"]): (float(m["data-avg-minutes"]), int(m["data-visits"]))
        for m in parser.marks
        if m.get("data-chart") == "status"
    }
    assert bars == status and len(bars) == len(units) * 5
    assert all(
        m["tag"] == "rect" and float(m["height"]) > 0
        for m in parser.marks
        if m.get("data-chart") == "status"
    )

    open_now = {
        (u, s): n
        for u, s, n in query(
            demo_db, "SELECT unit_code, stage, open_orders FROM analytics.fct_open_status_age"
        )
    }
    cells = {
        (m["data-unit"], m["data-stage"]): int(m["data-value"])
        for m in parser.marks
        if m.get("data-chart") == "open"
    }
    assert cells == open_now

    ((opened,),) = query(
        demo_db,
        """SELECT sum(orders_opened) FROM analytics.fct_daily_order_volume
                                   WHERE day > %s::date - 60""",
        (last_day,),
    )
    totals = {m["data-total"]: int(m["data-value"]) for m in parser.marks if "data-total" in m}
    assert totals["0"] == opened
