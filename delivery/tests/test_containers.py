"""The images: checkov's Dockerfile checks pass, and the application image is what the runtime
contract promises (multi-stage, slim, non-root, ddtrace-run gunicorn, health check, nothing of the
build in the final stage)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import CHECKOV, DELIVERY, ROOT, run

DOCKERFILES = ("oficina-flask", "lambda-cpf")


@pytest.mark.parametrize("folder", DOCKERFILES)
def test_checkov_dockerfile_checks_pass(folder):
    assert CHECKOV.exists(), "make -C delivery test installs checkov"
    result = run(
        [
            str(CHECKOV),
            "--skip-download",
            "--quiet",
            "--framework",
            "dockerfile",
            "-f",
            str(ROOT / folder / "Dockerfile"),
            "-o",
            "json",
        ],
        cwd=DELIVERY,
    )
    report = json.loads(result.stdout)
    report = report[0] if isinstance(report, list) else report
    summary = report["summary"]
    failed = [c["check_id"] for c in report["results"]["failed_checks"]]
    assert summary["failed"] == 0 and result.returncode == 0, failed
    assert summary["passed"] >= 30 and summary["parsing_errors"] == 0, summary


def stages(text: str) -> list[str]:
    return re.split(r"^FROM ", text, flags=re.M)[1:]


def test_app_image_is_multi_stage_slim_non_root_with_healthcheck():
    text = (ROOT / "oficina-flask" / "Dockerfile").read_text()
    parts = stages(text)
    assert len(parts) >= 2, "multi-stage"
    final = parts[-1]
    assert re.match(r"python:3\.11-slim", final), "slim runtime base"
    user = re.findall(r"^USER (\S+)", final, re.M)
    assert user and not user[-1].startswith(("root", "0")), "non-root"
    assert "HEALTHCHECK" in final and "/health/live" in final
    cmd = re.findall(r"^CMD (.+)$", final, re.M)[-1]
    assert json.loads(cmd)[:2] == ["ddtrace-run", "gunicorn"]
    # Nothing of the build in the final stage: no package installs, no uv, no compilers.
    assert not re.search(r"^RUN .*(pip install|apt-get install|apk add|uv )", final, re.M)
    assert "COPY --from=builder" in final
    # No secret passed in at build time or baked in.
    assert not re.search(r"^(ARG|ENV)\s+\S*(SECRET|PASSWORD|TOKEN|KEY)\S*", text, re.M | re.I)


def test_lambda_image_runs_the_same_handler_not_as_root():
    text = (ROOT / "lambda-cpf" / "Dockerfile").read_text()
    assert text.startswith("#") and "FROM public.ecr.aws/lambda/python:3.11" in text
    assert re.search(r"^USER 1000", text, re.M)
    assert "--require-hashes" in text and 'CMD ["auth_cpf.handler.lambda_handler"]' in text
