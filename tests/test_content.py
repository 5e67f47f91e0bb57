"""Content checks on the release: evidence is verbatim, relations materialize, HermiT agrees."""

from __future__ import annotations

import os
from pathlib import Path

import owlready2
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS

from cimo.vocab import EVIDENCE_QUOTE, MAX_QUOTE_LENGTH
from conftest import SEEDS

CIMO = "https://w3id.org/cimo/CIMO_"
OBO = "http://purl.obolibrary.org/obo/"


@pytest.fixture(scope="module")
def graph(release_dir: Path) -> Graph:
    return Graph().parse(release_dir / "cimo.ttl")


def by_label(graph: Graph, label: str) -> URIRef:
    matches = [s for s in graph.subjects(RDFS.label, Literal(label, lang="en"))]
    assert len(matches) == 1, label
    return matches[0]  # type: ignore[return-value]


def test_every_evidence_quote_is_verbatim_in_its_document(graph: Graph) -> None:
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail("../shared/seeds must be present in CI")
        pytest.skip("source documents not beside this checkout")
    checked = 0
    for axiom, quote in graph.subject_objects(EVIDENCE_QUOTE):
        document = graph.value(axiom, DCTERMS.source)
        name = graph.value(document, DCTERMS.identifier)
        text = (SEEDS / str(name)).read_text(encoding="utf-8")
        assert str(quote) in text, (name, str(quote))
        assert len(str(quote)) <= MAX_QUOTE_LENGTH
        checked += 1
    assert checked >= 100


def test_edges_materialize_restrictions_and_inherit_them(release_dir: Path, graph: Graph) -> None:
    edges = Graph().parse(release_dir / "cimo-edges.ttl")
    rituximab, cd20 = by_label(graph, "rituximab"), URIRef(OBO + "PR_000001289")
    target = by_label(graph, "has molecular target")
    assert (rituximab, target, cd20) in edges
    # Asserted on 'immune checkpoint inhibitor', inherited by every inhibitor below it.
    blockade = by_label(graph, "blockade of immune checkpoint signals")
    nivolumab = by_label(graph, "nivolumab")
    assert (nivolumab, URIRef(OBO + "RO_0002215"), blockade) in edges
    # Not 'binds a cancer-cell antigen': checkpoint antibodies bind receptors on T cells.
    binding = by_label(graph, "antibody binding to a cancer cell antigen")
    assert (nivolumab, URIRef(OBO + "RO_0002215"), binding) not in edges
    # Through the inferred hierarchy: 'cancer immunotherapy' is inferred to be a cancer therapy.
    assert all(isinstance(o, URIRef) for o in edges.objects())
    # Through the inferred hierarchy: every edge of a class holds for each named subclass,
    # asserted or inferred. 'immune checkpoint inhibitor therapy' is asserted under
    # 'immunotherapy' only; HermiT puts it under 'cancer immunotherapy'.
    checkpoint = by_label(graph, "immune checkpoint inhibitor therapy")
    assert (checkpoint, RDFS.subClassOf, by_label(graph, "cancer immunotherapy")) in graph
    inherited, missing = 0, []
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            for relation, value in edges.predicate_objects(sup):
                inherited += 1
                if (sub, relation, value) not in edges:
                    missing.append((sub, relation, value))
    assert missing == []
    assert inherited > 100


def test_reasoner_infers_defined_classes(graph: Graph) -> None:
    cancer_immunotherapy = by_label(graph, "cancer immunotherapy")
    cancer_therapy = by_label(graph, "cancer therapy")
    assert (cancer_immunotherapy, RDFS.subClassOf, cancer_therapy) in graph
    checkpoint = by_label(graph, "immune checkpoint inhibitor therapy")
    assert (checkpoint, RDFS.subClassOf, cancer_immunotherapy) in graph


def test_owlready2_loads_the_release_and_hermit_classifies_it(release_dir: Path) -> None:
    world = owlready2.World()
    world.get_ontology((release_dir / "cimo.owl").as_uri()).load()
    with world.get_ontology("http://cimo.invalid/test-inferred/"):
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    unsatisfiable = [c for c in world.inconsistent_classes() if c is not owlready2.Nothing]
    assert unsatisfiable == []
    assert len(list(world.classes())) > 150


def test_deprecated_term_points_to_its_replacement(graph: Graph) -> None:
    obsolete = by_label(graph, "obsolete biological therapy")
    assert (obsolete, OWL.deprecated, Literal(True)) in graph
    assert graph.value(obsolete, URIRef(OBO + "IAO_0100001")) == by_label(graph, "immunotherapy")


def test_immunotherapy_is_a_biologic_therapy_not_a_synonym_of_it(graph: Graph) -> None:
    immunotherapy, biologic = by_label(graph, "immunotherapy"), by_label(graph, "biologic therapy")
    assert (immunotherapy, RDFS.subClassOf, biologic) in graph
    exact = URIRef("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym")
    assert "biologic therapy" not in {str(s) for s in graph.objects(immunotherapy, exact)}


def test_navigation_and_biography_terms_are_out_of_scope(graph: Graph) -> None:
    for label in ("watchful waiting", "breast cancer"):
        term = by_label(graph, f"obsolete {label}")
        assert (term, OWL.deprecated, Literal(True)) in graph
        assert not any(str(o) == label for o in graph.objects(None, RDFS.label))


def test_relations_follow_ro(graph: Graph) -> None:
    acts_through = by_label(graph, "acts through mechanism")
    assert (acts_through, RDFS.subPropertyOf, URIRef(OBO + "RO_0002411")) in graph
    assert (acts_through, RDFS.subPropertyOf, URIRef(OBO + "BFO_0000051")) not in graph
    risk = by_label(graph, "increases risk of")
    assert (risk, RDFS.subPropertyOf, URIRef(OBO + "RO_0003302")) in graph
    assert graph.value(URIRef(OBO + "RO_0003302"), RDFS.label) is not None


def test_immune_checkpoint_protein_is_a_protein_grouping_not_an_antigen(graph: Graph) -> None:
    checkpoint = by_label(graph, "immune checkpoint protein")
    assert (checkpoint, RDFS.subClassOf, URIRef(OBO + "PR_000000001")) in graph
    assert (checkpoint, RDFS.subClassOf, by_label(graph, "antigen")) not in graph
    assert (URIRef(OBO + "PR_000001919"), RDFS.subClassOf, checkpoint) in graph  # PD-1
