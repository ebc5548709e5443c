"""checkov (in its own venv, see tools/checkov/) over the whole repository: zero failed checks,
and every skip carries a written reason next to the resource it exempts."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

SKIP_COMMENT = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?")


@pytest.fixture(scope="session")
def checkov_report() -> dict:
    binary = Path(os.environ.get("CHECKOV_BIN", ROOT / "tools/checkov/.venv/bin/checkov"))
    if not binary.is_file():
        pytest.fail(
            f"checkov not found at {binary}: run `make test` (it builds tools/checkov/.venv)"
        )
    result = subprocess.run(
        [
            str(binary),
            "--directory",
            str(ROOT),
            "--framework",
            "terraform",
            "--skip-download",
            "--output",
            "json",
            *("--skip-path", ".venv", "--skip-path", "tools", "--skip-path", ".terraform-offline"),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"checkov did not produce JSON (rc={result.returncode}):\n{result.stderr[-3000:]}"
        )
    if isinstance(report, list):  # one entry per framework
        (report,) = [r for r in report if r.get("check_type") == "terraform"]
    return report


def test_checkov_has_zero_failed_checks(checkov_report: dict) -> None:
    failed = checkov_report["results"]["failed_checks"]
    summary = checkov_report["summary"]
    listing = "\n".join(f"{c['check_id']} {c['resource']} {c['file_path']}" for c in failed)
    assert summary["failed"] == 0, f"checkov failed checks:\n{listing}"
    assert summary["parsing_errors"] == 0
    # It really scanned the module: the RDS, KMS, log, SG and secret checks ran.
    assert summary["passed"] >= 100
    ran = {c["check_id"] for c in checkov_report["results"]["passed_checks"]}
    for check in (
        "CKV_AWS_16",
        "CKV_AWS_17",
        "CKV_AWS_133",
        "CKV_AWS_118",
        "CKV_AWS_129",
        "CKV_AWS_353",
        "CKV_AWS_354",
        "CKV2_AWS_69",
        "CKV2_AWS_64",
        "CKV_AWS_158",
        "CKV_AWS_338",
    ):
        assert check in ran, f"{check} did not run or did not pass"


def test_production_passes_the_checks_homolog_skips(checkov_report: dict) -> None:
    """Multi-AZ and deletion protection are skipped for homolog only; production must pass them."""
    results = checkov_report["results"]
    for check_id in ("CKV_AWS_157", "CKV_AWS_293"):
        passed = {
            c.get("caller_file_path") for c in results["passed_checks"] if c["check_id"] == check_id
        }
        skipped = {
            c.get("caller_file_path")
            for c in results["skipped_checks"]
            if c["check_id"] == check_id
        }
        assert "/environments/production/main.tf" in passed, check_id
        assert skipped <= {"/environments/homolog/main.tf"}, (check_id, skipped)


def test_every_skip_has_a_reason(checkov_report: dict) -> None:
    skipped = checkov_report["results"]["skipped_checks"]
    assert skipped, "expected the documented skips to be reported"
    for check in skipped:
        reason = (check.get("check_result") or {}).get("suppress_comment", "")
        assert len(reason.strip()) >= 40, f"{check['check_id']} skipped without a real reason"


def test_skip_comments_in_source_all_have_reasons() -> None:
    found = 0
    for path in ROOT.rglob("*.tf"):
        if ".terraform" in path.parts or ".venv" in path.parts:
            continue
        for line in path.read_text().splitlines():
            match = SKIP_COMMENT.search(line)
            if match:
                found += 1
                assert match.group(2) and len(match.group(2).strip()) >= 40, f"{path}: {line}"
    assert found >= 1
