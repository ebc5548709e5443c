"""`make run`: the whole system on http://127.0.0.1:8000, as the gateway would route it.

1. each folder's own environment (its Makefile), 2. a database: DATABASE_URL, or an embedded
PostgreSQL under .dev/pgdata, 3. migrations and demo data (oficina-flask), 4. the auth function's
local adapter (lambda-cpf) with a dev key generated at run time into .dev/keys, 5. the API
(gunicorn), the outbox relay (events to .dev/outbox/events.jsonl) and the notification
function's local runner (deliveries to .dev/outbox/deliveries.jsonl), 6. the local gateway on
one port. Ctrl-C stops everything.
Standard library only, so it runs before any virtual environment exists.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gateway import serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
APP, AUTH = ROOT / "oficina-flask", ROOT / "lambda-cpf"
DEV = ROOT / ".dev"

DEMO = """
Oficina is running on http://127.0.0.1:{port}   (Swagger UI: /docs, OpenAPI: /openapi.json)

  # a customer token (demo customer Maria Oliveira, CPF 168.995.350-09)
  curl -s -X POST localhost:{port}/auth/token -d '{{"cpf": "168.995.350-09"}}'
  # a staff token (manager Gabriela, demo password "oficina-demo")
  TOKEN=$(curl -s -X POST localhost:{port}/auth/token \\
      -d '{{"cpf": "390.533.447-05", "password": "oficina-demo"}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -s localhost:{port}/service-orders -H "Authorization: Bearer $TOKEN"

Demo staff (password "oficina-demo"): attendant 529.982.247-25, mechanic 111.444.777-35,
manager 390.533.447-05. Customer notifications (budget ready, car ready) are written to
.dev/outbox/deliveries.jsonl. Ctrl-C stops.
"""


def sh(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, check=True,
                            stdout=subprocess.PIPE, text=True)
    return result.stdout


def wait_for(url: str, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - local URL
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{what} did not answer at {url}")


def start(port: int, *, quiet: bool = False,
          outbox: Path = DEV / "outbox") -> tuple[list[subprocess.Popen], object, dict]:
    """Bring the stack up; return the child processes, the gateway server and the settings."""
    for folder in (APP, AUTH):
        sh("make", "--no-print-directory", "-s", ".venv/.synced", cwd=folder)
    env = dict(os.environ)
    database_url = env.get("DATABASE_URL") or sh(
        APP / ".venv/bin/python", "-m", "oficina.devdb", "ensure", "--data-dir", DEV / "pgdata",
        cwd=APP).strip()
    env["DATABASE_URL"] = database_url
    sh(APP / ".venv/bin/alembic", "upgrade", "head", cwd=APP, env=env)
    print(sh(APP / ".venv/bin/python", "-m", "oficina.demo.seed", cwd=APP, env=env).strip())

    issuer = f"http://127.0.0.1:{port}"
    keys = DEV / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    signing_key = keys / "signing-key.pem"
    if not signing_key.exists():
        sh(AUTH / ".venv/bin/python", "-m", "auth_cpf.keys_cli", "generate", signing_key, cwd=AUTH)
    out = None if not quiet else subprocess.DEVNULL
    auth_port, app_port = port + 2, port + 1
    auth = subprocess.Popen(
        [AUTH / ".venv/bin/python", "-m", "auth_cpf.local_server", "--port", str(auth_port)],
        cwd=AUTH, stdout=out, stderr=out,
        env={**env, "DATABASE_URL": database_url.replace("+psycopg2", ""), "AUTH_ISSUER": issuer,
             "AUTH_AUDIENCE": "oficina-api", "AUTH_SIGNING_KEY_FILE": str(signing_key)})
    wait_for(f"http://127.0.0.1:{auth_port}/.well-known/jwks.json", auth, "the auth function")
    app = subprocess.Popen(
        [APP / ".venv/bin/gunicorn", "--config", "python:oficina.gunicorn_conf",
         "oficina.app:create_app()"],
        cwd=APP, stdout=out, stderr=out,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": "2",
             "JWT_ISSUER": issuer, "JWT_AUDIENCE": "oficina-api",
             "JWT_JWKS_URL": f"http://127.0.0.1:{auth_port}/.well-known/jwks.json"})
    wait_for(f"http://127.0.0.1:{app_port}/health/ready", app, "the API")
    # The outbox relay publishes customer notifications to a local file instead of SNS.
    relay = subprocess.Popen(
        [APP / ".venv/bin/python", "-m", "oficina.outbox.relay", "--interval", "1"],
        cwd=APP, stdout=out, stderr=out,
        env={**env, "OUTBOX_TRANSPORT": "file",
             "OUTBOX_FILE": str(outbox / "events.jsonl")})
    gateway = serve(port, {"auth": ("127.0.0.1", auth_port), "app": ("127.0.0.1", app_port)})
    # The notification function's local runner sends them into a delivery log.
    notify = subprocess.Popen(
        [AUTH / ".venv/bin/python", "-m", "oficina_notify.local_runner", "--follow",
         "--outbox", str(outbox), "--interval", "1"],
        cwd=AUTH, stdout=out, stderr=out, env=env)
    return [auth, app, relay, notify], gateway, {"database_url": database_url, "issuer": issuer}


def stop(children: list[subprocess.Popen], gateway) -> None:
    gateway.shutdown()
    for child in children:
        child.terminate()
    for child in children:
        child.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(prog="make run")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args()
    children, gateway, _ = start(args.port)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(DEMO.format(port=args.port), flush=True)
    try:
        gateway.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        stop(children, gateway)


if __name__ == "__main__":
    main()
