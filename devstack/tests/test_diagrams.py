"""Every Mermaid diagram in the docs and READMEs renders (mermaid-cli with Debian's Chromium).

Uses er-diagrams' pinned mermaid-cli (installed by `make e2e`); a broken diagram fails here
instead of on the reader's screen.
"""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MMDC = ROOT / "er-diagrams" / "node_modules" / ".bin" / "mmdc"
PUPPETEER = ROOT / "er-diagrams" / "puppeteer.json"
BLOCK = re.compile(r"```mermaid\n(.*?)```", re.S)


def documents_with_diagrams():
    candidates = [*ROOT.glob("*.md"), *ROOT.glob("*/README.md"), *ROOT.glob("*/*/README.md"),
                  *ROOT.glob("docs/**/*.md")]
    tracked = set(subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout.split())
    return sorted(p for p in set(candidates)
                  if str(p.relative_to(ROOT)) in tracked and BLOCK.search(p.read_text()))


@pytest.mark.parametrize("document", documents_with_diagrams(),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_mermaid_block_renders(document, tmp_path):
    blocks = BLOCK.findall(document.read_text())
    for number, block in enumerate(blocks, 1):
        source = tmp_path / f"diagram-{number}.mmd"
        source.write_text(block)
        result = subprocess.run(
            [str(MMDC), "-q", "-p", str(PUPPETEER), "-i", str(source),
             "-o", str(tmp_path / f"diagram-{number}.svg")],
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"diagram {number}: {result.stderr[-1500:]}"
        assert "<svg" in (tmp_path / f"diagram-{number}.svg").read_text()
