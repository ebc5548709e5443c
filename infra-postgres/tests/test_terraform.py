"""Real terraform, offline: fmt -check, then init -backend=false + validate of every environment
with providers installed only from the local mirror (TOOLCHAIN.md). Missing terraform or mirror is
a failure, never a skip."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ENV_DIRS, ENVIRONMENTS, MODULE_DIR, ROOT

PROVIDER_VERSION = "5.100.0"


@pytest.fixture(scope="session")
def terraform() -> str:
    binary = shutil.which("terraform")
    if not binary:
        pytest.fail(
            "terraform is not installed (needs >= 1.11): cannot validate the Terraform code"
        )
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
    provider = mirror / "registry.terraform.io" / "hashicorp" / "aws" / PROVIDER_VERSION
    if not provider.is_dir():
        pytest.fail(f"provider mirror missing: {provider} (set TF_PLUGIN_MIRROR, see README.md)")
    assert str(mirror) in Path(rc).read_text(), f"{rc} does not point at the mirror {mirror}"
    env = dict(os.environ)
    env["TF_IN_AUTOMATION"] = "1"
    env["CHECKPOINT_DISABLE"] = "1"
    return env


def run(cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=240, check=False
    )


def test_terraform_version_supports_write_only_arguments(terraform: str) -> None:
    out = subprocess.run(
        [terraform, "version", "-json"], capture_output=True, text=True, check=True
    ).stdout
    major, minor, *_ = (int(x) for x in json.loads(out)["terraform_version"].split("."))
    assert (major, minor) >= (1, 11)


def test_fmt(terraform: str, offline_env: dict[str, str]) -> None:
    result = run([terraform, "fmt", "-check", "-recursive", "-diff", "."], offline_env)
    assert result.returncode == 0, f"terraform fmt would change:\n{result.stdout}{result.stderr}"


def init(terraform: str, env: dict[str, str], directory: Path, name: str) -> dict[str, str]:
    env = dict(env)
    env["TF_DATA_DIR"] = str(ROOT / ".terraform-offline" / "data" / name)
    lockfile = ["-lockfile=readonly"] if (directory / ".terraform.lock.hcl").exists() else []
    done = run(
        [
            terraform,
            f"-chdir={directory}",
            "init",
            "-backend=false",
            "-input=false",
            "-no-color",
            *lockfile,
        ],
        env,
    )
    assert done.returncode == 0, f"init failed:\n{done.stdout}\n{done.stderr}"
    assert f"hashicorp/aws v{PROVIDER_VERSION}" in done.stdout
    return env


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_init_and_validate(terraform: str, offline_env: dict[str, str], environment: str) -> None:
    directory = ENV_DIRS[environment]
    env = init(terraform, offline_env, directory, environment)
    validate = run([terraform, f"-chdir={directory}", "validate", "-json", "-no-color"], env)
    report = json.loads(validate.stdout)
    assert validate.returncode == 0 and report["valid"], validate.stdout
    assert report["error_count"] == 0
    # Warnings (deprecations) are not tolerated either: they become errors at the next major.
    assert report["warning_count"] == 0, report["diagnostics"]


@pytest.fixture(scope="session")
def secretsmanager_endpoint() -> Iterator[str]:
    """moto's Secrets Manager: the ephemeral random password is opened even during a plan."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


TERRAFORM_TESTS = {
    "module": MODULE_DIR,
    **{env: ENV_DIRS[env] for env in ENVIRONMENTS},
}


@pytest.mark.parametrize("name", list(TERRAFORM_TESTS))
def test_terraform_test_plans_offline(
    terraform: str, offline_env: dict[str, str], secretsmanager_endpoint: str, name: str
) -> None:
    """`terraform test`: real provider, fake credentials, plan only; every run block must pass."""
    directory = TERRAFORM_TESTS[name]
    env = init(terraform, offline_env, directory, name)
    for key in list(env):
        if key.startswith("AWS_"):
            del env[key]
    env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = secretsmanager_endpoint
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    runs = sum(
        len(re.findall(r'^run "', path.read_text(), flags=re.MULTILINE))
        for path in (directory / "tests").glob("*.tftest.hcl")
    )
    assert runs >= 2
    done = run([terraform, f"-chdir={directory}", "test", "-no-color"], env)
    assert done.returncode == 0, f"terraform test failed:\n{done.stdout}\n{done.stderr}"
    assert f"Success! {runs} passed, 0 failed." in done.stdout, done.stdout
