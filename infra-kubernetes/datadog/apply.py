#!/usr/bin/env python3
"""Create or update the Oficina dashboards, monitors and synthetics tests in Datadog.

Idempotent: every object is found by its stable identity — its title/name plus the
``managed_by:oficina`` marker (a tag on monitors and synthetics tests; on dashboards, whose
tags may only be ``team:*``, the marker is in the description) — and is

- created when it does not exist,
- updated in place when what the repository defines differs from what Datadog has,
- left alone (no write) when it is unchanged.

Every file is first loaded with datadog-api-client's models in strict mode (ddstrict.py).

    DD_API_KEY=... DD_APP_KEY=... DD_SITE=datadoghq.com \\
      python datadog/apply.py --env production --api-url "$(terraform output -raw api_endpoint)"
    python datadog/apply.py --env homolog --api-url https://... --dry-run   # reads, never writes

Monitors and the synthetics test are rendered per environment from ``${env}``, ``${notify}``
and ``${api_url}`` (values in environments/<env>.json and --api-url / OFICINA_API_URL).
Dashboards are shared by both environments (an ``env`` template variable).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ddstrict
from datadog_api_client import ApiClient, Configuration
from datadog_api_client.model_utils import model_to_dict
from datadog_api_client.v1.api.dashboards_api import DashboardsApi
from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.api.synthetics_api import SyntheticsApi
from datadog_api_client.v1.model.dashboard import Dashboard
from datadog_api_client.v1.model.monitor import Monitor
from datadog_api_client.v1.model.monitor_update_request import MonitorUpdateRequest
from datadog_api_client.v1.model.synthetics_api_test import SyntheticsAPITest

HERE = Path(__file__).resolve().parent
MARKER = "managed_by:oficina"
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")
KINDS = ("dashboards", "monitors", "synthetics")


class ApplyError(RuntimeError):
    pass


# --- Loading and rendering ------------------------------------------------------------------


def render(value: Any, values: dict[str, str]) -> Any:
    """Replace ``${name}`` in every string; an unknown name is an error (never left behind)."""
    if isinstance(value, str):

        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values:
                raise ApplyError(f"no value for ${{{name}}}")
            return values[name]

        return PLACEHOLDER.sub(sub, value)
    if isinstance(value, list):
        return [render(v, values) for v in value]
    if isinstance(value, dict):
        return {k: render(v, values) for k, v in value.items()}
    return value


def environment_values(env: str, api_url: str | None, root: Path = HERE) -> dict[str, str]:
    path = root / "environments" / f"{env}.json"
    if not path.exists():
        raise ApplyError(f"unknown environment {env!r} (no {path})")
    config = json.loads(path.read_text(encoding="utf-8"))
    values = {"env": config["env"], "notify": config["notify"]}
    if api_url:
        if not re.match(r"^https://[^\s/$]+(/[^\s$]*)?$", api_url):
            raise ApplyError(f"--api-url must be an https URL, got {api_url!r}")
        values["api_url"] = api_url.rstrip("/")
    return values


@dataclass
class Desired:
    kind: str
    source: Path
    data: dict[str, Any]

    @property
    def identity(self) -> str:
        return self.data["title"] if self.kind == "dashboards" else self.data["name"]


def load_desired(
    env: str, api_url: str | None, kinds: Iterable[str] = KINDS, root: Path = HERE
) -> list[Desired]:
    values = environment_values(env, api_url, root)
    desired = []
    for kind in kinds:
        for path in sorted((root / kind).glob("*.json")):
            if kind == "synthetics" and "api_url" not in values:
                raise ApplyError("the synthetics test needs --api-url (or OFICINA_API_URL)")
            data = render(json.loads(path.read_text(encoding="utf-8")), values)
            ddstrict.load(data, ddstrict.KINDS[kind], str(path))  # raises StrictError
            check_identity(kind, data, path)
            desired.append(Desired(kind, path, data))
    names = [(d.kind, d.identity) for d in desired]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ApplyError(f"two files define the same object: {sorted(duplicates)}")
    return desired


def check_identity(kind: str, data: dict, path: Path) -> None:
    if kind == "dashboards":
        if MARKER not in data.get("description", ""):
            raise ApplyError(f"{path}: the description must carry {MARKER}")
    elif MARKER not in data.get("tags", []):
        raise ApplyError(f"{path}: the tags must include {MARKER}")


# --- Comparing --------------------------------------------------------------------------------


def is_subset(desired: Any, current: Any) -> bool:
    """True when everything the repository sets is already so in Datadog.

    Datadog adds fields of its own (ids, dates, defaults, widget ids): only the keys we define
    are compared; lists must have the same length and match element by element.
    """
    if isinstance(desired, dict):
        return isinstance(current, dict) and all(
            k in current and is_subset(v, current[k]) for k, v in desired.items()
        )
    if isinstance(desired, list):
        return (
            isinstance(current, list)
            and len(desired) == len(current)
            and all(is_subset(d, c) for d, c in zip(desired, current, strict=True))
        )
    if isinstance(desired, bool) or isinstance(current, bool):
        return desired is current
    if isinstance(desired, int | float) and isinstance(current, int | float):
        return float(desired) == float(current)
    return desired == current


def typed(cls: type, data: dict) -> Any:
    """The request body as the client's typed model, loaded strictly."""
    return ddstrict.load(data, cls, cls.__name__)


