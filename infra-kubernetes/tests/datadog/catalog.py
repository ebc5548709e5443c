"""Parse docs/observability.md (the metric catalog) and the metrics a Datadog query reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
# In the monorepo the contract is ../docs/observability.md; the split repository keeps the
# snapshot in contract/ (test_catalog_snapshot_is_current keeps the two identical).
MONOREPO_DOC = HERE.parents[2] / "docs" / "observability.md"
SNAPSHOT = HERE / "contract" / "observability.md"

METRIC = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
# An aggregated metric inside a query: `avg:name{`, `p95:name{`, `sum:name {`.
QUERY_METRIC = re.compile(
    r"(?<![\w.])(?:avg|sum|min|max|count|p\d{1,2}(?:\.\d+)?):([A-Za-z][\w.]*)\s*\{"
)
TAG_FILTER = re.compile(r"\{([^}]*)\}")
METRIC_SCOPE = re.compile(r":[A-Za-z][\w.]*\s*\{([^}]*)\}")
GROUP_BY = re.compile(r"\bby\s*\{([^}]*)\}")


@dataclass
class Catalog:
    # metric -> allowed tag keys (None: integration metric, tags not listed in the table)
    metrics: dict[str, set[str] | None] = field(default_factory=dict)

    def __contains__(self, metric: str) -> bool:
        return metric in self.metrics


def catalog_text() -> str:
    path = MONOREPO_DOC if MONOREPO_DOC.exists() else SNAPSHOT
    return path.read_text(encoding="utf-8")


def _section(text: str, title_start: str) -> str:
    match = re.search(rf"^## {re.escape(title_start)}.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not match:
        raise AssertionError(f"docs/observability.md has no '## {title_start}' section")
    return match.group(1)


def _expand(token: str) -> list[str]:
    """`a.{x,y}` -> [`a.x`, `a.y`]."""
    match = re.search(r"\{([^}]*)\}", token)
    if not match:
        return [token]
    head, tail = token[: match.start()], token[match.end() :]
    return [n for part in match.group(1).split(",") for n in _expand(head + part.strip() + tail)]


def parse(text: str) -> Catalog:
    catalog = Catalog()
    table = _section(text, "Metric catalog")
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        name = cells[0].strip("`")
        assert METRIC.match(name), f"catalog row with a bad metric name: {line}"
        catalog.metrics[name] = {
            t.strip("`") for t in re.findall(r"`([a-z_]+)`", re.sub(r"\([^)]*\)", "", cells[2]))
        }
    integrations = _section(text, "Metrics from Datadog integrations")
    for token in re.findall(r"`([^`]+)`", integrations):
        for name in _expand(token):
            if METRIC.match(name):
                catalog.metrics.setdefault(name, None)
    return catalog


def load() -> Catalog:
    return parse(catalog_text())


def metrics_in(query: str) -> list[str]:
    return QUERY_METRIC.findall(query)


def tag_keys_in(query: str) -> set[str]:
    keys: set[str] = set()
    for group in TAG_FILTER.findall(query) + GROUP_BY.findall(query):
        for item in group.split(","):
            item = item.strip().lstrip("!")
            if not item or item == "*" or item.startswith("$"):
                continue
            keys.add(item.split(":", 1)[0])
    return keys
