"""Documentation that must stay true: the ADR index is complete and every record is MADR."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADR = ROOT / "docs" / "adr"
SECTIONS = ["## Status", "## Context and Problem Statement", "## Considered Options",
            "## Decision Outcome"]


def test_every_adr_is_indexed_and_has_the_madr_sections():
    index = (ADR / "README.md").read_text()
    records = sorted(ADR.glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert records
    numbers = [r.name[:4] for r in records]
    assert len(numbers) == len(set(numbers)), "two records share a number"
    for record in records:
        assert f"]({record.name})" in index, f"{record.name} missing from docs/adr/README.md"
        text = record.read_text()
        assert text.startswith(f"# {record.name[:4]}. "), record.name
        for section in SECTIONS:
            assert section in text, (record.name, section)


def test_relative_links_in_readmes_and_docs_resolve():
    files = [*ROOT.glob("*.md"), *ROOT.glob("*/README.md"), *ROOT.glob("docs/**/*.md")]
    broken = []
    for path in files:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text()):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (path.parent / target).exists():
                broken.append(f"{path.relative_to(ROOT)} -> {target}")
    assert broken == []
