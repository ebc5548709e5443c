"""Parsed HCL (python-hcl2) of a Terraform directory, flattened for policy tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import hcl2
from hcl2 import SerializationOptions

OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False)


@dataclass
class Config:
    resources: dict[str, dict[str, dict]] = field(default_factory=dict)
    modules: dict[str, dict] = field(default_factory=dict)
    variables: dict[str, dict] = field(default_factory=dict)
    locals: dict[str, object] = field(default_factory=dict)
    terraform: list[dict] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def resource(self, rtype: str) -> dict[str, dict]:
        return self.resources.get(rtype, {})


def load(directory: Path) -> Config:
    cfg = Config()
    for path in sorted(directory.glob("*.tf")):
        text = path.read_text()
        cfg.sources[path.name] = text
        with path.open() as fh:
            doc = hcl2.load(fh, serialization_options=OPTIONS)
        for block in doc.get("resource", []):
            for rtype, named in block.items():
                cfg.resources.setdefault(rtype, {}).update(named)
        for block in doc.get("module", []):
            cfg.modules.update(block)
        for block in doc.get("variable", []):
            cfg.variables.update(block)
        for block in doc.get("locals", []):
            cfg.locals.update({k: v for k, v in block.items() if not k.startswith("__")})
        cfg.terraform.extend(doc.get("terraform", []))
    return cfg


def load_tfvars(path: Path) -> dict:
    with path.open() as fh:
        return hcl2.load(fh, serialization_options=OPTIONS)


def for_each_keys(cfg: Config, body: dict) -> list[str]:
    """Keys of a `for_each = toset(local.NAME)` over a literal list in locals."""
    expr = body.get("for_each", "")
    match = re.fullmatch(r"\$\{toset\(local\.(\w+)\)\}", str(expr))
    assert match, f"unexpected for_each {expr!r}"
    value = cfg.locals[match.group(1)]
    assert isinstance(value, list), value
    return value


def one(value):
    """A nested block: python-hcl2 gives a list of bodies; these tests expect exactly one."""
    if isinstance(value, list):
        assert len(value) == 1, value
        return value[0]
    return value
