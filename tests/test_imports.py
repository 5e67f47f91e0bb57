"""The MIREOT import tables: well-formed, closed under their parents, and in the release."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cimo import imports
from cimo.errors import BuildError
from cimo.export import rdfxml
from cimo.paths import ProjectPaths
from cimo.pipeline import base
from conftest import REPO, run_cimo

OBO = "http://purl.obolibrary.org/obo/"
TABLES = REPO / "ontology" / "imports"
HEADER = "id\tlabel\tdefinition\tparent\tsource\n"
SOURCE = "https://github.com/obophenotype/cell-ontology/blob/abc/src/ontology/cl-edit.owl"


def write_table(folder: Path, name: str, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def problems_of(folder: Path, known: set[URIRef] | None = None) -> str:
    with pytest.raises(BuildError) as caught:
        imports.read_tables(folder, known or set())
    return caught.value.render()


def test_every_table_row_is_confirmed_and_well_formed() -> None:
    rows = imports.read_tables(TABLES, {URIRef(OBO + "BFO_0000040"), URIRef(OBO + "BFO_0000023")})
    assert len(rows) > 60
    assert {r.file.stem for r in rows} >= {
        "cl",
        "uberon",
        "go",
        "mondo",
        "ncbitaxon",
        "hp",
        "obi",
        "chebi",
        "pr",
    }
    for row in rows:
        assert row.source.startswith("https://github.com/") and "/blob/" in row.source, row.id
        commit = row.source.split("/blob/")[1].split("/")[0]
        assert len(commit) == 40, (row.id, "the source names the file at a commit")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            ["CL:0000084\tT cell\t\tCL:9999999\t" + SOURCE],
            "parent CL:9999999 is neither imported nor declared in ontology/upper.ttl",
        ),
        (["GO:0006955\timmune response\t\t\t" + SOURCE], "id 'GO:0006955' is not a CL CURIE"),
        (["CL:0000084\t\t\t\t" + SOURCE], "the label is empty"),
        (["CL:0000084\tT cell\t\t\tconfirmed in OLS"], "source 'confirmed in OLS' is not a URL"),
        (
            ["CL:0000236\tB cell\t\t\t" + SOURCE, "CL:0000084\tT cell\t\t\t" + SOURCE],
            "rows are not sorted by id",
        ),
        (["CL:0000084\tT cell\t\t" + SOURCE], "expected 5 tab-separated columns"),
        (
            ["CL:0000084\tT cell\t\t\t" + SOURCE, "CL:0000084\tT cell\t\t\t" + SOURCE],
            "CL:0000084 is listed twice",
        ),
    ],
)
def test_a_bad_row_is_reported_with_its_file_line_and_fix(
    tmp_path: Path, rows: list[str], expected: str
) -> None:
    write_table(tmp_path, "cl.tsv", rows)
    message = problems_of(tmp_path)
    assert expected in message
    assert "cl.tsv:" in message and "fix:" in message


def test_an_unknown_table_name_and_a_wrong_header_are_refused(tmp_path: Path) -> None:
    write_table(tmp_path / "a", "cells.tsv", [])
    assert "name the table after its ontology" in problems_of(tmp_path / "a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "cl.tsv").write_text("curie\tname\n", encoding="utf-8")
    message = problems_of(tmp_path / "b")
    assert "cl.tsv:1" in message and "the header must be" in message


def test_a_table_becomes_the_import_module(tmp_path: Path) -> None:
    write_table(
        tmp_path,
        "cl.tsv",
        [
            "CL:0000000\tcell\tA material entity.\tBFO:0000040\t" + SOURCE,
            "CL:0000084\tT cell\tA type of lymphocyte.\tCL:0000000\t" + SOURCE,
        ],
    )
    graph = imports.to_graph(imports.read_tables(tmp_path, {URIRef(OBO + "BFO_0000040")}))
    t_cell = URIRef(OBO + "CL_0000084")
    assert (t_cell, RDF.type, OWL.Class) in graph
    assert (t_cell, RDFS.label, Literal("T cell", lang="en")) in graph
    assert (
        t_cell,
        URIRef(OBO + "IAO_0000115"),
        Literal("A type of lymphocyte.", lang="en"),
    ) in graph
    assert (t_cell, RDFS.subClassOf, URIRef(OBO + "CL_0000000")) in graph
    assert (t_cell, RDFS.isDefinedBy, URIRef(OBO + "cl.owl")) in graph


def test_the_release_carries_the_reused_classes(release_dir: Path) -> None:
    graph = Graph().parse(release_dir / "cimo.ttl")
    for row in imports.read_tables(
        TABLES, {URIRef(OBO + "BFO_0000040"), URIRef(OBO + "BFO_0000023")}
    ):
        assert (row.iri, RDFS.label, Literal(row.label, lang="en")) in graph, row.id
        if row.definition:
            assert (row.iri, URIRef(OBO + "IAO_0000115"), None) in graph, row.id


def test_a_bad_table_fails_the_build_with_its_line(project: ProjectPaths) -> None:
    table = project.root / "ontology" / "imports" / "cl.tsv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines.insert(1, "CL:0000000\tcell\t\tCL:1234567\thttps://example.org/x")
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cimo("build", cwd=project.root)
    assert result.returncode != 0
    assert "cl.tsv:2" in result.stderr + result.stdout
    assert "parent CL:1234567 is neither imported" in result.stderr + result.stdout


def test_the_base_variant_holds_cimos_own_axioms_only(release_dir: Path) -> None:
    base = Graph().parse(release_dir / "cimo-base.owl", format="xml")
    full = Graph().parse(release_dir / "cimo.ttl")
    base_iri = URIRef("https://w3id.org/cimo/cimo-base.owl")
    assert (base_iri, RDF.type, OWL.Ontology) in base
    assert (URIRef("https://w3id.org/cimo/cimo.owl"), None, None) not in base
    t_cell = URIRef(OBO + "CL_0000084")
    assert (t_cell, RDFS.label, None) in full and (t_cell, RDFS.label, None) not in base
    rituximab = URIRef("https://w3id.org/cimo/CIMO_0000110")
    assert (rituximab, RDFS.label, Literal("rituximab", lang="en")) in base
    inferred = {(s, o) for s, o in full.subject_objects(RDFS.subClassOf)} - {
        (s, o) for s, o in base.subject_objects(RDFS.subClassOf)
    }
    assert any(
        isinstance(o, URIRef) and str(s).startswith("https://w3id.org/cimo/CIMO_")
        for s, o in inferred
    ), "the inferred superclasses are in cimo.owl only"


def test_the_base_variant_is_its_own_statements_canonicalized_afresh(release_dir: Path) -> None:
    """The base is written with the release's blank-node labels, not canonicalized on its
    own: the bytes must be what a fresh RDFC-1.0 pass over its own statements writes."""
    written = (release_dir / "cimo-base.owl").read_bytes()
    own = Graph().parse(data=written, format="xml")
    assert len(own) > 5000
    assert rdfxml.serialize(own) == written


def test_the_base_variant_refuses_imported_statements_with_blank_nodes() -> None:
    """Only statements that name no blank node can be left out without relabelling."""
    stray = (URIRef(OBO + "CL_0000084"), RDFS.subClassOf, BNode())
    with pytest.raises(ValueError, match="blank node"):
        base.from_canonical([], {stray}, "2026-11-22")


def test_every_reference_class_the_modules_use_is_imported() -> None:
    """A PR, CL, GO, MONDO, ... class named in a module is a row of its table (MIREOT closure),
    so it reaches the release with its label and definition."""
    import re

    imported = {
        row.id
        for row in imports.read_tables(
            TABLES, {URIRef(OBO + "BFO_0000040"), URIRef(OBO + "BFO_0000023")}
        )
    }
    used: set[str] = set()
    for module in (REPO / "ontology").glob("*.ttl"):
        text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', module.read_text(encoding="utf-8"))
        used |= {
            f"{p}:{n}"
            for p, n in re.findall(
                r"obo:(CL|PR|GO|MONDO|UBERON|NCBITaxon|HP|OBI|CHEBI)_(\w+)", text
            )
        }
    assert not sorted(used - imported)


def test_pr_rows_keep_the_parent_the_pr_file_asserts() -> None:
    rows = {
        row.id: row
        for row in imports.read_tables(
            TABLES, {URIRef(OBO + "BFO_0000040"), URIRef(OBO + "BFO_0000023")}
        )
    }
    assert rows["PR:000001020"].parent == "PR:000001018"  # CD3 epsilon: a CD3 subunit
    assert rows["PR:000001408"].parent == "PR:000001281"  # CD38: an ADP-ribosyl cyclase
    assert rows["PR:P11836"].parent == "PR:000001289"  # human CD20 under the gene-level class
