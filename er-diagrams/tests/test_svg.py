"""schema.mmd renders with mermaid-cli and Debian's Chromium (SVGs are never byte-compared)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import generate

ROOT = generate.ROOT
MMDC = ROOT / "node_modules/.bin/mmdc"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PUPPETEER_CONFIG = Path(os.environ.get("PUPPETEER_CONFIG", ROOT / "puppeteer.json"))


def _require_renderer():
    if os.environ.get("ER_DIAGRAMS_SKIP_SVG") == "1":
        pytest.skip("ER_DIAGRAMS_SKIP_SVG=1: SVG rendering NOT checked")
    problems = []
    if not MMDC.exists():
        problems.append(f"{MMDC} missing (make node_modules/.installed)")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        problems.append(f"{CHROMIUM} missing (apt-get install -y chromium)")
    if problems:
        pytest.fail("; ".join(problems) + " — or set ER_DIAGRAMS_SKIP_SVG=1 to skip explicitly")


def test_schema_renders_to_svg_without_error(tmp_path, tables):
    _require_renderer()
    out = tmp_path / "schema.svg"
    result = subprocess.run(
        [
            str(MMDC),
            "-q",
            "-p",
            str(ROOT / PUPPETEER_CONFIG),
            "-i",
            str(generate.MMD),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    svg = out.read_text()
    assert svg.startswith("<svg") and 'aria-roledescription="er"' in svg
    assert "Syntax error" not in svg
    for t in tables:
        assert f">{t.name}<" in svg or f"{t.name}</" in svg, t.name


def test_committed_svg_shows_every_current_table(tables):
    svg = (ROOT / "schema.svg").read_text()
    assert 'aria-roledescription="er"' in svg
    missing = [t.name for t in tables if t.name not in svg]
    assert not missing, f"schema.svg is stale (run `make render`): {missing}"
