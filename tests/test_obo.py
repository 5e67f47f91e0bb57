"""The OBO tool chain opens the release: pronto, fastobo, obonet and OAK.

Each client's view (terms, labels, is_a parents, existential relations) is
compared with what the Turtle release says, read with rdflib, so a converter
that drops or renames something fails here. The evidence quotes must survive
into the OBO file as qualifiers.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cimo.vocab import EVIDENCE_QUOTE

OBO_PURL = "http://purl.obolibrary.org/obo/"
CIMO = "https://w3id.org/cimo/CIMO_"
QUOTE_KEY = str(EVIDENCE_QUOTE)


def curie(iri: str) -> str:
    """The OBO-style id every client should show for an IRI."""
    if iri.startswith(CIMO):
        return "CIMO:" + iri[len(CIMO) :]
    if iri.startswith(OBO_PURL) and "_" in iri[len(OBO_PURL) :]:
        prefix, _, local = iri[len(OBO_PURL) :].partition("_")
        return f"{prefix}:{local}"
    return iri


class Expected:
    """What the Turtle release says, in the terms OBO clients use."""

    def __init__(self, graph: Graph) -> None:
        classes = [c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)]
        self.labels = {curie(str(c)): str(graph.value(c, RDFS.label)) for c in classes}
        self.parents = {
            curie(str(c)): {
                curie(str(p)) for p in graph.objects(c, RDFS.subClassOf) if isinstance(p, URIRef)
            }
            for c in classes
        }
        self.relations: set[tuple[str, str, str]] = set()
        for cls in classes:
            for sup in graph.objects(cls, RDFS.subClassOf):
                prop = graph.value(sup, OWL.onProperty) if isinstance(sup, BNode) else None
                filler = graph.value(sup, OWL.someValuesFrom) if prop is not None else None
                if isinstance(prop, URIRef) and isinstance(filler, URIRef):
                    self.relations.add((curie(str(cls)), curie(str(prop)), curie(str(filler))))
        self.quotes = {str(o) for o in graph.objects(None, EVIDENCE_QUOTE)}
        self.obsolete = {curie(str(c)) for c in classes if graph.value(c, OWL.deprecated)}


@pytest.fixture(scope="module")
def expected(release_dir: Path) -> Expected:
    return Expected(Graph().parse(release_dir / "cimo.ttl", format="turtle"))


def pronto_view(path: Path, ids: object = curie) -> tuple[dict, dict, set]:
    import pronto

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pronto warns about OWL it does not model
        ontology = pronto.Ontology(str(path))
    norm = ids if callable(ids) else curie
    labels = {norm(t.id): t.name for t in ontology.terms()}
    parents = {
        norm(t.id): {norm(p.id) for p in t.superclasses(distance=1, with_self=False)}
        for t in ontology.terms()
    }
    # The ids pronto stored, not the terms: pronto's RDF/XML reader leaves the IRI of a class
    # defined later in the file uncompacted, and looking that IRI up as a term fails; norm()
    # turns it into the CURIE every client should show.
    relations = {
        (norm(t.id), norm(r), norm(v))
        for t in ontology.terms()
        for r, values in t._data().relationships.items()
        for v in values
    }
    return labels, parents, relations


@pytest.mark.parametrize("name", ["cimo.owl", "cimo.obo", "cimo.json"])
def test_pronto_sees_the_turtle_release(release_dir: Path, expected: Expected, name: str) -> None:
    labels, parents, relations = pronto_view(release_dir / name)
    assert labels == expected.labels
    assert parents == expected.parents
    assert labels["CIMO:0000110"] == "rituximab"
    if name == "cimo.owl":
        # pronto 2.7's RDF/XML reader does not follow rdf:nodeID, and the OWL API 5 writes a
        # restriction that carries axiom annotations (evidence) once, by node ID. OBO users
        # get the relations from cimo.obo and cimo.json. pronto reads only the restrictions
        # without evidence, and never a wrong one; this fails once it reads them all.
        assert relations < expected.relations
    else:
        assert relations == expected.relations
        assert len(relations) > 100


def test_fastobo_parses_the_obo_file_with_every_term_and_parent(
    release_dir: Path, expected: Expected
) -> None:
    import fastobo

    doc = fastobo.load(str(release_dir / "cimo.obo"))
    labels, parents, relations = {}, {}, set()
    for frame in doc:
        if not isinstance(frame, fastobo.term.TermFrame):
            continue
        term = str(frame.id)
        parents[term] = set()
        for clause in frame:
            if isinstance(clause, fastobo.term.NameClause):
                labels[term] = clause.name
            elif isinstance(clause, fastobo.term.IsAClause):
                parents[term].add(str(clause.term))
            elif isinstance(clause, fastobo.term.RelationshipClause):
                relations.add((term, str(clause.typedef), str(clause.term)))
    assert labels == expected.labels
    assert parents == expected.parents
    assert relations == expected.relations


def test_obonet_reads_the_obo_file_as_a_graph(release_dir: Path, expected: Expected) -> None:
    import obonet

    graph = obonet.read_obo(str(release_dir / "cimo.obo"))
    # obonet leaves obsolete terms out by default
    live = {k: v for k, v in expected.labels.items() if k not in expected.obsolete}
    assert {n: d.get("name") for n, d in graph.nodes(data=True)} == live
    curied = live
    edges = {(child, key, parent) for child, parent, key in graph.edges(keys=True)}
    assert {(c, p) for c, k, p in edges if k == "is_a"} == {
        (c, p) for c, ps in expected.parents.items() for p in ps if c in curied
    }
    assert {e for e in edges if e[1] != "is_a"} == {r for r in expected.relations if r[0] in curied}


def test_evidence_quotes_survive_into_the_obo_file_as_qualifiers(
    release_dir: Path, expected: Expected
) -> None:
    import fastobo

    doc = fastobo.load(str(release_dir / "cimo.obo"))
    quotes: set[str] = set()
    for frame in doc:
        for clause in frame:
            for qualifier in clause.qualifiers or []:
                if str(qualifier.key) == QUOTE_KEY:
                    quotes.add(qualifier.value)
    # An axiom OBO cannot express (a restriction on a union, say) stays whole, annotations
    # and all, in the header's owl-axioms clause, as the OWL API's OBO writer does.
    owl_axioms = "".join(
        c.axioms for c in doc.header if isinstance(c, fastobo.header.OwlAxiomsClause)
    )
    kept_as_owl = {
        q for q in expected.quotes - quotes if f'<{EVIDENCE_QUOTE}> "{q}")' in owl_axioms
    }
    assert expected.quotes, "the release has no evidence quotes to check"
    assert len(quotes) > 50
    assert quotes | kept_as_owl == expected.quotes


def test_obographs_json_names_the_ontology_and_real_iris(release_dir: Path) -> None:
    document = json.loads((release_dir / "cimo.json").read_text())
    (graph,) = document["graphs"]
    assert graph["id"] == "https://w3id.org/cimo/cimo.owl"
    assert graph["meta"]["version"].startswith("https://w3id.org/cimo/releases/")
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes[CIMO + "0000110"]["lbl"] == "rituximab"
    xrefs = {x["val"] for x in nodes[CIMO + "0000110"]["meta"]["xrefs"]}
    assert "https://go.drugbank.com/drugs/DB00073" in xrefs  # an idspace, not an OBO PURL guess
    preds = {e["pred"] for e in graph["edges"]}
    assert OBO_PURL + "RO_0002606" in preds


def runoak(*args: str) -> subprocess.CompletedProcess[str]:
    runoak_bin = Path(sys.executable).parent / "runoak"
    return subprocess.run(
        [str(runoak_bin), *args], capture_output=True, text=True, check=False, timeout=600
    )


@pytest.mark.parametrize("name", ["cimo.owl", "cimo.obo"])
def test_oak_resolves_cimo_ids_without_a_prefix_option(release_dir: Path, name: str) -> None:
    """The release declares the CIMO prefix itself (xmlns:CIMO in RDF/XML, idspace in OBO)."""
    result = runoak("-i", str(release_dir / name), "info", "CIMO:0000110")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "CIMO:0000110 ! rituximab"


def test_oak_reads_labels_and_parents_from_the_owl_file(
    release_dir: Path, expected: Expected
) -> None:
    from oaklib import get_adapter
    from oaklib.datamodels.vocabulary import IS_A

    adapter = get_adapter(str(release_dir / "cimo.owl"))
    cimo_terms = sorted(t for t in expected.labels if t.startswith("CIMO:"))
    assert {t: adapter.label(t) for t in cimo_terms} == {t: expected.labels[t] for t in cimo_terms}
    for term in ("CIMO:0000110", "CIMO:0000020"):
        outgoing = set(adapter.outgoing_relationships(term))
        assert {p for r, p in outgoing if r == IS_A} == expected.parents[term]
        assert {(term, r, p) for r, p in outgoing if r != IS_A} == {
            rel for rel in expected.relations if rel[0] == term
        }


def test_tied_obo_clauses_are_written_in_one_order() -> None:
    """The OWL API leaves clauses that differ only in qualifiers in hash-set order."""
    from cimo.export.obo import _settle_ties

    first = b'[Term]\nid: X:1\nproperty_value: S "a" {j="US"}\nproperty_value: S "a" {j="EU"}\n'
    second = b'[Term]\nid: X:1\nproperty_value: S "a" {j="EU"}\nproperty_value: S "a" {j="US"}\n'
    assert _settle_ties(first) == _settle_ties(second) == second
    kept = b"[Term]\nid: X:1\nname: b\nis_a: X:2\n"
    assert _settle_ties(kept) == kept
