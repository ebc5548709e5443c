"""House rules for the Datadog files: Portuguese titles with widget descriptions naming what
they query, runbook messages, tags env/service, thresholds that agree with their queries."""

from __future__ import annotations

import re

import catalog
import pytest
from datadog_files import files, queries, raw

MONITORS = files("monitors")
DASHBOARDS = files("dashboards")


def _widgets(items):
    for w in items:
        yield w["definition"]
        yield from _widgets(w["definition"].get("widgets", []))


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.stem)
def test_dashboard_titles_are_portuguese_and_widgets_say_what_they_query(path):
    data = raw(path)
    assert data["title"].startswith("Oficina · ")
    assert "managed_by:oficina" in data["description"]
    assert data["tags"] == ["team:oficina"]
    assert data["template_variables"][0]["name"] == "env"
    for definition in _widgets(data["widgets"]):
        if definition["type"] in {"note", "group"}:
            continue
        title, description = definition["title"], definition.get("description", "")
        assert description, title
        for request in definition.get("requests", []):
            for q in request.get("queries", []):
                for metric in catalog.metrics_in(q["query"]):
                    assert metric in description, (title, metric)


def test_the_dashboards_cover_the_issue():
    text = " ".join(q for p in DASHBOARDS for _, q in queries("dashboards", raw(p)))
    for needle in [
        "p50:trace.flask.request",
        "p95:trace.flask.request",
        "p99:trace.flask.request",
        "trace.flask.request.errors",
        "kubernetes.cpu.usage.total",
        "kubernetes.memory.usage",
        "kubernetes_state.hpa.current_replicas",
        "oficina.mart.daily_volume.opened",
        "oficina.mart.status_time.avg_minutes",
        "oficina.integration.errors",
        "oficina.auth.attempts",
    ]:
        assert needle in text, needle
    service_orders = raw(next(p for p in DASHBOARDS if p.stem == "service-orders"))
    notes = " ".join(
        d["content"] for d in _widgets(service_orders["widgets"]) if d["type"] == "note"
    )
    for stage in ("Diagnóstico", "Execução", "Finalização"):
        assert stage in notes


@pytest.mark.parametrize("path", MONITORS, ids=lambda p: p.stem)
def test_monitor_conventions(path):
    m = raw(path)
    assert m["name"].startswith("[${env}] ")
    assert "**Olhe primeiro:**" in m["message"] and "\n1. " in m["message"]
    assert m["message"].rstrip().endswith("${notify}")
    tags = set(m["tags"])
    assert {"env:${env}", "team:oficina", "managed_by:oficina"} <= tags
    assert any(t.startswith("service:") for t in tags)
    assert path.stem in (catalog.HERE.parents[1] / "datadog" / "README.md").read_text()


@pytest.mark.parametrize("path", MONITORS, ids=lambda p: p.stem)
def test_monitor_thresholds_agree_with_the_query(path):
    """Datadog refuses a monitor whose critical threshold differs from the query's."""
    m = raw(path)
    match = re.search(r"(>=|<=|>|<)\s*(-?[\d.]+)\s*$", m["query"])
    assert match, m["query"]
    operator, value = match.groups()
    thresholds = m["options"]["thresholds"]
    assert float(value) == float(thresholds["critical"])
    if "warning" in thresholds:
        above = operator.startswith(">")
        assert (thresholds["warning"] < thresholds["critical"]) == above


def test_the_monitors_cover_the_issue():
    queried = " ".join(raw(p)["query"] for p in MONITORS)
    for metric in [
        "oficina.orders.failures",
        "trace.flask.request",
        "trace.flask.request.errors",
        "kubernetes.containers.restarts",
        "kubernetes_state.hpa.max_replicas",
        "postgresql.percent_usage_connections",
        "oficina.auth.attempts",
        "oficina.outbox.backlog",
        "oficina.outbox.oldest_age_seconds",
        "oficina.notifications.failures",
    ]:
        assert metric in queried, metric


def test_uptime_test_is_the_public_ready_route():
    t = raw(files("synthetics")[0])
    assert t["config"]["request"] == {**t["config"]["request"], "method": "GET"}
    assert t["config"]["request"]["url"] == "${api_url}/health/ready"
    assert {"type": "statusCode", "operator": "is", "target": 200} in t["config"]["assertions"]
    assert "**Olhe primeiro:**" in t["message"]
    assert "managed_by:oficina" in t["tags"] and "env:${env}" in t["tags"]
    assert t["options"]["min_location_failed"] <= len(t["locations"])
