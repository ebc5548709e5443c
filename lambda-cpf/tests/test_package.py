"""Packaging: the zip writer is deterministic; the full build is reproducible and importable."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import package


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_zip_writer_ignores_mtimes_and_creation_order(tmp_path):
    for run, names in (("a", ["x/2.py", "x/1.py", "m.py"]), ("b", ["m.py", "x/1.py", "x/2.py"])):
        root = tmp_path / run
        for i, name in enumerate(names):
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# {name}\n")
            os.utime(path, (1_000_000 + i * 7777 + len(run), 1_000_000 + i * 7777))
        (root / "bin").mkdir()
        (root / "bin" / "tool").write_text(f"#!/{run}/python\n")
        package.write_zip(root, tmp_path / f"{run}.zip")
    assert _sha(tmp_path / "a.zip") == _sha(tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        assert zf.namelist() == ["m.py", "x/1.py", "x/2.py"]
        assert {i.date_time for i in zf.infolist()} == {package.FIXED_TIME}


@pytest.mark.skipif(not (ROOT / ".tools" / "bin" / "pip").exists(), reason="needs make bootstrap")
def test_build_twice_same_bytes_and_the_zip_runs(tmp_path, key_dir):
    first = tmp_path / "one" / "lambda.zip"
    second = tmp_path / "two" / "lambda.zip"
    assert package.build(first) == package.build(second)
    assert first.stat().st_size < 50 * 1024 * 1024  # Lambda's limit for a direct zip upload

    unpacked = tmp_path / "task"
    with zipfile.ZipFile(first) as zf:
        names = zf.namelist()
        zf.extractall(unpacked)
    assert "auth_cpf/handler.py" in names
    assert "oficina_notify/handler.py" in names
    assert any(n.startswith("oficina_notify/__pycache__/handler.cpython-311") for n in names)
    assert any(n.startswith("auth_cpf/__pycache__/handler.cpython-311") for n in names)
    assert not any(n.startswith(("boto3/", "botocore/", "bin/")) for n in names)
    # Tracing comes from the Datadog layer in AWS: ddtrace & co. are dev dependencies only.
    dev_only = ("ddtrace/", "datadog_lambda/", "datadog/", "ddapm")
    assert not any(n.startswith(dev_only) for n in names)
    # The unpacked zip alone (no venv) imports the handler and serves the JWKS, as /var/task.
    event_file = ROOT / "tests" / "events" / "get_jwks.json"
    script = (
        "import json, auth_cpf.handler as h;"
        f"e = json.load(open({str(event_file)!r}));"
        "r = h.lambda_handler(e, None);"
        "print(json.dumps(r))"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(unpacked),
        "DATABASE_URL": "postgresql://unused@127.0.0.1:1/x",
        "AUTH_ISSUER": "https://a.example",
        "AUTH_SIGNING_KEY_FILE": str(key_dir / "current.pem"),
    }
    done = subprocess.run(
        [sys.executable, "-S", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["statusCode"] == 200 and json.loads(result["body"])["keys"]


def test_dockerfile_requirements_match_the_lock(tmp_path):
    fresh = tmp_path / "requirements.txt"
    package.export_requirements(fresh)
    committed = (ROOT / "requirements.lock.txt").read_text()

    def body(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith("#")]

    assert body(fresh.read_text()) == body(committed), (
        "requirements.lock.txt is stale: run `make requirements.lock.txt`"
    )
    assert "boto3==" not in committed and "psycopg2-binary==" in committed
