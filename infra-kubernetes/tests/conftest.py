"""Shared fixtures: the folder's root, the offline Terraform set-up, rendered manifests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

TF_MIRROR = Path(os.environ.get("TF_PLUGIN_MIRROR", "/opt/tf-plugins"))
TF_CLI_CONFIG = ROOT / ".terraform-offline" / "terraformrc"
ENVIRONMENTS = ("homolog", "production")
CHECKOV = ROOT / ".tools" / "checkov" / "bin" / "checkov"


def _missing_tool(message: str) -> None:
    # Loud on purpose: a machine without the toolchain must not look green.
    print(f"\n\n!!! {message} !!!\n", file=sys.stderr)
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def terraform() -> str:
    path = shutil.which("terraform")
    if path is None:
        _missing_tool("terraform is not installed: the Terraform checks cannot run")
    provider = TF_MIRROR / "registry.terraform.io" / "hashicorp" / "aws"
    unpacked = provider.glob("5.100.0/*/terraform-provider-aws_*")
    packed = provider.glob("terraform-provider-aws_5.100.0_*.zip")  # `terraform providers mirror`
    if not any(unpacked) and not any(packed):
        _missing_tool(f"the provider mirror with hashicorp/aws 5.100.0 is missing at {TF_MIRROR}")
    return path


@pytest.fixture(scope="session")
def tf_env(terraform: str) -> dict[str, str]:
    TF_CLI_CONFIG.parent.mkdir(exist_ok=True)
    TF_CLI_CONFIG.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{TF_MIRROR}"\n'
        '    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n'
        '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n'
    )
    env = dict(os.environ)
    env.update(
        TF_CLI_CONFIG_FILE=str(TF_CLI_CONFIG),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",
    )
    return env


def run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def checkov() -> Path:
    if not CHECKOV.exists():
        _missing_tool(f"checkov is not installed at {CHECKOV} (make .tools/checkov/bin/checkov)")
    return CHECKOV


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory):
    """Render every overlay once; returns (output dir, {name: errors})."""
    import validate

    out = tmp_path_factory.mktemp("rendered")
    return out, validate.validate_all(out)
