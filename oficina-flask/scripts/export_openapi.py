"""Write the live OpenAPI document (what /openapi.json serves) to a file, deterministically."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from oficina.app import create_app


def live_spec() -> dict:
    with tempfile.TemporaryDirectory() as keys:
        jwks = Path(keys) / "jwks.json"
        jwks.write_text('{"keys": []}')
        app = create_app(
            {
                # The document needs no database: nothing connects until a request asks.
                "DATABASE_URL": "postgresql+psycopg2://spec@127.0.0.1:1/spec",
                "DB_POOL_SIZE": 1,
                "DB_MAX_OVERFLOW": 0,
                "DB_READ_POOL_SIZE": 1,
                "JWT_ISSUER": "http://127.0.0.1:8000",
                "JWT_AUDIENCE": "oficina-api",
                "JWT_JWKS_FILE": str(jwks),
                "JWT_JWKS_URL": None,
                "JWT_LEEWAY_SECONDS": 0,
                "LOG_LEVEL": "ERROR",
            }
        )
        return app.test_client().get("/openapi.json").get_json()


def render(spec: dict) -> str:
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(live_spec()), encoding="utf-8")
