"""`make run` for this folder: database, migrations, demo data, then gunicorn.

DATABASE_URL wins when set; otherwise an embedded PostgreSQL under .cache/pgdata is started
(and kept for the next run). Tokens are verified with the auth function's JWKS
(JWT_JWKS_URL, default: the local gateway of the repository-root `make run`).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

from oficina import devdb

ROOT = Path(__file__).resolve().parents[2]


def prepare(env: dict[str, str]) -> dict[str, str]:
    """Fill DATABASE_URL, migrate and seed; return the environment for the server."""
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = devdb.ensure_dev_database(ROOT / ".cache" / "pgdata")
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"], cwd=ROOT, env=env, check=True
    )
    subprocess.run([sys.executable, "-m", "oficina.demo.seed"], cwd=ROOT, env=env, check=True)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m oficina.devstack")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="migrate and seed, print DATABASE_URL, do not serve",
    )
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("JWT_JWKS_URL", "http://127.0.0.1:8000/.well-known/jwks.json")
    env.setdefault("JWT_ISSUER", "http://127.0.0.1:8000")
    env = prepare(env)
    if args.prepare_only:
        print(env["DATABASE_URL"])
        return
    env.setdefault("GUNICORN_WORKERS", "2")
    env["GUNICORN_BIND"] = f"127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:oficina.gunicorn_conf",
            "oficina.app:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    try:
        sys.exit(server.wait())
    except KeyboardInterrupt:
        server.terminate()
        sys.exit(server.wait())


if __name__ == "__main__":
    main()
