"""The app under `ddtrace-run gunicorn` sends real traces to Datadog's APM test agent.

Asserts a flask.request span for the route, child PostgreSQL spans, unified service tagging,
propagation of the gateway's trace context, and the same trace id in the request's log line.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture
def test_agent(tmp_path):
    port = _free_port()
    with open(tmp_path / "agent.log", "w") as out:
        agent = subprocess.Popen(
            # Its OTLP listeners get free ports too: the defaults may be taken by another agent.
            [
                BIN / "ddapm-test-agent",
                "--port",
                str(port),
                "--otlp-http-port",
                str(_free_port()),
                "--otlp-grpc-port",
                str(_free_port()),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _wait(f"http://127.0.0.1:{port}/test/traces")
        yield f"http://127.0.0.1:{port}"
        agent.terminate()
        agent.wait(timeout=10)


@pytest.fixture
def traced_app(test_agent, database_url, signer, tmp_path):
    port = _free_port()
    log = tmp_path / "app.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "JWT_JWKS_FILE": str(signer.jwks_path),
        "JWT_ISSUER": "https://auth.test.oficina",
        "JWT_AUDIENCE": "oficina-api",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "DD_TRACE_AGENT_URL": test_agent,
        "DD_SERVICE": "oficina-api",
        "DD_ENV": "test",
        "DD_VERSION": "1.2.3",
        "DD_TRACE_SAMPLE_RATE": "1",
        "DD_DOGSTATSD_PORT": "1",
        "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false",
        "DD_REMOTE_CONFIGURATION_ENABLED": "false",
        "DD_TRACE_FLASK_ENABLED": "false",  # as the container: the app's own request span
    }
    command = [
        BIN / "ddtrace-run",
        BIN / "gunicorn",
        "--config",
        "python:oficina.gunicorn_conf",
        "oficina.app:create_app()",
    ]
    with open(log, "w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _wait(f"http://127.0.0.1:{port}/health/live")
        yield f"http://127.0.0.1:{port}", log
        server.terminate()
        server.wait(timeout=30)


def _trace_of(agent: str, resource: str, seconds: float = 20) -> list:
    """The first trace whose flask.request span has ``resource`` (traces flush every ~1 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{agent}/test/traces", timeout=5) as r:
            for trace in json.load(r):
                if any(s["name"] == "flask.request" and s["resource"] == resource for s in trace):
                    return trace
        time.sleep(0.5)
    raise AssertionError(f"no flask.request trace for {resource} reached the test agent")


def test_request_trace_spans_tags_propagation_and_log_correlation(
    world, open_order, traced_app, test_agent
):
    order = open_order()
    base, log = traced_app
    gateway_trace_id = 1234567890123456789
    request = urllib.request.Request(
        f"{base}/service-orders/{order['id']}",
        headers={
            "Authorization": f"Bearer {world.as_('manager').token}",
            "X-Request-ID": "trace-test-1",
            "x-datadog-trace-id": str(gateway_trace_id),
            "x-datadog-parent-id": "987654321",
            "x-datadog-sampling-priority": "1",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200

    trace = _trace_of(test_agent, "GET /service-orders/<uuid:order_id>")
    root = next(s for s in trace if s["name"] == "flask.request")
    assert root["service"] == "oficina-api"
    assert root["meta"]["env"] == "test"
    assert root["meta"]["version"] == "1.2.3"
    assert root["meta"]["http.status_code"] == "200"
    assert root["trace_id"] == gateway_trace_id  # continued the gateway's trace
    sql = [s for s in trace if s.get("type") == "sql"]
    assert sql, [s["name"] for s in trace]
    assert all(s["trace_id"] == root["trace_id"] for s in sql)
    assert any("service_orders" in s["resource"] for s in sql)

    lines = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
    request_line = next(x for x in lines if x.get("request_id") == "trace-test-1")
    assert (
        int(request_line["dd.trace_id"], 16) & 0xFFFFFFFFFFFFFFFF == gateway_trace_id
        or int(request_line["dd.trace_id"]) == gateway_trace_id
    )
    assert request_line["service"] == "oficina-api"
    assert request_line["env"] == "test"


def test_one_span_per_request_and_unmatched_paths_named_by_status(traced_app, test_agent):
    """The app's own request span (ADR 0032): no span per Flask step or hook, and a path that
    matches no route is named by its status, never by the raw path (unbounded resources)."""
    base, _ = traced_app
    with urllib.request.urlopen(f"{base}/health/live", timeout=10) as response:
        assert response.status == 200
    with pytest.raises(urllib.error.HTTPError) as missing_page:
        urllib.request.urlopen(f"{base}/no-such-thing/12345", timeout=10)
    assert missing_page.value.code == 404

    live = _trace_of(test_agent, "GET /health/live")
    assert [s["name"] for s in live] == ["flask.request"]
    assert live[0]["meta"]["http.route"] == "/health/live"
    assert live[0]["meta"]["component"] == "flask"
    missing = _trace_of(test_agent, "GET 404")
    assert "12345" not in missing[0]["resource"]
    assert missing[0]["meta"]["http.status_code"] == "404"
    assert missing[0]["error"] == 0


def test_without_ddtrace_run_the_app_is_not_wrapped(app):
    from oficina.observability.tracing import RequestSpans

    assert not isinstance(app.wsgi_app, RequestSpans)
