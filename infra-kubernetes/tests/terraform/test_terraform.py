"""Real Terraform, offline: fmt, init -backend=false + validate, terraform test, checkov."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ENVIRONMENTS, ROOT, run

TF = ROOT / "terraform"
# Directories holding *.tftest.hcl suites (plan against a mocked AWS provider).
TEST_DIRS = [
    *(f"environments/{e}" for e in ENVIRONMENTS),
    "modules/eks",
    "modules/api-gateway",
    "modules/internal-lb",
]


def test_fmt(terraform, tf_env):
    proc = run([terraform, "fmt", "-check", "-recursive", "-diff"], TF, tf_env)
    assert proc.returncode == 0, f"terraform fmt would change:\n{proc.stdout}{proc.stderr}"


def _init(terraform, tf_env, directory):
    proc = run(
        [terraform, "init", "-backend=false", "-input=false", "-no-color"], directory, tf_env
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "hashicorp/aws v5.100.0" in proc.stdout, "the provider must come from the mirror"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_init_and_validate(terraform, tf_env, environment):
    directory = TF / "environments" / environment
    _init(terraform, tf_env, directory)
    proc = run([terraform, "validate", "-json", "-no-color"], directory, tf_env)
    result = json.loads(proc.stdout)
    assert result["valid"], json.dumps(result["diagnostics"], indent=2)
    assert result["error_count"] == 0 and result["warning_count"] == 0, result["diagnostics"]


@pytest.mark.parametrize("directory", TEST_DIRS)
def test_terraform_test_suites(terraform, tf_env, directory):
    path = TF / directory
    assert list((path / "tests").glob("*.tftest.hcl")), f"no test suite in {directory}/tests"
    _init(terraform, tf_env, path)
    proc = run([terraform, "test", "-no-color"], path, tf_env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    passed = re.search(r"Success! (\d+) passed, 0 failed", proc.stdout)
    assert passed and int(passed.group(1)) > 0, proc.stdout


def test_checkov_terraform_has_no_failed_check(checkov):
    proc = run(
        [
            str(checkov),
            "--skip-download",
            "-d",
            str(TF),
            "--framework",
            "terraform",
            "-o",
            "json",
            "--quiet",
        ],
        ROOT,
    )
    report = json.loads(proc.stdout)
    reports = report if isinstance(report, list) else [report]
    failed = [c for r in reports for c in r["results"]["failed_checks"]]
    assert not failed, "\n".join(
        f"{c['check_id']} {c['resource']} {c['file_path']}" for c in failed
    )
    passed = sum(r["summary"]["passed"] for r in reports)
    assert passed > 100, f"checkov scanned too little ({passed} passed checks)"
    assert proc.returncode == 0


def test_every_checkov_skip_is_justified():
    skips = []
    for path in TF.rglob("*.tf"):
        if ".terraform" in path.parts:
            continue
        for line in path.read_text().splitlines():
            if "checkov:skip=" in line:
                skips.append((path.relative_to(ROOT), line.strip()))
    assert skips, "expected the documented skips"
    for path, line in skips:
        match = re.search(r"checkov:skip=(CKV2?_AWS_\d+):(.+)$", line)
        assert match, f"{path}: malformed skip {line!r}"
        assert len(match.group(2).strip()) >= 40, (
            f"{path}: skip {match.group(1)} needs a real reason"
        )
