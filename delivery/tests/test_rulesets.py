"""Branch rules as code: the ruleset JSON of each repository, and the apply script driven
offline against a fake `gh` on PATH that records the calls and keeps GitHub's state."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from conftest import DELIVERY, DEPLOYABLE, load_workflow, run, workflows_dir

SCRIPT = DELIVERY / "scripts" / "apply_rulesets.py"
RULESETS = DELIVERY / "rulesets"


def pr_job_names(repo: str) -> list[str]:
    jobs = load_workflow(workflows_dir(repo) / "pr.yml")["jobs"]
    return [job.get("name", key) for key, job in jobs.items()]


def rules(ruleset: dict) -> dict[str, dict]:
    return {rule["type"]: rule.get("parameters", {}) for rule in ruleset["rules"]}


@pytest.mark.parametrize("repo", DEPLOYABLE)
def test_main_and_homolog_need_a_reviewed_pr_the_pr_jobs_and_no_force_push(repo):
    doc = json.loads((RULESETS / f"{repo}.json").read_text())
    assert doc["repository"] == repo
    branches = {}
    for ruleset in doc["rulesets"]:
        assert ruleset["target"] == "branch" and ruleset["enforcement"] == "active"
        assert ruleset["bypass_actors"] == [], "nobody bypasses, admins included"
        for ref in ruleset["conditions"]["ref_name"]["include"]:
            branches[ref] = rules(ruleset)
    assert set(branches) == {"refs/heads/main", "refs/heads/homolog"}
    for ref, found in branches.items():
        assert "deletion" in found and "non_fast_forward" in found, ref
        assert found["pull_request"]["required_approving_review_count"] >= 1, ref
        checks = [c["context"] for c in found["required_status_checks"]["required_status_checks"]]
        assert checks == pr_job_names(repo), f"{ref}: required checks != pr.yml job names"
        assert found["required_status_checks"]["strict_required_status_checks_policy"] is True
    # main keeps homolog's tree (merge commits): production finds what homolog verified.
    assert branches["refs/heads/main"]["pull_request"]["allowed_merge_methods"] == ["merge"]


@pytest.fixture
def fake_gh(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    gh = bindir / "gh"
    gh.write_text(f'#!/bin/sh\nexec {sys.executable} {DELIVERY / "tests" / "fake_gh.py"} "$@"\n')
    gh.chmod(0o755)
    log, state = tmp_path / "calls.jsonl", tmp_path / "state.json"
    # One repository already has an older ruleset of the same name (created by hand).
    state.write_text(
        json.dumps(
            {
                "rulesets": {"lambda-cpf": [{"id": 7, "name": "protect-main"}]},
                "users": {"alice": 501, "bob": 502},
                "branch_policies": {},
            }
        )
    )
    env = {
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_GH_LOG": str(log),
        "FAKE_GH_STATE": str(state),
        "PRODUCTION_REVIEWERS": "alice,bob",
    }
    env.pop("GH_BIN", None)

    def calls() -> list[dict]:
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return env, calls, log


def apply(env: dict, *args: str):
    result = run(
        [sys.executable, str(SCRIPT), "--owner", "oficina-org", *args], cwd=DELIVERY, env=env
    )
    assert result.returncode == 0, result.stderr
    return result


def test_apply_creates_rulesets_environments_and_the_reviewer_everywhere(fake_gh):
    env, calls, _ = fake_gh
    apply(env)
    made = calls()
    for repo in DEPLOYABLE:
        expected = json.loads((RULESETS / f"{repo}.json").read_text())["rulesets"]
        sent = [
            c
            for c in made
            if c["path"].startswith(f"/repos/oficina-org/{repo}/rulesets")
            and c["method"] in ("POST", "PUT")
        ]
        assert [c["body"] for c in sent] == expected, repo
        collab = [
            c
            for c in made
            if c["path"] == f"/repos/oficina-org/{repo}/collaborators/soat-architecture"
        ]
        assert collab == [
            {"method": "PUT", "path": collab[0]["path"], "body": {"permission": "pull"}}
        ]
        prod = next(
            c for c in made if c["path"] == f"/repos/oficina-org/{repo}/environments/production"
        )
        assert prod["method"] == "PUT"
        assert prod["body"]["reviewers"] == [
            {"type": "User", "id": 501},
            {"type": "User", "id": 502},
        ]
        assert prod["body"]["deployment_branch_policy"]["custom_branch_policies"] is True
        policies = [
            c["body"]["name"]
            for c in made
            if c["method"] == "POST"
            and "deployment-branch-policies" in c["path"]
            and f"/{repo}/" in c["path"]
        ]
        assert policies == ["homolog", "main"], repo
    # The hand-made ruleset of lambda-cpf is updated in place, not duplicated.
    assert any(
        c["method"] == "PUT" and c["path"] == "/repos/oficina-org/lambda-cpf/rulesets/7"
        for c in made
    )
    assert not [
        c
        for c in made
        if c["method"] == "POST"
        and c["path"] == "/repos/oficina-org/lambda-cpf/rulesets"
        and c["body"]["name"] == "protect-main"
    ]


def test_a_second_run_only_updates(fake_gh):
    env, calls, log = fake_gh
    apply(env)
    log.write_text("")
    apply(env)
    again = calls()
    assert not [c for c in again if c["method"] == "POST"], "idempotent: nothing created twice"
    assert len([c for c in again if "/rulesets/" in c["path"] and c["method"] == "PUT"]) == 8


def test_the_reviewer_is_a_variable(fake_gh):
    env, calls, _ = fake_gh
    apply(
        {**env, "REVIEWER": "other-reviewer", "REVIEWER_PERMISSION": "push"},
        "--repo",
        "oficina-flask",
    )
    collab = [c for c in calls() if "/collaborators/" in c["path"]]
    assert collab == [
        {
            "method": "PUT",
            "path": "/repos/oficina-org/oficina-flask/collaborators/other-reviewer",
            "body": {"permission": "push"},
        }
    ]


def test_production_without_reviewers_is_refused_and_errors_are_reported(fake_gh):
    env, _, _ = fake_gh
    result = run(
        [sys.executable, str(SCRIPT), "--owner", "o"],
        cwd=DELIVERY,
        env={**env, "PRODUCTION_REVIEWERS": ""},
    )
    assert result.returncode != 0 and "reviewer" in result.stderr
    result = run(
        [sys.executable, str(SCRIPT), "--owner", "o"],
        cwd=DELIVERY,
        env={**env, "PRODUCTION_REVIEWERS": "ghost"},
    )
    assert result.returncode != 0 and "/users/ghost failed" in result.stderr


def test_dry_run_sends_no_write(fake_gh):
    env, calls, _ = fake_gh
    out = apply(env, "--dry-run").stdout
    assert "[dry-run] POST /repos/oficina-org/oficina-flask/rulesets" in out
    assert {c["method"] for c in calls()} == {"GET"}


def test_script_lives_beside_its_rulesets():
    assert Path(SCRIPT).exists() and sorted(p.stem for p in RULESETS.glob("*.json")) == sorted(
        DEPLOYABLE
    )
