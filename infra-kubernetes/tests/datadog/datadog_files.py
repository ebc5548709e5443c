"""The Datadog objects kept as code, raw and rendered for each environment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import apply

DATADOG = Path(apply.__file__).resolve().parent
ENVIRONMENTS = ("homolog", "production")
API_URL = "https://abc123.execute-api.us-east-1.amazonaws.com"


def files(kind: str | None = None) -> list[Path]:
    kinds = [kind] if kind else list(apply.KINDS)
    return [p for k in kinds for p in sorted((DATADOG / k).glob("*.json"))]


def raw(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def rendered(env: str) -> list[apply.Desired]:
    return apply.load_desired(env, API_URL)


def queries(kind: str, data: dict) -> Iterator[tuple[str, str]]:
    """(where, query) for every metric query of a dashboard or monitor."""
    if kind == "monitors":
        yield data["name"], data["query"]
        return
    if kind != "dashboards":
        return

    def widgets(items: list) -> Iterator[dict]:
        for w in items:
            yield w["definition"]
            yield from widgets(w["definition"].get("widgets", []))

    for definition in widgets(data["widgets"]):
        for request in definition.get("requests", []):
            if "q" in request:
                yield definition.get("title", "?"), request["q"]
            for q in request.get("queries", []):
                yield definition.get("title", "?"), q["query"]
