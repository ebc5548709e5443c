"""Build a reproducible AWS Lambda zip (python3.11, x86_64) from manylinux wheels.

Steps: ``uv export`` the locked runtime dependencies (hashes included); ``pip install``
them for ``manylinux_2_26_x86_64`` (+ ``manylinux2014``) / CPython 3.11 with
``--only-binary=:all:`` into a staging folder; copy ``src/auth_cpf`` and ``src/oficina_notify``
(both functions, one zip, two handlers); compile bytecode with hash-based (not mtime-based)
``.pyc`` and ``/var/task`` as the recorded path; write the zip with sorted entries, fixed
timestamps and fixed permissions. The same lock gives the same bytes.

boto3 and its dependencies are left out: the Lambda python3.11 runtime (and the
public.ecr.aws/lambda/python:3.11 image) ship them, and only the Secrets Manager key loading
uses them.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV = ROOT / ".tools" / "bin" / "uv"
PIP = ROOT / ".tools" / "bin" / "pip"
RUNTIME_PROVIDED = ["boto3", "botocore", "s3transfer", "python-dateutil", "six", "urllib3"]
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Console scripts carry the build machine's interpreter path in their shebang: not needed.
SKIP_TOP = {"bin"}


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, cwd=ROOT, **kwargs)


def export_requirements(target: Path) -> None:
    cmd = [
        str(UV),
        "export",
        "--frozen",
        "--no-dev",
        "--no-emit-project",
        "--format",
        "requirements-txt",
        "--no-header",
        "-o",
        str(target),
        "--quiet",
    ]
    for name in RUNTIME_PROVIDED:
        cmd += ["--no-emit-package", name]
    _run(cmd)


def install_wheels(requirements: Path, staging: Path) -> None:
    # The python3.11 Lambda runtime is Amazon Linux 2 (glibc 2.26): manylinux_2_26 and older
    # (manylinux2014 = 2_17) wheels run there. argon2-cffi-bindings 26 ships manylinux_2_26
    # wheels only. pip (from .tools) is used here because uv has no manylinux_2_26 target.
    _run(
        [
            str(PIP),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            str(staging),
            "--platform",
            "manylinux_2_26_x86_64",
            "--platform",
            "manylinux2014_x86_64",
            "--implementation",
            "cp",
            "--python-version",
            "3.11",
            "--abi",
            "cp311",
            "--abi",
            "abi3",
            "--abi",
            "none",
            "--only-binary=:all:",
            "--no-deps",
            "--require-hashes",
            "--no-compile",
            "-r",
            str(requirements),
        ],
        env=_pip_env(),
    )


def _pip_env() -> dict[str, str]:
    """pip sees PyPI only: no machine-local config, indexes or find-links (hashes pin files)."""
    keep = {"PIP_CERT", "PIP_DEFAULT_TIMEOUT"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") or k in keep}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


# Both functions ship in the same zip (one artifact, two handlers; see README "Layout").
PACKAGES = ("auth_cpf", "oficina_notify")


def copy_source(staging: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / "src" / package,
            staging / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )


def compile_bytecode(staging: Path) -> None:
    if sys.version_info[:2] != (3, 11):  # pragma: no cover - the project pins 3.11
        print("warning: not Python 3.11, skipping .pyc (cold starts will be slower)")
        return
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "--invalidation-mode",
            "unchecked-hash",
            "-s",
            str(staging),
            "-p",
            "/var/task",
            str(staging),
        ],
        check=True,
        env=env,
    )


def write_zip(staging: Path, out: Path) -> None:
    """Deterministic zip: sorted entries, fixed mtime and modes, no directory entries."""
    files = sorted(
        p
        for p in staging.rglob("*")
        if p.is_file() and p.relative_to(staging).parts[0] not in SKIP_TOP
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            name = path.relative_to(staging).as_posix()
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so external_attr is read as a mode
            mode = 0o755 if os.access(path, os.X_OK) and path.suffix == ".so" else 0o644
            info.external_attr = (0o100000 | mode) << 16
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    tmp.replace(out)


def build(out: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="lambda-cpf-build-") as tmp:
        work = Path(tmp)
        requirements = work / "requirements.txt"
        staging = work / "package"
        export_requirements(requirements)
        install_wheels(requirements, staging)
        copy_source(staging)
        compile_bytecode(staging)
        write_zip(staging, out)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="build the Lambda zip")
    parser.add_argument("--out", default="dist/lambda-cpf.zip")
    parser.add_argument(
        "--requirements",
        metavar="PATH",
        help="only write the locked runtime requirements (for the Dockerfile)",
    )
    args = parser.parse_args(argv)
    if args.requirements:
        export_requirements((ROOT / args.requirements).resolve())
        print(f"wrote {args.requirements}")
        return 0
    out = (ROOT / args.out).resolve()
    digest = build(out)
    size = out.stat().st_size
    print(f"{out.relative_to(ROOT)}: {size} bytes ({size / 1_048_576:.1f} MiB), sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
