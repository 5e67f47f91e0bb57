"""Each kind of bad input fails the build with the file, line or term, and the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cimo.paths import ProjectPaths
from conftest import FIXTURES, place_release, run_cimo

# case -> fragments the error output must contain (file, line, term, fix).
CASES = {
    "malformed_turtle": ["zz-bad.ttl:8", "fix: correct the Turtle syntax"],
    "undefined_prefix": ["zz-bad.ttl:8", 'Prefix "foo:" not bound', "fix: declare the prefix"],
    "no_label": ["zz-bad.ttl:6", "[CIMO:0000900]", "has no rdfs:label", "fix: add exactly one"],
    "two_labels": ["zz-bad.ttl:6", "[CIMO:0000900]", "has 2 labels", "fix: keep one rdfs:label"],
    "duplicate_label": [
        "zz-bad.ttl",
        "'rituximab' is shared by CIMO:0000110, CIMO:0000900",
        "fix: labels are unique",
    ],
    "malformed_id": [
        "zz-bad.ttl:6",
        "malformed CIMO IRI",
        "CIMO_000090>",
        "fix: term IRIs are https://w3id.org/cimo/CIMO_ plus exactly 7 digits",
    ],
    "duplicate_id": [
        "CIMO:0000110 is declared in several modules (drug.ttl, zz-bad.ttl)",
        "fix: keep the term in one module",
    ],
    "undeclared_reference": [
        "zz-bad.ttl:10",
        "CIMO:0000901 is used but never declared",
        "fix: declare it",
    ],
    "ledger_missing": [
        "ontology/id-ledger.tsv:",
        "CIMO:0000900 (fixture term) is in the ledger but missing from the source",
        "fix: IDs are never deleted",
    ],
    "unsatisfiable": [
        "stage 'reason'",
        "CIMO_0000900 (fixture drug therapy)",
        "unsatisfiable",
        "fix: check its superclasses",
    ],
    "missing_definition": ["stage 'qc'", "missing_definition", "[CIMO:0000900]"],
    "inferred_equivalence": [
        "stage 'qc'",
        "[CIMO:0000900] inferred_equivalence: inferred equivalent to CIMO:0000076",
    ],
    "bad_quote": [
        "stage 'evidence'",
        "zz-bad.ttl:19",
        "[CIMO:0000900]",
        "is not verbatim in 001_d5bad353f62f1531.txt",
        "fix: copy the quote exactly",
    ],
}


def apply_fixture(project: ProjectPaths, case: str) -> None:
    fixture = FIXTURES / "bad" / case
    for path in fixture.rglob("*"):
        if path.is_file() and path.name != "ledger-append.tsv":
            target = project.root / path.relative_to(fixture)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    ledger_rows = fixture / "ledger-append.tsv"
    if ledger_rows.exists():
        with project.ledger.open("a", encoding="utf-8") as handle:
            handle.write(ledger_rows.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_fails_with_a_located_message(project: ProjectPaths, case: str) -> None:
    if case == "bad_quote" and not project.seeds.is_dir():
        pytest.fail("the source documents (../shared/seeds) are needed to check quotes")
    apply_fixture(project, case)
    result = run_cimo("build", cwd=project.root)
    assert result.returncode == 1, result.stdout + result.stderr
    for fragment in CASES[case]:
        assert fragment in result.stderr, f"{fragment!r} not in:\n{result.stderr}"
    assert "Traceback" not in result.stderr


def test_every_fixture_has_a_case() -> None:
    assert {p.name for p in (FIXTURES / "bad").iterdir()} == set(CASES)


def test_failed_build_leaves_previous_build_untouched(
    project: ProjectPaths, release_dir: Path
) -> None:
    place_release(release_dir, project)
    before = {p: p.read_bytes() for p in project.build.rglob("*") if p.is_file()}
    apply_fixture(project, "malformed_turtle")
    bad = run_cimo("build", cwd=project.root)
    assert bad.returncode == 1
    assert "zz-bad.ttl" in bad.stderr
    after = {p: p.read_bytes() for p in project.build.rglob("*") if p.is_file()}
    assert after == before
    leftovers = [p.name for p in Path(project.root).iterdir() if p.name.startswith(".build")]
    assert leftovers == []
