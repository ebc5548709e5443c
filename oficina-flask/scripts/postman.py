"""Generate the Postman collection from the live OpenAPI document (openapi-to-postmanv2).

Deterministic (ids derived from each item's place), with a sign-in folder that stores the
token from the auth function, and collection-level tests (no 5xx, JSON bodies, the error
shape on 4xx) so `newman run` checks every documented route. `--check` fails when the
committed collection is stale.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COLLECTION = ROOT / "postman" / "oficina.postman_collection.json"
PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"
NAMESPACE = uuid.UUID("7f0c5f53-3c4e-4f4c-9a44-0f1c2d3e4a5b")

SIGN_IN = {
    "name": "Sign in (auth function)",
    "description": "Run first: stores the bearer token used by every other request.",
    "item": [
        {
            "name": "Staff token",
            "request": {
                "method": "POST",
                "url": "{{baseUrl}}/auth/token",
                "auth": {"type": "noauth"},
                "header": [{"key": "Content-Type", "value": "application/json"}],
                "body": {
                    "mode": "raw",
                    "raw": '{"cpf": "{{staffCpf}}", "password": "{{staffPassword}}"}',
                },
            },
            "event": [
                {
                    "listen": "test",
                    "script": {
                        "type": "text/javascript",
                        "exec": [
                            "pm.test('a token is issued', () => pm.response.to.have.status(200));",
                            "const token = pm.response.json().access_token;",
                            "pm.collectionVariables.set('bearerToken', token);",
                        ],
                    },
                }
            ],
        }
    ],
}
CHECKS = [
    "pm.test('no server error', () => pm.expect(pm.response.code).to.be.below(500));",
    "if (pm.response.code !== 204) {",
    "  pm.test('a JSON body', () => pm.response.to.be.json);",
    "}",
    "if (pm.response.code >= 400) {",
    "  pm.test('the error shape', () => {",
    "    const body = pm.response.json();",
    "    pm.expect(body).to.have.property('status', pm.response.code);",
    "    pm.expect(body).to.have.property('message');",
    "  });",
    "}",
]
VARIABLES = [
    {"key": "baseUrl", "value": "http://127.0.0.1:8000"},
    {"key": "bearerToken", "value": ""},
    {"key": "staffCpf", "value": "390.533.447-05"},
    {"key": "staffPassword", "value": "oficina-demo"},
]


def _stable_ids(node: Any, path: str = "") -> Any:
    """Derive ids from each node's place; drop saved example responses (the converter fills
    them with random fake data; the OpenAPI document is the reference for responses)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "response" and isinstance(value, list):
                out[key] = []
            elif key == "variable" and path.endswith("/url"):
                # Path ids: a fixed, well-formed id (the converter draws random ones).
                out[key] = [{**v, "value": PLACEHOLDER_ID} for v in value]
            elif key in {"id", "_postman_id"}:
                out[key] = str(uuid.uuid5(NAMESPACE, path))
            else:
                out[key] = _stable_ids(value, f"{path}/{key}")
        return out
    if isinstance(node, list):
        return [_stable_ids(v, f"{path}/{i}") for i, v in enumerate(node)]
    return node


def generate(spec_path: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "collection.json"
        subprocess.run(
            [
                "node",
                "-r",
                str(ROOT / "tools" / "seeded-random.js"),
                str(
                    ROOT
                    / "tools"
                    / "node_modules"
                    / "openapi-to-postmanv2"
                    / "bin"
                    / "openapi2postmanv2.js"
                ),
                "-s",
                str(spec_path),
                "-o",
                str(out),
                "-p",
                "-O",
                "folderStrategy=Tags,parametersResolution=Example,"
                "exampleParametersResolution=Example",
            ],
            check=True,
            capture_output=True,
        )
        collection = json.loads(out.read_text())
    collection["item"] = [SIGN_IN, *collection["item"]]
    collection["variable"] = VARIABLES
    collection["event"] = [
        {"listen": "test", "script": {"type": "text/javascript", "exec": CHECKS}}
    ]
    return _stable_ids(collection)


def render(collection: dict[str, Any]) -> str:
    return json.dumps(collection, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    spec = ROOT / "openapi.json"
    fresh = render(generate(spec))
    if "--check" in sys.argv:
        if not COLLECTION.exists() or COLLECTION.read_text(encoding="utf-8") != fresh:
            print("postman collection is stale: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    COLLECTION.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