def as_json(model: Any) -> dict[str, Any]:
    return json.loads(json.dumps(model_to_dict(model, serialize=True), default=str))


# --- Talking to Datadog -----------------------------------------------------------------------


def configuration(host: str | None = None) -> Configuration:
    api_key, app_key = os.environ.get("DD_API_KEY"), os.environ.get("DD_APP_KEY")
    if not api_key or not app_key:
        raise ApplyError("DD_API_KEY and DD_APP_KEY must be set")
    config = Configuration(host=host) if host else Configuration()
    if not host:
        config.server_variables["site"] = os.environ.get("DD_SITE", "datadoghq.com")
    config.api_key["apiKeyAuth"] = api_key
    config.api_key["appKeyAuth"] = app_key
    return config


@dataclass
class Action:
    kind: str
    identity: str
    verb: str  # create | update | unchanged
    remote_id: str | None = None


@dataclass
class Kind:
    find: Callable[[], dict[str, str]]  # identity -> remote id (managed objects only)
    get: Callable[[str], Any]
    create: Callable[[dict], Any]
    update: Callable[[str, dict], Any]
    id_of: Callable[[Any], str]


@dataclass
class Applier:
    client: ApiClient
    dry_run: bool = False
    log: Callable[[str], None] = print
    actions: list[Action] = field(default_factory=list)

    def __post_init__(self) -> None:
        dashboards, monitors = DashboardsApi(self.client), MonitorsApi(self.client)
        synthetics = SyntheticsApi(self.client)
        self.kinds = {
            "dashboards": Kind(
                find=lambda: self._unique(
                    (d.title, d.id)
                    for d in dashboards.list_dashboards(filter_shared=False).dashboards or []
                    if MARKER in (d.get("description") or "")
                ),
                get=lambda i: dashboards.get_dashboard(i),
                create=lambda b: dashboards.create_dashboard(typed(Dashboard, b)),
                update=lambda i, b: dashboards.update_dashboard(i, typed(Dashboard, b)),
                id_of=lambda r: r.id,
            ),
            "monitors": Kind(
                find=lambda: self._unique(
                    (m.name, str(m.id))
                    for m in monitors.list_monitors(monitor_tags=MARKER)
                    if MARKER in (m.get("tags") or [])
                ),
                get=lambda i: monitors.get_monitor(int(i)),
                create=lambda b: monitors.create_monitor(typed(Monitor, b)),
                update=lambda i, b: monitors.update_monitor(int(i), typed(MonitorUpdateRequest, b)),
                id_of=lambda r: str(r.id),
            ),
            "synthetics": Kind(
                find=lambda: self._unique(
                    (t.name, t.public_id)
                    for t in synthetics.list_tests().tests or []
                    if MARKER in (t.get("tags") or [])
                ),
                get=lambda i: synthetics.get_api_test(i),
                create=lambda b: synthetics.create_synthetics_api_test(typed(SyntheticsAPITest, b)),
                update=lambda i, b: synthetics.update_api_test(i, typed(SyntheticsAPITest, b)),
                id_of=lambda r: r.public_id,
            ),
        }

    @staticmethod
    def _unique(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        found: dict[str, str] = {}
        for identity, remote_id in pairs:
            if identity in found:
                raise ApplyError(
                    f"two managed objects are called {identity!r} ({found[identity]}, "
                    f"{remote_id}): delete one by hand, then apply again"
                )
            found[identity] = remote_id
        return found

    def apply(self, desired: list[Desired]) -> list[Action]:
        existing = {kind: self.kinds[kind].find() for kind in {d.kind for d in desired}}
        for item in desired:
            kind = self.kinds[item.kind]
            remote_id = existing[item.kind].get(item.identity)
            if remote_id is None:
                action = Action(item.kind, item.identity, "create")
                if not self.dry_run:
                    action.remote_id = kind.id_of(kind.create(item.data))
            elif is_subset(item.data, as_json(kind.get(remote_id))):
                action = Action(item.kind, item.identity, "unchanged", remote_id)
            else:
                action = Action(item.kind, item.identity, "update", remote_id)
                if not self.dry_run:
                    kind.update(remote_id, item.data)
            prefix = "[dry-run] would " if self.dry_run and action.verb != "unchanged" else ""
            self.log(f"{prefix}{action.verb:9} {item.kind:10} {item.identity}")
            self.actions.append(action)
        return self.actions


def main(argv: list[str] | None = None, host: str | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", required=True, choices=["homolog", "production"])
    parser.add_argument("--api-url", default=os.environ.get("OFICINA_API_URL"))
    parser.add_argument("--only", default=",".join(KINDS), help="comma-separated kinds")
    parser.add_argument("--dry-run", action="store_true", help="read Datadog, never write")
    args = parser.parse_args(argv)
    kinds = [k for k in args.only.split(",") if k]
    try:
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ApplyError(f"unknown kinds {sorted(unknown)}")
        desired = load_desired(args.env, args.api_url, kinds)
        with ApiClient(configuration(host)) as client:
            actions = Applier(client, dry_run=args.dry_run).apply(desired)
    except (ApplyError, ddstrict.StrictError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts = {v: sum(a.verb == v for a in actions) for v in ("create", "update", "unchanged")}
    print(", ".join(f"{n} {v}" for v, n in counts.items()) + (" (dry run)" if args.dry_run else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
