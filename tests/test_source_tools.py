"""`cimo fmt` keeps modules canonical; `cimo new-term` mints IDs through the ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from cimo import fmt, turtle
from cimo.errors import BuildError
from cimo.export.canonical import ntriples
from cimo.ledger import read_ledger
from cimo.paths import ProjectPaths
from cimo.pipeline.load import parse_module
from conftest import REPO, run_cimo


def test_committed_modules_are_in_canonical_form() -> None:
    result = run_cimo("fmt", "--check")
    assert result.returncode == 0, result.stderr


def test_fmt_check_fails_on_a_reordered_module_and_fmt_repairs_it(project: ProjectPaths) -> None:
    module = project.ontology / "disease.ttl"
    lines = module.read_text().splitlines(keepends=True)
    prefixes = [line for line in lines if line.startswith("@prefix")]
    body = [line for line in lines if not line.startswith("@prefix")]
    module.write_text("".join(reversed(prefixes)) + "".join(body))
    check = run_cimo("fmt", "--check", cwd=project.root)
    assert check.returncode == 1
    assert "disease.ttl: not in canonical form" in check.stderr
    assert run_cimo("fmt", cwd=project.root).returncode == 0
    assert run_cimo("fmt", "--check", cwd=project.root).returncode == 0


@pytest.mark.slow
def test_new_term_mints_the_next_id_and_the_build_accepts_it(project: ProjectPaths) -> None:
    before = read_ledger(project.ledger)
    highest = max(int(e.id[5:]) for e in before)
    result = run_cimo(
        "new-term",
        "--module",
        "disease",
        "--label",
        "myeloproliferative neoplasm",
        "--definition",
        "A blood cancer in which the marrow makes too many cells.",
        "--parent",
        "CIMO:0000142",
        "--source",
        "CIMO curators",
        cwd=project.root,
    )
    assert result.returncode == 0, result.stderr
    new_id = f"CIMO:{highest + 1:07d}"
    assert result.stdout.strip() == new_id
    after = read_ledger(project.ledger)
    assert after[-1].id == f"CIMO_{highest + 1:07d}" and after[-1].status == "active"
    graph = Graph().parse(project.ontology / "disease.ttl")
    iri = URIRef(f"https://w3id.org/cimo/CIMO_{highest + 1:07d}")
    assert (iri, RDFS.label, Literal("myeloproliferative neoplasm", lang="en")) in graph
    assert run_cimo("fmt", "--check", cwd=project.root).returncode == 0
    build = run_cimo("build", cwd=project.root)
    assert build.returncode == 0, build.stderr


def test_new_term_refuses_an_unknown_module(project: ProjectPaths) -> None:
    result = run_cimo(
        "new-term",
        "--module",
        "nosuch",
        "--label",
        "x",
        "--definition",
        "y",
        "--source",
        "z",
        cwd=project.root,
    )
    assert result.returncode == 2
    assert "no module" in result.stderr and "choose one of" in result.stderr


def test_fmt_leaves_a_module_alone_when_the_writer_output_would_change_its_graph(
    project: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read-back check: a writer that loses a statement cannot replace a module."""
    module = project.ontology / "disease.ttl"
    module.write_text(module.read_text() + "\n# a comment, so the module needs formatting\n")
    before = module.read_text()
    honest = turtle.serialize

    def lossy(graph: Graph, prefixes: dict[str, str] | None = None) -> str:
        text = honest(graph, prefixes)
        return text[: text.rstrip().rfind(" ;")] + " .\n"  # the last statement is lost

    monkeypatch.setattr(turtle, "serialize", lossy)
    with pytest.raises(BuildError, match=r"disease\.ttl.*does not read back as the same graph"):
        fmt.format_files([module])
    assert module.read_text() == before


def test_new_term_is_atomic_when_the_module_write_fails(
    project: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger is replaced first; a failing module write must take the ledger back."""
    from cimo import atomic
    from cimo.newterm import mint

    module = project.ontology / "disease.ttl"
    ledger_before, module_before = project.ledger.read_bytes(), module.read_bytes()
    real_replace = atomic.os.replace

    def failing_replace(source: Path, target: Path) -> None:
        if Path(target) == module:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        mint(
            project,
            "disease",
            "glioblastoma",
            "A cancer of glial cells of the brain.",
            "CIMO:0000141",
            "CIMO curators",
        )
    assert project.ledger.read_bytes() == ledger_before
    assert module.read_bytes() == module_before
    assert not list(project.ontology.glob(".*.tmp-*")), "temporary files left behind"
    monkeypatch.undo()
    assert mint(
        project,
        "disease",
        "glioblastoma",
        "A cancer of glial cells of the brain.",
        "CIMO:0000141",
        "CIMO curators",
    ).startswith("CIMO:")
    assert project.ledger.read_bytes() != ledger_before


def test_new_term_refuses_an_unknown_prefix_and_changes_nothing(project: ProjectPaths) -> None:
    ledger_before = project.ledger.read_bytes()
    module_before = (project.ontology / "disease.ttl").read_bytes()
    result = run_cimo(
        "new-term",
        "--module",
        "disease",
        "--label",
        "x",
        "--definition",
        "y",
        "--parent",
        "NOSUCH:0001",
        "--source",
        "CIMO curators",
        cwd=project.root,
    )
    assert result.returncode == 2
    assert "unknown prefix 'NOSUCH'" in result.stderr and "give a full IRI" in result.stderr
    assert project.ledger.read_bytes() == ledger_before
    assert (project.ontology / "disease.ttl").read_bytes() == module_before


def test_new_term_expands_a_declared_prefix_to_its_declared_namespace(
    project: ProjectPaths,
) -> None:
    from cimo.newterm import mint

    curie = mint(
        project,
        "disease",
        "leukemic T cell",
        "A T cell of a leukemia.",
        "CL:0000084",
        "CIMO curators",
    )
    graph = Graph().parse(project.ontology / "disease.ttl")
    term = URIRef("https://w3id.org/cimo/CIMO_" + curie.split(":")[1])
    assert (term, RDFS.subClassOf, URIRef("http://purl.obolibrary.org/obo/CL_0000084")) in graph


@pytest.mark.parametrize("module", sorted(ProjectPaths(REPO).modules()), ids=lambda p: p.name)
def test_oxigraph_reads_each_module_as_rdflib_does(module: Path) -> None:
    """The build reads modules with Oxigraph's parser and keeps rdflib's for its located
    errors: both must give the same graph (compared in canonical N-Triples)."""
    fast, text = parse_module(module)
    slow = Graph().parse(data=text, format="turtle", publicID=module.resolve().as_uri())
    assert len(fast) == len(slow)
    assert ntriples(fast) == ntriples(slow)
