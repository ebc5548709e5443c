"""Both functions under the real Datadog Lambda wrapper (``datadog_lambda.handler.handler`` with
``DD_LAMBDA_HANDLER``, what the Datadog layer runs in AWS) send real traces to Datadog's APM
test agent (``ddapm-test-agent``).

Asserted: the ``aws.lambda`` span of the invocation with service/env/version, child PostgreSQL
spans (psycopg2 patched), the trace continued from the caller's ``x-datadog-*`` and W3C
``traceparent`` headers, the attempt's log line carrying the same trace and span ids, and the
DogStatsD metric still sent while traced.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import CUSTOMER_CPF, ISSUER, ROOT, load_sqs_event

BIN = Path(sys.executable).parent

# The Datadog environment Terraform gives both functions (terraform/modules/oficina-serverless:
# local.dd_common + DD_SERVICE + DD_LAMBDA_HANDLER); test_terraform_policy.py checks the HCL
# still says so. Only the agent URL, env and version differ here.
CLOUD_DD_ENV = {
    "DD_TRACE_ENABLED": "true",
    "DD_LOGS_INJECTION": "true",
    "DD_SERVERLESS_LOGS_ENABLED": "true",
    "DD_CAPTURE_LAMBDA_PAYLOAD": "false",
    "DD_MERGE_XRAY_TRACES": "false",
    "DD_TRACE_MANAGED_SERVICES": "false",
}
TEST_ONLY_ENV = {
    "DD_ENV": "test",
    "DD_VERSION": "1.2.3",
    "DD_TRACE_SAMPLE_RATE": "1",
    "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false",
    "DD_REMOTE_CONFIGURATION_ENABLED": "false",
    "DD_COLD_START_TRACING": "false",  # one span per imported module: noise for this test
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, seconds: float = 30) -> None:
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


@pytest.fixture(scope="module")
def test_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("agent") / "agent.log"
    with open(log, "w") as out:
        agent = subprocess.Popen(
            [
                BIN / "ddapm-test-agent",
                "--port",
                str(port),
                # OTLP listeners on free ports too: 4317/4318 may be another test agent's.
                "--otlp-http-port",
                str(_free_port()),
                "--otlp-grpc-port",
                str(_free_port()),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_http(f"http://127.0.0.1:{port}/test/traces")
            yield f"http://127.0.0.1:{port}"
        finally:
            agent.terminate()
            agent.wait(timeout=10)


def _traces(agent: str) -> list[list[dict[str, Any]]]:
    with urllib.request.urlopen(f"{agent}/test/traces", timeout=5) as response:
        return json.load(response)


def _trace_with(agent: str, trace_id: int, name: str, seconds: float = 20) -> list[dict]:
    """All spans of ``trace_id`` once one named ``name`` arrived (traces flush every ~1 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        spans = [s for t in _traces(agent) for s in t if s["trace_id"] == trace_id]
        if any(s["name"] == name for s in spans):
            return spans
        time.sleep(0.3)
    raise AssertionError(f"no {name} span of trace {trace_id} reached the test agent")


def _json_lines(path: Path) -> list[dict[str, Any]]:
    lines = []
    for raw in path.read_text().splitlines():
        if raw.startswith("{"):
            line = json.loads(raw)
            if "event" in line:  # datadog_lambda's own metric lines have no "event"
                lines.append(line)
    return lines


@pytest.fixture
def traced_server(test_agent, database, key_dir, seed, statsd, tmp_path) -> Iterator[tuple]:
    out_path = tmp_path / "server.out"
    env = {
        **os.environ,
        **CLOUD_DD_ENV,
        **TEST_ONLY_ENV,
        "DD_SERVICE": "auth-cpf",
        "DD_TRACE_AGENT_URL": test_agent,
        "DD_AGENT_HOST": "127.0.0.1",
        "DD_DOGSTATSD_PORT": str(statsd.port),
        "DATABASE_URL": database.auth_dsn,
        "AUTH_ISSUER": ISSUER,
        "AUTH_SIGNING_KEY_FILE": str(key_dir / "current.pem"),
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("AUTH_SIGNING_KEY_SECRET_ID", None)
    env.pop("DD_LAMBDA_HANDLER", None)
    with open(out_path, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "auth_cpf.local_server", "--port", "0", "--datadog"],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            url = None
            while url is None and time.monotonic() < deadline:
                for line in out_path.read_text().splitlines():
                    if "listening on http://" in line:
                        url = line.strip().rsplit(" ", 1)[1]
                if proc.poll() is not None:
                    raise AssertionError(out_path.read_text())
                time.sleep(0.1)
            assert url, out_path.read_text()
            yield url, out_path
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _sign_in(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        url + "/auth/token",
        data=json.dumps({"cpf": CUSTOMER_CPF}).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.headers["X-Request-ID"] == headers["X-Request-ID"]
        return response.status


def test_auth_invocation_trace_db_spans_propagation_and_log_correlation(
    traced_server, test_agent, statsd
):
    url, out_path = traced_server
    caller_trace, caller_span = 1234567890123456789, 987654321
    assert (
        _sign_in(
            url,
            {
                "X-Request-ID": "trace-dd-1",
                "x-datadog-trace-id": str(caller_trace),
                "x-datadog-parent-id": str(caller_span),
                "x-datadog-sampling-priority": "1",
            },
        )
        == 200
    )
    w3c_trace, w3c_span = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    assert (
        _sign_in(
            url, {"X-Request-ID": "trace-w3c-1", "traceparent": f"00-{w3c_trace}-{w3c_span}-01"}
        )
        == 200
    )

    # 1. Datadog headers: the invocation span continues the caller's trace.
    spans = _trace_with(test_agent, caller_trace, "aws.lambda")
    (root,) = [s for s in spans if s["name"] == "aws.lambda"]
    assert root["service"] == "auth-cpf"
    assert root["meta"]["env"] == "test"
    assert root["meta"]["version"] == "1.2.3"
    assert root["parent_id"] == caller_span
    assert root["meta"]["function_trigger.event_source"] == "api-gateway"
    assert root["meta"]["http.status_code"] == "200"
    sql = [s for s in spans if s["name"] == "postgres.query"]
    assert {s["parent_id"] for s in sql} == {root["span_id"]}, [s["name"] for s in spans]
    assert all(s["type"] == "sql" and s["meta"]["db.system"] == "postgresql" for s in sql)
    assert any("FROM customers" in s["resource"] for s in sql)
    assert any("FROM auth_attempts" in s["resource"] for s in sql)
    assert CUSTOMER_CPF not in json.dumps(spans)  # queries are parameterised; no payload capture

    # 2. W3C traceparent: same trace id (low 64 bits + _dd.p.tid), caller's span as parent.
    w3c_low = int(w3c_trace[16:], 16)
    w3c_spans = _trace_with(test_agent, w3c_low, "aws.lambda")
    (w3c_root,) = [s for s in w3c_spans if s["name"] == "aws.lambda"]
    assert w3c_root["meta"]["_dd.p.tid"] == w3c_trace[:16]
    assert w3c_root["parent_id"] == int(w3c_span, 16)
    assert any(s["name"] == "postgres.query" for s in w3c_spans)

    # 3. The log lines of each invocation carry its trace and the invocation span.
    lines = _json_lines(out_path)
    (attempt,) = [
        x for x in lines if x["event"] == "auth.attempt" and x["request_id"] == "trace-dd-1"
    ]
    assert attempt["dd.trace_id"] == str(caller_trace)
    assert attempt["dd.span_id"] == str(root["span_id"])
    assert (attempt["service"], attempt["env"], attempt["version"]) == ("auth-cpf", "test", "1.2.3")
    assert attempt["result"] == "success"
    # ddtrace's own injection (DD_LOGS_INJECTION) adds dd.service/env/version: dropped, they
    # repeat the contract's service/env/version.
    assert not {"dd.service", "dd.env", "dd.version"} & set(attempt)
    (request,) = [x for x in lines if x["event"] == "request" and x["request_id"] == "trace-dd-1"]
    assert request["dd.trace_id"] == str(caller_trace)
    (w3c_attempt,) = [
        x for x in lines if x["event"] == "auth.attempt" and x["request_id"] == "trace-w3c-1"
    ]
    logged = w3c_attempt["dd.trace_id"]
    assert logged == w3c_trace or int(logged) == int(w3c_trace, 16), logged
    assert CUSTOMER_CPF not in out_path.read_text()

    # 4. Metrics still go out over DogStatsD while traced.
    attempts = [p for p in statsd.parsed() if p[0] == "oficina.auth.attempts"]
    assert len(attempts) == 2
    assert all({"result:success", "kind:customer", "service:auth-cpf"} <= p[3] for p in attempts)


_NOTIFY_RUNNER = """
import json, sys, uuid
from datadog_lambda.handler import handler
from ddtrace.trace import tracer

class Context:
    function_name = "oficina-notify"
    function_version = "$LATEST"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:oficina-notify"
    aws_request_id = str(uuid.uuid4())
    client_context = None
    identity = None
    def get_remaining_time_in_millis(self):
        return 30000

result = handler(json.load(open(sys.argv[1])), Context())
print(json.dumps({"result": result}), flush=True)
tracer.flush()
"""


def test_notify_invocation_is_traced_and_its_logs_carry_the_trace(test_agent, statsd, tmp_path):
    event_file = tmp_path / "event.json"
    event_file.write_text(json.dumps(load_sqs_event("sqs_awaiting_approval_email")))
    env = {
        **os.environ,
        **CLOUD_DD_ENV,
        **TEST_ONLY_ENV,
        "DD_SERVICE": "oficina-notify",
        "DD_LAMBDA_HANDLER": "tests.notify_traced_shim.lambda_handler",
        "DD_TRACE_AGENT_URL": test_agent,
        "DD_AGENT_HOST": "127.0.0.1",
        "DD_DOGSTATSD_PORT": str(statsd.port),
        "NOTIFY_SHIM_DIR": str(tmp_path),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", _NOTIFY_RUNNER, str(event_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = tmp_path / "out.txt"
    out.write_text(done.stdout)
    lines = _json_lines(out)
    (sent,) = [x for x in lines if x["event"] == "notification.sent"]
    assert sent["request_id"] == "req-demo-0042"  # the event's own request id
    assert (sent["service"], sent["env"], sent["version"]) == ("oficina-notify", "test", "1.2.3")
    trace_id = int(sent["dd.trace_id"], 16) if len(sent["dd.trace_id"]) == 32 else None
    trace_id = trace_id & (2**64 - 1) if trace_id is not None else int(sent["dd.trace_id"])
    spans = _trace_with(test_agent, trace_id, "aws.lambda")
    (root,) = [s for s in spans if s["name"] == "aws.lambda"]
    assert root["service"] == "oficina-notify"
    assert (root["meta"]["env"], root["meta"]["version"]) == ("test", "1.2.3")
    assert root["meta"]["function_trigger.event_source"] == "sqs"
    assert sent["dd.span_id"] == str(root["span_id"])
    assert any(p[0] == "oficina.notifications.sent" for p in statsd.parsed())
