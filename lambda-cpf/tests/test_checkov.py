"""checkov (in its own venv, tools/checkov/) over terraform/: zero failed checks, and every skip
carries a written reason next to the resource it exempts."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from tests.conftest import ROOT

TF_ROOT = ROOT / "terraform"
SKIP_COMMENT = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?")


@pytest.fixture(scope="session")
def checkov_report() -> dict:
    binary = Path(os.environ.get("CHECKOV_BIN", ROOT / "tools/checkov/.venv/bin/checkov"))
    if not binary.is_file():
        pytest.fail(f"checkov not found at {binary}: run `make test` (builds tools/checkov/.venv)")
    done = subprocess.run(
        [
            str(binary),
            "--directory",
            str(TF_ROOT),
            "--framework",
            "terraform",
            "--skip-download",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"checkov did not produce JSON (rc={done.returncode}):\n{done.stderr[-3000:]}")
    if isinstance(report, list):
        (report,) = [r for r in report if r.get("check_type") == "terraform"]
    return report


def test_checkov_has_zero_failed_checks(checkov_report):
    failed = checkov_report["results"]["failed_checks"]
    listing = "\n".join(f"{c['check_id']} {c['resource']} {c['file_path']}" for c in failed)
    assert checkov_report["summary"]["failed"] == 0, f"checkov failed checks:\n{listing}"
    assert checkov_report["summary"]["parsing_errors"] == 0
    assert checkov_report["summary"]["passed"] >= 100
    ran = {c["check_id"] for c in checkov_report["results"]["passed_checks"]}
    for check in (
        "CKV_AWS_26",  # SNS encrypted
        "CKV_AWS_27",  # SQS encrypted
        "CKV_AWS_119",  # DynamoDB CMK
        "CKV_AWS_28",  # DynamoDB PITR
        "CKV_AWS_158",  # log group KMS
        "CKV_AWS_338",  # log retention >= 1 year
        "CKV_AWS_173",  # Lambda env encrypted
        "CKV_AWS_115",  # reserved concurrency
        "CKV_AWS_50",  # X-Ray
        "CKV_AWS_7",  # key rotation
        "CKV_AWS_149",  # secret CMK
        "CKV_AWS_364",  # Lambda permission scoped by source ARN
        "CKV2_AWS_64",  # key policy
    ):
        assert check in ran, f"{check} did not run or did not pass"


def test_every_skip_has_a_reason(checkov_report):
    skipped = checkov_report["results"]["skipped_checks"]
    assert skipped, "expected the documented skips to be reported"
    for check in skipped:
        reason = (check.get("check_result") or {}).get("suppress_comment", "")
        assert len(reason.strip()) >= 40, f"{check['check_id']} skipped without a real reason"


def test_skip_comments_in_source_all_have_reasons():
    found = 0
    for path in TF_ROOT.rglob("*.tf"):
        if ".terraform" in path.parts:
            continue
        for line in path.read_text().splitlines():
            match = SKIP_COMMENT.search(line)
            if match:
                found += 1
                assert match.group(2) and len(match.group(2).strip()) >= 40, f"{path}: {line}"
    assert found >= 1
