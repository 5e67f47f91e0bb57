"""Every SPARQL example runs on the release with pyoxigraph and rdflib, and both give
exactly the committed expected answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from cimo.queries import OxigraphEngine, RdflibEngine, Result, question, read_tsv
from conftest import REPO

QUERIES = sorted((REPO / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def engines(release_dir: Path) -> dict[str, object]:
    return {"oxigraph": OxigraphEngine(release_dir), "rdflib": RdflibEngine(release_dir)}


def normalized(result: Result) -> tuple[list[str], list[tuple[str, ...]]]:
    return result.variables, sorted(result.rows)


def test_there_are_at_least_twenty_examples() -> None:
    assert len(QUERIES) >= 20


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_example_gives_the_expected_answer_on_both_engines(
    engines: dict[str, OxigraphEngine | RdflibEngine], path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    assert question(text), f"{path.name} needs a '# Question:' header"
    expected = read_tsv(path.with_suffix(".tsv"))
    assert expected.rows, f"{path.name} must have a non-empty expected answer"
    answers = {name: engine.run(text) for name, engine in engines.items()}
    for name, answer in answers.items():
        assert normalized(answer) == normalized(expected), f"{name} differs on {path.name}"


def test_restriction_and_edge_forms_agree(engines: dict[str, OxigraphEngine]) -> None:
    oxigraph = engines["oxigraph"]
    pairs = [
        ("01-drugs-targeting-cd20", "02-drugs-targeting-cd20-edges"),
        ("05-drugs-for-cll-with-quote", "24-drugs-for-cll-edges"),
    ]
    for owl_form, edge_form in pairs:
        owl_rows = oxigraph.run((REPO / "queries" / f"{owl_form}.rq").read_text()).rows
        owl_labels = {row[-1] if owl_form.startswith("01") else row[0] for row in owl_rows}
        edge_rows = oxigraph.run((REPO / "queries" / f"{edge_form}.rq").read_text()).rows
        edge_labels = {row[1] for row in edge_rows}
        assert owl_labels <= edge_labels, (owl_form, owl_labels, edge_labels)
