"""Real terraform, offline: fmt -check, init -backend=false + validate of both environments, and
`terraform test` of the module (mocked provider: the IAM modes), with providers installed only
from the local mirror (TOOLCHAIN.md). Missing terraform or mirror is a failure, never a skip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.conftest import ROOT

TF_ROOT = ROOT / "terraform"
MODULE_DIR = TF_ROOT / "modules" / "oficina-serverless"
ENV_DIRS = {env: TF_ROOT / "environments" / env for env in ("homolog", "production")}
PROVIDER_VERSION = "5.100.0"


@pytest.fixture(scope="session")
def terraform() -> str:
    binary = shutil.which("terraform")
    if not binary:
        pytest.fail("terraform is not installed (needs >= 1.11): cannot validate the Terraform")
    return binary


@pytest.fixture(scope="session")
def offline_env() -> dict[str, str]:
    rc = os.environ.get("TF_CLI_CONFIG_FILE", "")
    if not rc or not Path(rc).is_file():
        pytest.fail(
            f"TF_CLI_CONFIG_FILE={rc!r} does not exist: run the tests with `make test`, which "
            "writes .terraform-offline/terraformrc pointing at the provider mirror"
        )
    mirror = Path(os.environ.get("TF_PLUGIN_MIRROR", "/opt/tf-plugins"))
    provider = mirror / "registry.terraform.io" / "hashicorp" / "aws"
    # unpacked layout (this machine) or packed layout (`terraform providers mirror`, CI)
    unpacked = (provider / PROVIDER_VERSION).is_dir()
    packed = any(provider.glob(f"terraform-provider-aws_{PROVIDER_VERSION}_*.zip"))
    if not (unpacked or packed):
        pytest.fail(
            f"provider mirror missing: aws {PROVIDER_VERSION} under {provider} "
            "(set TF_PLUGIN_MIRROR, see README.md)"
        )
    assert str(mirror) in Path(rc).read_text(), f"{rc} does not point at the mirror {mirror}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1", AWS_EC2_METADATA_DISABLED="true")
    return env


def run(cmd: list[str], env: dict[str, str], cwd: Path = TF_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=240, check=False
    )


def init(terraform: str, env: dict[str, str], directory: Path, name: str) -> dict[str, str]:
    env = dict(env)
    env["TF_DATA_DIR"] = str(ROOT / ".terraform-offline" / "data" / name)
    lockfile = ["-lockfile=readonly"] if (directory / ".terraform.lock.hcl").exists() else []
    done = run(
        [terraform, f"-chdir={directory}", "init", "-backend=false", "-no-color", *lockfile],
        env,
    )
    assert done.returncode == 0, f"init failed:\n{done.stdout}\n{done.stderr}"
    assert f"hashicorp/aws v{PROVIDER_VERSION}" in done.stdout
    return env


def test_fmt(terraform, offline_env):
    done = run([terraform, "fmt", "-check", "-recursive", "-diff", "."], offline_env)
    assert done.returncode == 0, f"terraform fmt would change:\n{done.stdout}{done.stderr}"


@pytest.mark.parametrize("environment", list(ENV_DIRS))
def test_init_and_validate(terraform, offline_env, environment):
    directory = ENV_DIRS[environment]
    env = init(terraform, offline_env, directory, environment)
    done = run([terraform, f"-chdir={directory}", "validate", "-json", "-no-color"], env)
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["valid"], done.stdout
    assert report["error_count"] == 0
    # Warnings (deprecations) are not tolerated either: they become errors at the next major.
    assert report["warning_count"] == 0, report["diagnostics"]


def test_module_terraform_test_with_mocked_provider(terraform, offline_env):
    """Two IAM modes applied against a mocked AWS provider: normal account vs Learner Lab."""
    env = init(terraform, offline_env, MODULE_DIR, "module")
    done = run([terraform, f"-chdir={MODULE_DIR}", "test", "-no-color"], env)
    assert done.returncode == 0, f"terraform test failed:\n{done.stdout}\n{done.stderr}"
    assert "Success! 2 passed, 0 failed." in done.stdout, done.stdout
