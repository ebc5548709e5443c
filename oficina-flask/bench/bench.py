"""`make bench`: API throughput and latency as ratios to a hello-world baseline, one run.

Starts three gunicorn servers with the production settings (oficina.gunicorn_conf) side by side
— the hello-world app, the real app on a seeded database, and the real app under ddtrace-run —
and drives each endpoint with wrk (concurrency 16, 2 threads). Only the server being measured
is busy. The measurements are interleaved in rounds (hello world, then each endpoint untraced
and traced, again and again), so the machine's drift over the run — these shared machines
speed up and slow down by a quarter within a minute — lands on the baseline and the endpoints
alike; a ratio is the endpoint's req/s over the baseline's, each over all its rounds of the run.
Absolute numbers drift between machines; the ratios are what to compare.

Options: --duration SECONDS per endpoint (default 12), --rounds N (default 4), --connections N
(default 16), --workers N.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import jwt  # noqa: E402
from alembic import command  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from tests.conftest import alembic_config  # noqa: E402

from oficina import devdb  # noqa: E402
from oficina.demo.seed import seed  # noqa: E402

ISSUER, AUDIENCE = "https://bench.oficina", "oficina-api"
PORTS = {"hello": 8765, "app": 8766, "traced": 8767}
TARGETS = {"read one order": 0.30, "list active (page of 20)": 0.20, "open an order": 0.10}
TRACED_TARGET = 0.70
# ddtrace settings of the container (its Dockerfile sets DD_TRACE_FLASK_ENABLED). No agent runs
# here: traces go to a closed local port, so the tracer does all its work and its flush fails
# fast.
TRACING = {
    "DD_TRACE_FLASK_ENABLED": "false",
    "DD_SERVICE": "oficina-api",
    "DD_ENV": "bench",
    "DD_TRACE_AGENT_URL": "http://127.0.0.1:9",
    "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false",
    "DD_REMOTE_CONFIGURATION_ENABLED": "false",
    "DD_TRACE_STARTUP_LOGS": "false",
    "DD_DOGSTATSD_PORT": "9",
}


def _database() -> str:
    admin = devdb.admin_url(os.environ.get("TEST_DATABASE_URL"), ROOT / ".cache" / "pgdata-test")
    url = devdb.recreate_database(admin, "oficina_bench", driver="postgresql+psycopg2")
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    with Session(engine) as s:
        seed(s, orders_per_path=60)  # ~540 orders with history across both units
    # A database in service has been vacuumed and analyzed by autovacuum (off on some dev
    # servers): visibility maps set, so the queue's index-only scans do not visit the heap.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return url


def _keys(workdir: Path) -> tuple[rsa.RSAPrivateKey, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "bench", "use": "sig", "alg": "RS256"})
    path = workdir / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    return key, path


def _serve(app_spec: str, env: dict[str, str], port: int, traced: bool = False) -> subprocess.Popen:
    bin_dir = Path(sys.executable).parent
    prefix = [str(bin_dir / "ddtrace-run")] if traced else []
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - read back on failure
    process = subprocess.Popen(
        [*prefix, str(bin_dir / "gunicorn"), "--config", "python:oficina.gunicorn_conf", app_spec],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    process.stderr = errors  # type: ignore[assignment]
    deadline = time.monotonic() + 120  # worker boot is slow on a loaded machine
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
        except urllib.error.HTTPError:
            return process  # any HTTP answer means the server is up
        except OSError:
            time.sleep(0.2)
            continue
        return process
    process.kill()
    process.stderr.seek(0)
    raise SystemExit(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise SystemExit(f"unexpected wrk latency {value!r}")
    number, unit = match.groups()
    return float(number) * _UNITS[unit]


class Load:
    """wrk against one path of one server; ``run`` measures one round."""

    def __init__(self, port: int, path: str, *, args, token: str | None, body: dict | None):
        script = [
            "wrk.method = 'POST'" if body else "",
            "wrk.headers['Content-Type'] = 'application/json'",
        ]
        if token:
            script.append(f"wrk.headers['Authorization'] = 'Bearer {token}'")
        if body:
            script.append(f"wrk.body = [[{json.dumps(body)}]]")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write("\n".join(script))
        self._script = lua.name
        self._url = f"http://127.0.0.1:{port}{path}"
        self._connections = args.connections
        self.rounds: list[dict] = []

    def warm_up(self) -> None:
        """Workers import lazily, connections open and prepare their statements."""
        self._wrk(2)

    def run(self, seconds: int) -> None:
        self.rounds.append(self._wrk(seconds))

    def result(self) -> dict:
        """Requests per second over all rounds; the median round's p50 and p99."""
        middle = len(self.rounds) // 2
        return {
            "rps": sum(r["requests"] for r in self.rounds) / sum(r["seconds"] for r in self.rounds),
            "p50": sorted(r["p50"] for r in self.rounds)[middle],
            "p99": sorted(r["p99"] for r in self.rounds)[middle],
        }

    def _wrk(self, seconds: int) -> dict:
        command = ["wrk", "-t2", f"-c{self._connections}", f"-d{seconds}s", "--latency"]
        out = subprocess.run(
            [*command, "-s", self._script, self._url], capture_output=True, text=True, check=True
        ).stdout
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if non_2xx:
            raise SystemExit(f"{self._url}: {non_2xx.group(1)} error responses\n{out}")
        return {
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "seconds": _ms(re.search(r"requests in ([\d.]+\w+),", out).group(1)) / 1000,
            "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
            "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        }

    def close(self) -> None:
        os.unlink(self._script)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=12, help="seconds per endpoint")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for the benchmark: apt-get install -y wrk")

    workdir = Path(tempfile.mkdtemp())
    url = _database()
    key, jwks = _keys(workdir)
    engine = create_engine(url)
    with engine.connect() as conn:
        manager = conn.execute(
            text("SELECT id, unit_id FROM staff_users WHERE role = 'manager' LIMIT 1")
        ).one()
        order_id = conn.execute(
            text(
                "SELECT service_order_id FROM service_order_services GROUP BY service_order_id "
                "ORDER BY count(*) DESC, service_order_id LIMIT 1"
            )
        ).scalar_one()
        customer, vehicle = conn.execute(
            text("SELECT customer_id, id FROM vehicles ORDER BY plate LIMIT 1")
        ).one()
        service = conn.execute(text("SELECT id FROM services LIMIT 1")).scalar_one()
        part = conn.execute(text("SELECT id FROM parts ORDER BY sku LIMIT 1")).scalar_one()
    now = int(time.time())
    token = jwt.encode(
        {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(manager.id),
            "role": "manager",
            "unit_id": str(manager.unit_id),
            "scope": "staff",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "jti": str(uuid.uuid4()),
        },
        key,
        algorithm="RS256",
        headers={"kid": "bench"},
    )

    env = {
        **os.environ,
        "DATABASE_URL": url,
        "JWT_JWKS_FILE": str(jwks),
        "JWT_ISSUER": ISSUER,
        "JWT_AUDIENCE": AUDIENCE,
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'bench'}",
    }
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)

    body = {
        "customer_id": str(customer),
        "vehicle_id": str(vehicle),
        "services": [{"service_id": str(service)}],
        "parts": [{"part_id": str(part), "quantity": 1}],
    }
    endpoints = {
        "read one order": {"path": f"/service-orders/{order_id}"},
        "list active (page of 20)": {"path": "/service-orders?page_size=20"},
        "open an order": {"path": "/service-orders", "body": body},
    }
    servers = [
        _serve("hello_app:create_app()", env, PORTS["hello"]),
        _serve("oficina.app:create_app()", {**env, **TRACING}, PORTS["app"]),
        _serve("oficina.app:create_app()", {**env, **TRACING}, PORTS["traced"], traced=True),
    ]
    hello = Load(PORTS["hello"], "/hello", args=args, token=None, body=None)
    loads = {
        (name, traced): Load(
            PORTS["traced" if traced else "app"],
            spec["path"],
            args=args,
            token=token,
            body=spec.get("body"),
        )
        for name, spec in endpoints.items()
        for traced in (False, True)
    }
    seconds = max(1, args.duration // args.rounds)  # wrk takes whole seconds
    try:
        # Reads first, then the creates: every read runs on the seeded data, not on the
        # thousands of orders the creates add. The baseline's rounds run in both phases.
        for phase in (["read one order", "list active (page of 20)"], ["open an order"]):
            hello.warm_up()
            for name in phase:
                loads[name, False].warm_up()
                loads[name, True].warm_up()
            for _ in range(args.rounds):
                hello.run(seconds)
                for name in phase:
                    loads[name, False].run(seconds)
                    loads[name, True].run(seconds)
    finally:
        for server in servers:
            _stop(server)
        for load in (hello, *loads.values()):
            load.close()

    results = {"baseline: hello world": hello.result()}
    results.update({name: loads[name, False].result() for name in endpoints})
    traced_results = {name: loads[name, True].result() for name in endpoints}

    base = results["baseline: hello world"]["rps"]
    workers = env.get("GUNICORN_WORKERS", "auto (2 x CPU + 1)")
    print(
        f"\nwrk -t2 -c{args.connections}, {args.rounds} rounds of {seconds} s per endpoint "
        f"and phase, gunicorn workers: {workers}, {os.cpu_count()} CPUs"
    )
    print(f"{'endpoint':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} {'target':>7}")
    for name, r in results.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else ("ok" if r["rps"] / base >= target else "BELOW")
        print(
            f"{name:28} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} "
            f"{r['rps'] / base:7.2f} {target or '':>7} {verdict}"
        )

    print(f"\nwith ddtrace-run (ratio to the same endpoint untraced; target {TRACED_TARGET})")
    for name, r in traced_results.items():
        ratio = r["rps"] / results[name]["rps"]
        verdict = "ok" if ratio >= TRACED_TARGET else "BELOW"
        print(f"{name:28} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} {ratio:7.2f} {verdict}")


if __name__ == "__main__":
    main()
