"""scripts/network_from_kubernetes.py against a real (local-state) Terraform root that has the
same outputs as infra-kubernetes, and then a real `terraform validate` that loads the file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import network_from_kubernetes as script  # noqa: E402

FAKE_OUTPUTS = """
output "vpc_id" { value = "vpc-0abc1234def567890" }
output "private_subnet_ids" { value = ["subnet-0aaa1111bbb22223a", "subnet-0aaa1111bbb22223b"] }
output "cluster_security_group_id" { value = "sg-0123456789abcdef0" }
output "cluster_name" { value = "oficina-homolog" }
"""


@pytest.fixture
def kubernetes_root(tmp_path: Path) -> Path:
    if not shutil.which("terraform"):
        pytest.fail("terraform is not installed")
    (tmp_path / "outputs.tf").write_text(FAKE_OUTPUTS)
    env = {**os.environ, "TF_DATA_DIR": str(tmp_path / ".tfdata")}
    for cmd in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
        done = subprocess.run(
            ["terraform", f"-chdir={tmp_path}", *cmd],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    os.environ["TF_DATA_DIR"] = env["TF_DATA_DIR"]
    yield tmp_path
    del os.environ["TF_DATA_DIR"]


def test_writes_network_tfvars_from_kubernetes_outputs(
    kubernetes_root: Path, tmp_path: Path
) -> None:
    target = tmp_path / "network.auto.tfvars.json"
    args = ["homolog", "--kubernetes-dir", str(kubernetes_root), "--output", str(target)]
    assert script.main(args) == 0
    values = json.loads(target.read_text())
    assert values == {
        "vpc_id": "vpc-0abc1234def567890",
        "private_subnet_ids": ["subnet-0aaa1111bbb22223a", "subnet-0aaa1111bbb22223b"],
        "app_security_group_ids": ["sg-0123456789abcdef0"],
    }


def test_missing_output_is_a_clear_error() -> None:
    with pytest.raises(SystemExit, match="no output"):
        script.network_tfvars({"vpc_id": "vpc-1"}, script.DEFAULT_OUTPUTS)
