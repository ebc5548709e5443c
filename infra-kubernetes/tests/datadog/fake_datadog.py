"""A small stateful stand-in for the Datadog v1 API (dashboards, monitors, synthetics) served
over real HTTP by pytest-httpserver, so the real datadog-api-client talks to it unchanged."""

from __future__ import annotations

import copy
import gzip
import itertools
import json
import re
import zlib
from dataclasses import dataclass, field

from werkzeug import Request, Response

API_KEY, APP_KEY = "test-api-key", "test-app-key"


@dataclass
class FakeDatadog:
    dashboards: dict[str, dict] = field(default_factory=dict)
    monitors: dict[str, dict] = field(default_factory=dict)
    tests: dict[str, dict] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def writes(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[0] in {"POST", "PUT", "DELETE", "PATCH"}]

    def _json(self, body, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    def _body(self, request: Request) -> dict:
        raw = request.get_data()
        encoding = request.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            raw = gzip.decompress(raw)
        elif encoding == "deflate":
            raw = zlib.decompress(raw)
        return json.loads(raw)

    def handle(self, request: Request) -> Response:
        self.requests.append((request.method, request.path))
        if (
            request.headers.get("DD-API-KEY") != API_KEY
            or request.headers.get("DD-APPLICATION-KEY") != APP_KEY
        ):
            return self._json({"errors": ["Forbidden"]}, 403)
        n = next(self._ids)
        path, method = request.path, request.method
        if path == "/api/v1/dashboard" and method == "GET":
            summaries = [
                {k: d[k] for k in ("id", "title", "description", "layout_type", "url")}
                for d in self.dashboards.values()
            ]
            return self._json({"dashboards": summaries})
        if path == "/api/v1/dashboard" and method == "POST":
            body = self._body(request)
            dash_id = f"abc-{n:03d}-xyz"
            stored = {
                **copy.deepcopy(body),
                "id": dash_id,
                "url": f"/dashboard/{dash_id}",
                "author_handle": "ci@oficina",
                "created_at": "2026-12-01T08:00:00+00:00",
            }
            for i, widget in enumerate(stored["widgets"]):  # Datadog numbers the widgets
                widget["id"] = 1000 * n + i
            self.dashboards[dash_id] = stored
            return self._json(stored)
        if m := re.fullmatch(r"/api/v1/dashboard/([\w-]+)", path):
            dash = self.dashboards.get(m.group(1))
            if dash is None:
                return self._json({"errors": ["Not found"]}, 404)
            if method == "PUT":
                body = self._body(request)
                keep = {k: dash[k] for k in ("id", "url", "author_handle", "created_at")}
                dash.clear()
                dash.update({**body, **keep})
            return self._json(dash)
        if path == "/api/v1/monitor" and method == "GET":
            wanted = request.args.get("monitor_tags", "")
            found = [m for m in self.monitors.values() if not wanted or wanted in m["tags"]]
            return self._json(found)
        if path == "/api/v1/monitor" and method == "POST":
            body = self._body(request)
            stored = {**body, "id": n, "overall_state": "OK", "multi": "by {" in body["query"]}
            stored["options"] = {**body.get("options", {}), "silenced": {}}
            self.monitors[str(n)] = stored
            return self._json(stored)
        if m := re.fullmatch(r"/api/v1/monitor/(\d+)", path):
            monitor = self.monitors.get(m.group(1))
            if monitor is None:
                return self._json({"errors": ["Not found"]}, 404)
            if method == "PUT":
                body = self._body(request)
                monitor.update(body)
                monitor["options"] = {**body.get("options", {}), "silenced": {}}
            return self._json(monitor)
        if path == "/api/v1/synthetics/tests" and method == "GET":
            return self._json({"tests": list(self.tests.values())})
        if path == "/api/v1/synthetics/tests/api" and method == "POST":
            body = self._body(request)
            public_id = f"syn-{n:03d}-abc"
            stored = {**body, "public_id": public_id, "monitor_id": 9000 + n}
            self.tests[public_id] = stored
            return self._json(stored)
        if m := re.fullmatch(r"/api/v1/synthetics/tests(?:/api)?/([\w-]+)", path):
            test = self.tests.get(m.group(1))
            if test is None:
                return self._json({"errors": ["Not found"]}, 404)
            if method == "PUT":
                test.update(self._body(request))
            return self._json(test)
        return self._json({"errors": [f"fake: no route {method} {path}"]}, 404)
