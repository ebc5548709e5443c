#!/usr/bin/env python3
"""A stand-in for `gh` on PATH: records every `gh api` call and answers from a state file.

FAKE_GH_LOG: JSON lines {method, path, body} appended per call.
FAKE_GH_STATE: JSON {"rulesets": {repo: [{id, name}]}, "users": {login: id},
                     "branch_policies": {"repo/env": [names]}} that the fake updates, so a
second run sees what the first one created (as GitHub would).
"""

import json
import os
import re
import sys


def main() -> int:
    args = sys.argv[1:]
    if not args or args[0] != "api":
        print(f"fake gh: only `gh api` is supported, got {args}", file=sys.stderr)
        return 2
    method, path, body = "GET", None, None
    i = 1
    while i < len(args):
        if args[i] in ("--method", "-X"):
            method = args[i + 1]
            i += 2
        elif args[i] == "-H":
            assert args[i + 1] in (
                "Accept: application/vnd.github+json",
                "X-GitHub-Api-Version: 2022-11-28",
            ), args[i + 1]
            i += 2
        elif args[i] == "--input":
            assert args[i + 1] == "-"
            body = json.loads(sys.stdin.read())
            i += 2
        elif path is None:
            path = args[i]
            i += 1
        else:
            print(f"fake gh: unexpected argument {args[i]}", file=sys.stderr)
            return 2
    with open(os.environ["FAKE_GH_LOG"], "a") as log:
        log.write(json.dumps({"method": method, "path": path, "body": body}) + "\n")
    state_file = os.environ["FAKE_GH_STATE"]
    state = json.load(open(state_file))
    out: object = {}
    if m := re.fullmatch(r"/repos/([^/]+)/([^/]+)/rulesets(\?.*)?", path):
        repo = m.group(2)
        rulesets = state["rulesets"].setdefault(repo, [])
        if method == "GET":
            out = rulesets
        elif method == "POST":
            new = {
                "id": 1000 + sum(len(v) for v in state["rulesets"].values()),
                "name": body["name"],
            }
            rulesets.append(new)
            out = new
    elif m := re.fullmatch(r"/users/([^/]+)", path):
        if m.group(1) not in state["users"]:
            print('{"message":"Not Found","status":"404"}')
            print("gh: Not Found (HTTP 404)", file=sys.stderr)
            return 1
        out = {"login": m.group(1), "id": state["users"][m.group(1)]}
    elif m := re.fullmatch(
        r"/repos/[^/]+/([^/]+)/environments/([^/]+)/deployment-branch-policies", path
    ):
        key = f"{m.group(1)}/{m.group(2)}"
        names = state["branch_policies"].setdefault(key, [])
        if method == "GET":
            out = {"total_count": len(names), "branch_policies": [{"name": n} for n in names]}
        else:
            names.append(body["name"])
            out = {"name": body["name"]}
    json.dump(state, open(state_file, "w"))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
