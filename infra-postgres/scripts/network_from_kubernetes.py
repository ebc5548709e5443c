"""Fill this repository's network variables from infra-kubernetes' Terraform outputs.

    python scripts/network_from_kubernetes.py homolog [--kubernetes-dir DIR]

Runs `terraform output -json` in the infra-kubernetes environment root (default: the sibling
checkout ../infra-kubernetes/terraform/environments/<env>, already initialised against its
state) and writes environments/<env>/network.auto.tfvars.json (git-ignored), which terraform
loads automatically. Output names can be overridden if infra-kubernetes names them differently.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUTS = {
    "vpc_id": "vpc_id",
    "private_subnet_ids": "private_subnet_ids",
    "app_security_group_ids": "cluster_security_group_id",
}


def read_outputs(directory: Path) -> dict[str, object]:
    result = subprocess.run(
        ["terraform", f"-chdir={directory}", "output", "-json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"terraform output failed in {directory}:\n{result.stderr}")
    return {name: item["value"] for name, item in json.loads(result.stdout).items()}


def network_tfvars(outputs: dict[str, object], names: dict[str, str]) -> dict[str, object]:
    missing = [out for out in names.values() if out not in outputs]
    if missing:
        raise SystemExit(
            f"infra-kubernetes has no output(s) {missing}; available: {sorted(outputs)}"
        )
    values = {var: outputs[out] for var, out in names.items()}
    sgs = values["app_security_group_ids"]
    values["app_security_group_ids"] = sgs if isinstance(sgs, list) else [sgs]
    if not isinstance(values["private_subnet_ids"], list) or len(values["private_subnet_ids"]) < 2:
        raise SystemExit("private_subnet_ids must be a list of at least two subnets")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("environment", choices=["homolog", "production"])
    parser.add_argument("--kubernetes-dir", type=Path)
    parser.add_argument(
        "--output", type=Path, help="default: environments/<env>/network.auto.tfvars.json"
    )
    for var, default in DEFAULT_OUTPUTS.items():
        parser.add_argument(f"--{var.replace('_', '-')}-output", default=default, dest=var)
    args = parser.parse_args(argv)
    directory = args.kubernetes_dir or (
        ROOT.parent / "infra-kubernetes" / "terraform" / "environments" / args.environment
    )
    names = {var: getattr(args, var) for var in DEFAULT_OUTPUTS}
    values = network_tfvars(read_outputs(directory), names)
    target = args.output or ROOT / "environments" / args.environment / "network.auto.tfvars.json"
    target.write_text(json.dumps(values, indent=2) + "\n")
    print(f"wrote {target} from {directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
