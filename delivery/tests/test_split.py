"""scripts/split-repos: the four repositories, with history, each complete on its own (README,
workflows at the root, Dockerfile where it builds one, contracts), and their own test command
passing inside the split copy (oficina-flask's and infra-postgres', the slow part)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DELIVERY, DEPLOYABLE, ROOT, run

SPLIT = ROOT / "scripts" / "split-repos"


@pytest.fixture(scope="module")
def split(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("split")
    # --include-worktree: what is on disk now, committed or not (the source is only read).
    result = run([sys.executable, str(SPLIT), str(dest), "--include-worktree"], cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for repo in DEPLOYABLE:
        assert f"{repo}: {dest / repo}" in result.stdout
    return dest


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


def tracked(repo: Path) -> set[str]:
    return set(git(repo, "ls-files").split())


@pytest.mark.parametrize("repo", DEPLOYABLE)
def test_each_repository_is_complete_at_its_root(split, repo):
    files = tracked(split / repo)
    for name in (
        "README.md",
        "Makefile",
        "pyproject.toml",
        "uv.lock",
        ".gitignore",
        ".github/workflows/pr.yml",
        ".github/workflows/deploy-homolog.yml",
        ".github/workflows/deploy-production.yml",
    ):
        assert name in files, f"{repo} lacks {name}"
    if repo in ("oficina-flask", "lambda-cpf"):
        assert "Dockerfile" in files
    # Nothing of the monorepo or of another repository.
    tops = {f.split("/")[0] for f in files}
    assert not tops & {"devstack", "delivery", "scripts/split-repos", repo, *DEPLOYABLE}
    assert (split / repo / "README.md").read_text() == (ROOT / repo / "README.md").read_text()


@pytest.mark.parametrize("repo", DEPLOYABLE)
def test_history_and_branches_come_along(split, repo):
    log = git(split / repo, "log", "--format=%s", "--", "README.md").splitlines()
    source = git(ROOT, "log", "--format=%s", "--", f"{repo}/README.md").splitlines()
    assert source and set(source) <= set(log), "the folder's commits are kept"
    assert git(split / repo, "rev-parse", "main") == git(split / repo, "rev-parse", "homolog")
    assert git(split / repo, "remote").strip() == "", "no remote back to the monorepo"


@pytest.mark.parametrize("repo", DEPLOYABLE)
def test_contracts_travel_with_each_repository(split, repo):
    for contract in (ROOT / "docs" / "contracts").glob("*.md"):
        copy = split / repo / "docs" / "contracts" / contract.name
        assert copy.read_text() == contract.read_text(), f"{repo}: {contract.name}"
    if repo != "oficina-flask":
        assert (split / repo / ".github" / "workflows" / "contracts.yml").exists()
    else:
        assert (split / repo / "docs" / "adr").is_dir(), "the system's docs live with the app"


def test_analytics_and_er_diagrams_go_to_infra_postgres(split):
    files = tracked(split / "infra-postgres")
    for folder in ("analytics-dbt", "er-diagrams"):
        if not (ROOT / folder / "Makefile").exists():
            pytest.skip(f"{folder} not there yet")
        assert f"{folder}/Makefile" in files
        assert not [f for f in files if f.startswith(f"{folder}/.github/")], (
            "nested workflows dropped"
        )
        assert f".github/workflows/{folder}.yml" in files
    for repo in ("oficina-flask", "lambda-cpf", "infra-kubernetes"):
        assert not (split / repo / "analytics-dbt").exists()


def pg_url(tmp_path_factory) -> str:
    """A server of our own so the split copies' tests never touch the shared databases."""
    if os.environ.get("DELIVERY_SPLIT_DATABASE_URL"):
        return os.environ["DELIVERY_SPLIT_DATABASE_URL"]
    import pgserver

    # Under delivery/build/ (ignored): pgserver's own user must reach the data folder, and
    # pytest's tmp folders are private to root.
    data = DELIVERY / "build" / "pgserver-split"
    data.parent.mkdir(exist_ok=True)
    server = pgserver.get_server(str(data), cleanup_mode="stop")
    return server.get_uri().replace("postgres:@", "postgres@")


@pytest.mark.slow
def test_their_own_test_commands_pass_in_the_split_copies(split, tmp_path_factory):
    """oficina-flask's and infra-postgres' `make test`, side by side, each in its split copy.

    lambda-cpf and infra-kubernetes were run the same way by hand (docs/delivery.md); running
    all four here would take this suite over its time budget.
    """
    env = {**os.environ, "TEST_DATABASE_URL": pg_url(tmp_path_factory)}
    procs = {}
    for repo in ("oficina-flask", "infra-postgres"):
        # Each Makefile bootstraps its own uv and venv from Python 3.11 alone.
        procs[repo] = subprocess.Popen(
            ["make", "test"],
            cwd=split / repo,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    failures = []
    for repo, proc in procs.items():
        out, _ = proc.communicate(timeout=480)
        tail = out[-2500:]
        if proc.returncode != 0 or " passed" not in tail:
            failures.append(f"--- {repo} (exit {proc.returncode})\n{tail}")
        else:
            print(f"{repo}: {tail.strip().splitlines()[-1]}")
    assert not failures, "\n".join(failures)
