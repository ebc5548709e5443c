#!/usr/bin/env python3
"""Apply the branch rulesets, the deploy environments and the reviewer to every repository.

Idempotent: a ruleset is matched by name (created with POST, updated with PUT); environments
are PUT; the reviewer is invited as a collaborator (PUT, a no-op when already there). Every call
goes through `gh api` (GitHub CLI, authenticated with `gh auth login` or GH_TOKEN as an
organisation admin); nothing else talks to GitHub.

    delivery/scripts/apply_rulesets.py --owner my-org                 # all four repositories
    delivery/scripts/apply_rulesets.py --owner my-org --repo lambda-cpf --dry-run
    REVIEWER=soat-architecture PRODUCTION_REVIEWERS=alice,bob \
        delivery/scripts/apply_rulesets.py --owner my-org
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

RULESETS = Path(__file__).resolve().parent.parent / "rulesets"
REPOSITORIES = ("oficina-flask", "lambda-cpf", "infra-postgres", "infra-kubernetes")
DEFAULT_REVIEWER = "soat-architecture"


class GitHub:
    """`gh api` calls; in dry-run mode, writes are printed instead of sent."""

    def __init__(self, gh: str = "gh", dry_run: bool = False) -> None:
        self.gh = gh
        self.dry_run = dry_run

    def call(self, method: str, path: str, body: dict | None = None) -> object:
        if self.dry_run and method != "GET":
            print(f"[dry-run] {method} {path} {json.dumps(body, sort_keys=True) if body else ''}")
            return {}
        args = [
            self.gh,
            "api",
            "--method",
            method,
            path,
            "-H",
            "Accept: application/vnd.github+json",
            "-H",
            "X-GitHub-Api-Version: 2022-11-28",
        ]
        if body is not None:
            args += ["--input", "-"]
        run = subprocess.run(
            args,
            input=json.dumps(body) if body is not None else None,
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            raise SystemExit(
                f"gh api {method} {path} failed: {run.stderr.strip() or run.stdout.strip()}"
            )
        return json.loads(run.stdout) if run.stdout.strip() else {}


def load(repo: str) -> dict:
    doc = json.loads((RULESETS / f"{repo}.json").read_text())
    if doc["repository"] != repo:
        raise SystemExit(f"{repo}.json describes {doc['repository']}")
    return doc


def apply_rulesets(gh: GitHub, owner: str, repo: str) -> None:
    existing = gh.call("GET", f"/repos/{owner}/{repo}/rulesets?includes_parents=false&per_page=100")
    by_name = {r["name"]: r["id"] for r in existing} if isinstance(existing, list) else {}
    for ruleset in load(repo)["rulesets"]:
        if ruleset["name"] in by_name:
            gh.call("PUT", f"/repos/{owner}/{repo}/rulesets/{by_name[ruleset['name']]}", ruleset)
            print(f"{owner}/{repo}: ruleset {ruleset['name']} updated")
        else:
            gh.call("POST", f"/repos/{owner}/{repo}/rulesets", ruleset)
            print(f"{owner}/{repo}: ruleset {ruleset['name']} created")


def apply_environments(gh: GitHub, owner: str, repo: str, production_reviewers: list[str]) -> None:
    """homolog deploys from the homolog branch only; production from main only, with reviewers."""
    reviewers = []
    for login in production_reviewers:
        user = gh.call("GET", f"/users/{login}")
        reviewers.append({"type": "User", "id": user["id"]})
    policy = {"protected_branches": False, "custom_branch_policies": True}
    for env, branch, body in (
        ("homolog", "homolog", {"deployment_branch_policy": policy}),
        (
            "production",
            "main",
            {
                "deployment_branch_policy": policy,
                "reviewers": reviewers,
                "prevent_self_review": True,
                "wait_timer": 0,
            },
        ),
    ):
        if env == "production" and not reviewers:
            raise SystemExit("production needs at least one reviewer (PRODUCTION_REVIEWERS)")
        gh.call("PUT", f"/repos/{owner}/{repo}/environments/{env}", body)
        current = gh.call(
            "GET", f"/repos/{owner}/{repo}/environments/{env}/deployment-branch-policies"
        )
        names = (
            {p["name"] for p in current.get("branch_policies", [])}
            if isinstance(current, dict)
            else set()
        )
        if branch not in names:
            gh.call(
                "POST",
                f"/repos/{owner}/{repo}/environments/{env}/deployment-branch-policies",
                {"name": branch, "type": "branch"},
            )
        print(f"{owner}/{repo}: environment {env} (deploys from {branch})")


def add_reviewer(gh: GitHub, owner: str, repo: str, reviewer: str, permission: str) -> None:
    gh.call("PUT", f"/repos/{owner}/{repo}/collaborators/{reviewer}", {"permission": permission})
    print(f"{owner}/{repo}: {reviewer} invited ({permission})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--owner", default=os.environ.get("GITHUB_OWNER"), required="GITHUB_OWNER" not in os.environ
    )
    parser.add_argument("--repo", action="append", choices=REPOSITORIES, help="default: all four")
    parser.add_argument(
        "--reviewer",
        default=os.environ.get("REVIEWER", DEFAULT_REVIEWER),
        help=f"account given access to every repository (default {DEFAULT_REVIEWER})",
    )
    parser.add_argument(
        "--reviewer-permission",
        default=os.environ.get("REVIEWER_PERMISSION", "pull"),
        choices=("pull", "triage", "push"),
        help="pull (read) lets them review; push makes their approval count",
    )
    parser.add_argument(
        "--production-reviewers",
        default=os.environ.get("PRODUCTION_REVIEWERS", ""),
        help="comma-separated logins required to approve production deploys",
    )
    parser.add_argument("--gh", default=os.environ.get("GH_BIN", "gh"))
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    gh = GitHub(args.gh, args.dry_run)
    production_reviewers = [r for r in args.production_reviewers.split(",") if r]
    for repo in args.repo or REPOSITORIES:
        apply_rulesets(gh, args.owner, repo)
        apply_environments(gh, args.owner, repo, production_reviewers)
        add_reviewer(gh, args.owner, repo, args.reviewer, args.reviewer_permission)
    return 0


if __name__ == "__main__":
    sys.exit(main())
