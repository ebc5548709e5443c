#!/usr/bin/env python3
"""Build every kustomize overlay and schema-check what it renders, offline.

* built-in kinds: kubernetes-validate --strict against the target Kubernetes version;
* custom resources (External Secrets, AWS Load Balancer Controller): the strict JSON schemas in
  kubernetes/schemas/ (kubernetes-validate has no schema for CRDs and only warns about them).

Usage: scripts/validate.py [--out DIR]   (exit status 1 on any failure)
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "kubernetes"
SCHEMAS = K8S / "schemas"
KUBERNETES_VERSION = "1.31.0"
OVERLAYS = ("homolog", "production")
# Custom resource groups; every other apiVersion must be a built-in kind.
CR_SCHEMAS = {
    ("external-secrets.io/v1", "ExternalSecret"): "externalsecret-external-secrets.io-v1.json",
    ("external-secrets.io/v1", "SecretStore"): "secretstore-external-secrets.io-v1.json",
    (
        "elbv2.k8s.aws/v1beta1",
        "TargetGroupBinding",
    ): "targetgroupbinding-elbv2.k8s.aws-v1beta1.json",
}
CR_GROUPS = {api.split("/")[0] for api, _ in CR_SCHEMAS}


def kubectl() -> str:
    path = shutil.which("kubectl")
    if path is None:
        raise SystemExit("ERROR: kubectl (with kustomize) is not installed: cannot render overlays")
    return path


def build(directory: Path) -> str:
    """`kubectl kustomize DIR`, failing loudly."""
    proc = subprocess.run(
        [kubectl(), "kustomize", str(directory)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"kubectl kustomize {directory} failed:\n{proc.stderr}")
    return proc.stdout


def build_learner_lab(overlay: str) -> str:
    """An overlay plus the learner-lab component, as the README tells Learner Lab users."""
    with tempfile.TemporaryDirectory(dir=K8S) as tmp:
        rel = Path(tmp).name
        (Path(tmp) / "kustomization.yaml").write_text(
            "apiVersion: kustomize.config.k8s.io/v1beta1\n"
            "kind: Kustomization\n"
            f"resources:\n  - ../overlays/{overlay}\n"
            "components:\n  - ../components/learner-lab\n"
        )
        return build(K8S / rel)


def renders() -> dict[str, str]:
    out = {name: build(K8S / "overlays" / name) for name in OVERLAYS}
    out.update({f"{name}-learner-lab": build_learner_lab(name) for name in OVERLAYS})
    return out


def documents(text: str) -> list[dict]:
    return [d for d in yaml.safe_load_all(text) if d]


def is_custom(doc: dict) -> bool:
    return doc["apiVersion"].split("/")[0] in CR_GROUPS


def validate_builtin(path: Path) -> list[str]:
    """Run the kubernetes-validate CLI; any failure or missing schema is an error."""
    exe = Path(sys.executable).with_name("kubernetes-validate")
    proc = subprocess.run(
        [str(exe), "-k", KUBERNETES_VERSION, "--strict", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = (proc.stdout + proc.stderr).splitlines()
    errors = [line for line in lines if not line.startswith("INFO")]
    if proc.returncode != 0 and not errors:
        errors = [f"kubernetes-validate exited {proc.returncode}"]
    return errors


def validate_custom(docs: list[dict]) -> list[str]:
    errors = []
    for doc in docs:
        key = (doc["apiVersion"], doc["kind"])
        name = doc.get("metadata", {}).get("name")
        if key not in CR_SCHEMAS:
            errors.append(f"{doc['kind']}/{name}: no schema in kubernetes/schemas for {key}")
            continue
        schema = json.loads((SCHEMAS / CR_SCHEMAS[key]).read_text())
        validator = jsonschema.Draft202012Validator(schema)
        for err in validator.iter_errors(doc):
            where = "/".join(str(p) for p in err.absolute_path)
            errors.append(f"{doc['kind']}/{name}: {where}: {err.message}")
    return errors


def validate_all(out_dir: Path) -> dict[str, list[str]]:
    """Render, write <out>/<name>.yaml (all) and <name>.builtin.yaml, return errors per render."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, text in renders().items():
        docs = documents(text)
        (out_dir / f"{name}.yaml").write_text(text)
        builtin = [d for d in docs if not is_custom(d)]
        builtin_path = out_dir / f"{name}.builtin.yaml"
        builtin_path.write_text(yaml.safe_dump_all(builtin, sort_keys=False))
        results[name] = validate_builtin(builtin_path) + validate_custom(
            [d for d in docs if is_custom(d)]
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "rendered")
    args = parser.parse_args()
    failed = False
    for name, errors in validate_all(args.out).items():
        status = "FAILED" if errors else "ok"
        print(f"{name:28} {status}")
        for err in errors:
            print(f"    {err}")
        failed = failed or bool(errors)
    print(f"rendered YAML in {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
