"""The committed diagram and tables are exactly what the migrated schema produces."""

from __future__ import annotations

import psycopg2
import pytest

import generate
import pgdb


def test_committed_files_match_the_migrated_schema(migrated_url):
    diffs = generate.check(generate.outputs(migrated_url))
    assert not diffs, "run `make generate`:\n" + "\n".join(diffs)


def test_every_table_and_relationship_is_explained(tables):
    assert generate.annotation_problems(tables, generate.load_annotations()) == []


def test_readme_embeds_the_generated_diagram():
    readme = generate.README.read_text()
    assert generate.readme_block(generate.MMD.read_text()) in readme


def test_every_constraint_and_index_follows_the_naming_convention(tables):
    assert generate.naming_violations(tables) == []


def test_diagram_has_every_table_column_and_foreign_key(tables):
    mermaid = generate.MMD.read_text()
    for t in tables:
        assert f"    {t.name} {{" in mermaid
        for c in t.columns:
            assert f" {c.name}" in mermaid
        for fk in (k for k in t.constraints if k.kind == "f"):
            left, line, right = generate.cardinality(t, fk)
            assert f"{fk.ref_table} {left}{line}{right} {t.name} :" in mermaid


def _table(columns, constraints):
    return generate.Table(
        "child",
        None,
        [generate.Column(n, "uuid", nn, None, None, None, None) for n, nn in columns],
        constraints,
        [],
        [],
    )


def _fk(cols):
    return generate.Constraint("fk", "f", cols, "", "parent", ["id"])


@pytest.mark.parametrize(
    ("not_null", "unique", "in_pk", "expected"),
    [
        (True, False, False, ("||", "..", "o{")),  # mandatory parent, many children
        (False, False, False, ("|o", "..", "o{")),  # optional parent
        (True, True, False, ("||", "..", "o|")),  # one-to-one
        (True, True, True, ("||", "--", "o|")),  # identifying (FK is the PK)
    ],
)
def test_cardinality_follows_fk_nullability_and_uniqueness(not_null, unique, in_pk, expected):
    constraints = [_fk(["parent_id"])]
    pk = ["parent_id"] if in_pk else ["id"]
    constraints.append(generate.Constraint("pk", "p", pk, ""))
    if unique and not in_pk:
        constraints.append(generate.Constraint("uq", "u", ["parent_id"], ""))
    table = _table([("id", True), ("parent_id", not_null)], constraints)
    assert generate.cardinality(table, constraints[0]) == expected


def test_a_schema_change_is_detected():
    """A migration that adds a column, or a table nobody explained, fails the check."""
    with pgdb.scratch_database("drift") as url:
        conn = psycopg2.connect(url)
        conn.autocommit = True
        conn.cursor().execute("ALTER TABLE vehicles ADD COLUMN color varchar(20)")
        diffs = generate.check(generate.outputs(url))
        assert any("+        varchar(20) color" in d for d in diffs)
        conn.cursor().execute(
            "CREATE TABLE pk_less (id uuid PRIMARY KEY, vehicle_id uuid REFERENCES vehicles)"
        )
        conn.close()
        with pytest.raises(SystemExit, match="table pk_less has neither a COMMENT"):
            generate.outputs(url)
