"""docs/delivery.md and the delivery ADRs say what the checks check."""

from __future__ import annotations

import re

import pytest
from conftest import DEPLOYABLE, ROOT

DOC = ROOT / "docs" / "delivery.md"
ADRS = ("0027", "0028", "0029")


def test_delivery_doc_has_the_branch_model_flow_roles_and_setup():
    text = DOC.read_text()
    for heading in (
        "## Branch model",
        "## The promotion flow",
        "## Secrets, variables and OIDC roles",
        "## From zero to a running system",
        "### AWS Academy Learner Lab",
    ):
        assert heading in text, heading
    assert re.search(r"```mermaid\nflowchart", text)
    assert "repo:ORG/R:environment:production" in text and "repo:ORG/R:pull_request" in text
    # Every variable a workflow reads is documented.
    used = set()
    for folder in DEPLOYABLE:
        for path in (ROOT / folder / ".github" / "workflows").glob("*.yml"):
            used |= set(re.findall(r"vars\.([A-Z_]+)", path.read_text()))
            used |= {s for s in re.findall(r"secrets\.([A-Z_]+)", path.read_text())}
    missing = sorted(v for v in used if f"`{v}`" not in text)
    assert not missing, missing


@pytest.mark.parametrize("number", ADRS)
def test_delivery_adrs_are_madr(number):
    (path,) = (ROOT / "docs" / "adr").glob(f"{number}-*.md")
    text = path.read_text()
    assert text.startswith(f"# {number}. ")
    for section in (
        "## Status",
        "## Context and Problem Statement",
        "## Considered Options",
        "## Decision Outcome",
        "### Consequences",
    ):
        assert section in text, (path.name, section)
