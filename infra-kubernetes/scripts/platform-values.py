#!/usr/bin/env python3
"""Write kubernetes/overlays/<env>/platform-values.yaml from the Terraform outputs.

    terraform -chdir=terraform/environments/<env> output -json > outputs.json
    terraform -chdir=<infra-postgres>/environments/<env> output -json > postgres.json
    scripts/platform-values.py <env> outputs.json --postgres-outputs postgres.json --version <v>

Run by the deploy pipeline after `terraform apply` (it needs the real state, hence AWS).
The database secrets are infra-postgres' role secrets: oficina_app (DATABASE_URL of the app and
the outbox relay) and oficina_owner (MIGRATIONS_DATABASE_URL, the schema owner).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TEMPLATE = """\
# Written by scripts/platform-values.py from the Terraform outputs of {env}.
# local-config: used by the build, never applied.
apiVersion: v1
kind: ConfigMap
metadata:
  name: platform-values
  annotations:
    config.kubernetes.io/local-config: "true"
data:
{data}"""


APP_ROLE = "oficina_app"
OWNER_ROLE = "oficina_owner"


def values(env: str, outputs: dict, postgres: dict, version: str) -> dict[str, str]:
    def out(name: str) -> str | None:
        return outputs[name]["value"]

    issuer = out("jwt_issuer").rstrip("/")
    secrets = postgres["role_secret_arns"]["value"]
    missing = {APP_ROLE, OWNER_ROLE} - set(secrets)
    if missing:
        raise SystemExit(f"infra-postgres has no secret for {sorted(missing)}")
    region = re.match(
        r"^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):", out("target_group_arn")
    )
    if region is None:
        raise SystemExit("target_group_arn is not an ELB target group ARN")
    return {
        "ENVIRONMENT": env,
        "APP_VERSION": version,
        "AWS_REGION": region.group(1),
        # Null in the Learner Lab (no IRSA role): the learner-lab component removes the annotation.
        "APP_ROLE_ARN": out("app_irsa_role_arn") or "none",
        "RELAY_ROLE_ARN": out("relay_irsa_role_arn") or "none",
        "TARGET_GROUP_ARN": out("target_group_arn"),
        "JWT_ISSUER": issuer,
        "JWT_JWKS_URL": f"{issuer}/.well-known/jwks.json",
        "VPC_CIDR": out("vpc_cidr_block"),
        "APP_DB_SECRET": secrets[APP_ROLE],
        "MIGRATIONS_DB_SECRET": secrets[OWNER_ROLE],
        # lambda-cpf's order_events_topic_arn, passed through this folder's tfvars and output.
        "OUTBOX_TOPIC_ARN": out("order_events_topic_arn"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("env", choices=["homolog", "production"])
    parser.add_argument("outputs", type=Path, help="terraform output -json")
    parser.add_argument(
        "--postgres-outputs", type=Path, required=True, help="infra-postgres terraform output -json"
    )
    parser.add_argument("--version", required=True, help="app version (Datadog version tag)")
    parser.add_argument("--overlay-dir", type=Path, help="default: kubernetes/overlays/<env>")
    args = parser.parse_args()
    data = values(
        args.env,
        json.loads(args.outputs.read_text()),
        json.loads(args.postgres_outputs.read_text()),
        args.version,
    )
    body = "".join(f"  {k}: {json.dumps(v)}\n" for k, v in data.items())
    overlay = args.overlay_dir or ROOT / "kubernetes" / "overlays" / args.env
    target = overlay / "platform-values.yaml"
    target.write_text(TEMPLATE.format(env=args.env, data=body))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
