"""The evidence script runs end to end, and the committed evidence and README cover every index."""

from __future__ import annotations

import re

import pytest

import evidence
import generate
import pgdb
from queries import QUERIES

EVIDENCE = generate.ROOT / "evidence"


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("evidence")
    with pgdb.scratch_database("evtest") as url:
        results = evidence.run(url, 1500, out)
    return out, results


def test_evidence_script_explains_every_query_on_a_small_data_set(small_run):
    out, results = small_run
    assert [q.name for q, _ in results] == [q.name for q in QUERIES]
    for query, plan in results:
        assert "Execution Time" in plan, query.name
        assert (out / f"{query.name}.txt").read_text().count("Planning Time") == 1
    usage = (out / "index_usage.txt").read_text()
    assert "ix_service_orders_active_queue" in usage
    assert "rows (estimate)" in (out / "dataset.txt").read_text()


def test_committed_evidence_has_one_file_per_query():
    committed = {p.stem for p in EVIDENCE.glob("*.txt")} - {"dataset", "index_usage"}
    assert committed == {q.name for q in QUERIES}
    for q in QUERIES:
        text = (EVIDENCE / f"{q.name}.txt").read_text()
        assert "Execution Time" in text
        if q.index:
            assert "used by this plan: yes" in text or "used by this plan: NO" in text


def test_committed_evidence_lists_every_index(tables):
    usage = (EVIDENCE / "index_usage.txt").read_text()
    for t in tables:
        for i in t.indexes:
            assert re.search(rf"\b{i.name}\b", usage), f"{i.name} missing: run `make evidence`"


def test_readme_justifies_every_index(tables):
    readme = generate.README.read_text()
    section = readme.split("## Indexes", 1)[1].split("\n## ", 1)[0]
    for t in tables:
        for i in t.indexes:
            assert f"`{i.name}`" in section, f"README.md does not justify {i.name}"
