"""Benchmark (not a test): warm-invocation latency and cold-start cost of the handler, each
beside hello-world handlers measured in the same run; figures printed as ratios.

Warm: ``auth_cpf.handler.lambda_handler`` called in-process with the customer event
(throttle lookup + customer lookup on the real PostgreSQL + RS256 signing + JSON log line),
>= 1000 calls after a warm-up. Cold: fresh interpreter processes importing each handler module
(import + init: settings, key loading, resolver), with bytecode compiled as in the Lambda zip.

Database: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else 127.0.0.1:5432 (database
``lambda_cpf_bench``), else an embedded pgserver under .pgdata/.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg2
import psycopg2.extensions

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CALLS = int(os.environ.get("BENCH_CALLS", "2000"))
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "15"))
LOCAL = "postgresql://postgres@127.0.0.1:5432/postgres"
DB = "lambda_cpf_bench"
SCHEMA = "lambda_cpf_test"
ROLE = "lambda_cpf_test_auth"
CPF = "52998224725"
STAFF_CPF = "39053344705"


def database() -> str:
    admin = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not admin:
        try:
            psycopg2.connect(LOCAL, connect_timeout=2).close()
            base = LOCAL
        except psycopg2.OperationalError:
            import pgserver

            base = pgserver.get_server(str(ROOT / ".pgdata"), cleanup_mode="stop").get_uri()
        conn = psycopg2.connect(base)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,))
            if cur.fetchone() is None:
                cur.execute(f"CREATE DATABASE {DB}")
        conn.close()
        params = psycopg2.extensions.parse_dsn(base)
        params["dbname"] = DB
        admin = psycopg2.extensions.make_dsn(**params)
    password = secrets.token_urlsafe(18)
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT current_database()")
        name = cur.fetchone()[0]
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,))
        if cur.fetchone() is None:
            cur.execute(f"CREATE ROLE {ROLE} LOGIN")
        cur.execute(f"ALTER ROLE {ROLE} PASSWORD %s", (password,))
        cur.execute(f'ALTER ROLE {ROLE} IN DATABASE "{name}" SET search_path = {SCHEMA}')
        cur.execute(f'GRANT CONNECT ON DATABASE "{name}" TO {ROLE}')
        cur.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}; SET search_path = {SCHEMA}")
        cur.execute((ROOT / "tests" / "schema.sql").read_text())
        # 20k customers so the lookup goes through a real index, one staff member.
        cur.execute(
            "INSERT INTO customers (id, name, document, document_type, status) "
            "SELECT gen_random_uuid(), 'c' || g, lpad(g::text, 11, '0'), 'CPF', 'active' "
            "FROM generate_series(1, 20000) g"
        )
        cur.execute(
            "INSERT INTO customers VALUES (%s, 'bench', %s, 'CPF', 'active')",
            (str(uuid.uuid4()), CPF),
        )
        from auth_cpf.logic.passwords import hash_password

        cur.execute(
            "INSERT INTO staff_users VALUES (%s, 's', %s, 'manager', %s, %s, true)",
            (str(uuid.uuid4()), STAFF_CPF, str(uuid.uuid4()), hash_password("pw")),
        )
        cur.execute("ANALYZE")
    conn.close()
    params = psycopg2.extensions.parse_dsn(admin)
    params.update(user=ROLE, password=password)
    return psycopg2.extensions.make_dsn(**params)


def compile_bytecode() -> None:
    """As in the Lambda zip: .pyc present (this machine sets PYTHONDONTWRITEBYTECODE)."""
    site = next(Path(ROOT / ".venv" / "lib").glob("python3.*/site-packages"))
    for target in (site, ROOT / "src", ROOT / "bench"):
        subprocess.run(
            [PY, "-m", "compileall", "-q", "-j", "0", str(target)],
            check=True,
            stdout=subprocess.DEVNULL,
        )


def event(name: str, body: dict | None = None) -> dict:
    data = json.loads((ROOT / "tests" / "events" / f"{name}.json").read_text())
    if body is not None:
        data["body"] = json.dumps(body)
    return data


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed_calls(handler, ev: dict, calls: int, warmup: int = 50) -> list[float]:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        for _ in range(warmup):
            handler(ev, None)
        out = []
        for _ in range(calls):
            started = time.perf_counter()
            result = handler(ev, None)
            out.append((time.perf_counter() - started) * 1000)
            sink.seek(0)
            sink.truncate()
    assert result["statusCode"] == 200, result
    return out


def cold(module: str, env: dict[str, str]) -> tuple[float, float]:
    """Median wall time of a fresh process importing ``module`` and the in-process import."""
    code = (
        (
            f"import time; t = time.perf_counter(); import {module}; "
            "print((time.perf_counter() - t) * 1000)"
        )
        if module
        else "pass"
    )
    walls, inner = [], []
    for _ in range(COLD_RUNS):
        started = time.perf_counter()
        done = subprocess.run([PY, "-c", code], env=env, capture_output=True, text=True, check=True)
        walls.append((time.perf_counter() - started) * 1000)
        if module:
            inner.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(walls), statistics.median(inner) if inner else 0.0


def main() -> int:
    keydir = Path(tempfile.mkdtemp(prefix="lambda-cpf-bench-"))
    try:
        return run(keydir)
    finally:
        shutil.rmtree(keydir, ignore_errors=True)


def run(keydir: Path) -> int:
    dsn = database()
    compile_bytecode()
    from auth_cpf.logic.keys import write_dev_key

    key = write_dev_key(keydir / "key.pem")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        DATABASE_URL=dsn,
        AUTH_ISSUER="http://127.0.0.1:8000",
        AUTH_SIGNING_KEY_FILE=str(key),
        PYTHONPATH=f"{ROOT / 'src'}:{ROOT / 'bench'}",
    )
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "AUTH_ISSUER", "AUTH_SIGNING_KEY_FILE")})
    sys.path[:0] = [str(ROOT / "bench")]

    import hello_bare
    import hello_powertools

    import auth_cpf.handler as auth

    customer = event("post_token_customer")
    staff = event("post_token_staff", {"cpf": STAFF_CPF, "password": "pw"})
    warm = {
        "hello (no framework)": timed_calls(hello_bare.lambda_handler, customer, CALLS),
        "hello (powertools resolver)": timed_calls(
            hello_powertools.lambda_handler, customer, CALLS
        ),
        "auth-cpf customer (2 queries + RS256)": timed_calls(auth.lambda_handler, customer, CALLS),
        "auth-cpf staff (+ argon2id verify)": timed_calls(auth.lambda_handler, staff, 50, 3),
    }
    colds = {
        "python -c pass": cold("", env),
        "hello (no framework)": cold("hello_bare", env),
        "hello (powertools resolver)": cold("hello_powertools", env),
        "auth-cpf handler (file key)": cold("auth_cpf.handler", env),
        "boto3 + Secrets Manager client (cloud key path extra)": cold(
            "boto3; boto3.client('secretsmanager', region_name='us-east-1')", env
        ),
    }

    print(f"\nWarm invocations (in-process, {CALLS} calls, staff path 50 calls), ms")
    print(f"{'handler':45s} {'p50':>8s} {'p99':>8s} {'mean':>8s}")
    for name, values in warm.items():
        print(
            f"{name:45s} {percentile(values, 0.5):8.3f} {percentile(values, 0.99):8.3f} "
            f"{statistics.fmean(values):8.3f}"
        )
    p50 = percentile(warm["auth-cpf customer (2 queries + RS256)"], 0.5)
    print(f"target warm p50 <= 3 ms: {'MET' if p50 <= 3 else 'NOT MET'} ({p50:.3f} ms)")

    print(f"\nCold start (fresh process, median of {COLD_RUNS}), ms")
    print(f"{'process':55s} {'wall':>8s} {'import+init':>12s}")
    for name, (wall, inner) in colds.items():
        print(f"{name:55s} {wall:8.1f} {inner:12.1f}")
    auth_wall = colds["auth-cpf handler (file key)"][0]
    bare = colds["hello (no framework)"][0]
    framework = colds["hello (powertools resolver)"][0]
    print(f"\nratio auth-cpf / hello (no framework)        : {auth_wall / bare:5.2f}x")
    print(f"ratio auth-cpf / hello (powertools resolver) : {auth_wall / framework:5.2f}x")
    print(
        f"target init <= 3x hello-world process start  : "
        f"{'MET' if auth_wall <= 3 * bare else 'NOT MET'} vs no-framework hello, "
        f"{'MET' if auth_wall <= 3 * framework else 'NOT MET'} vs powertools hello"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
