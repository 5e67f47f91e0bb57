"""The reason stage: HermiT's printed hierarchy read into inferred direct superclasses,
named equivalences, and located errors for unsatisfiable classes and inconsistency."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from cimo.errors import BuildError
from cimo.pipeline.reason import classify
from cimo.vocab import CIMO_NS
from graphs import some_values_from

EX = "http://example.org/"
PART_OF = URIRef("http://purl.obolibrary.org/obo/BFO_0000050")


def c(number: int) -> URIRef:
    return URIRef(f"{CIMO_NS}CIMO_{number:07d}")


def _class(graph: Graph, cls: URIRef, label: str, *parents: URIRef) -> None:
    graph.add((cls, RDF.type, OWL.Class))
    graph.add((cls, RDFS.label, Literal(label, lang="en")))
    for parent in parents:
        graph.add((cls, RDFS.subClassOf, parent))


def _defined(graph: Graph, cls: URIRef, genus: URIRef, prop: URIRef, filler: URIRef) -> None:
    """cls ≡ genus and (prop some filler)"""
    expression, members = BNode(), BNode()
    graph.add((expression, RDF.type, OWL.Class))
    Collection(graph, members, [genus, some_values_from(graph, prop, filler)])
    graph.add((expression, OWL.intersectionOf, members))
    graph.add((cls, OWL.equivalentClass, expression))


@pytest.fixture
def ontology() -> Graph:
    """therapy; 'organ therapy' ≡ therapy and part of some organ; 'liver therapy' is a
    therapy that is part of some liver, and a liver is an organ."""
    graph = Graph()
    graph.add((PART_OF, RDF.type, OWL.ObjectProperty))
    _class(graph, c(901), "therapy")
    _class(graph, URIRef(EX + "organ"), "organ")
    _class(graph, URIRef(EX + "liver"), "liver", URIRef(EX + "organ"))
    _class(graph, c(902), "organ therapy")
    _defined(graph, c(902), c(901), PART_OF, URIRef(EX + "organ"))
    _class(graph, c(903), "liver therapy", c(901))
    graph.add((c(903), RDFS.subClassOf, some_values_from(graph, PART_OF, URIRef(EX + "liver"))))
    return graph


INFERRED = {
    (c(902), RDFS.subClassOf, c(901)),  # from its definition; not asserted as a statement
    (c(903), RDFS.subClassOf, c(902)),  # by the definition
}


def test_inferred_direct_superclasses_only(ontology: Graph) -> None:
    """liver therapy gains 'organ therapy' (inferred, direct); 'therapy' is asserted and
    is now an indirect ancestor, so it is not added again, and 'organ' is not a class
    liver therapy belongs to."""
    result = classify(ontology)
    assert set(result.superclasses) == INFERRED
    assert result.equivalences == []


def test_two_classes_with_one_definition_are_reported_equivalent(ontology: Graph) -> None:
    _class(ontology, c(904), "organ therapy twin")
    _defined(ontology, c(904), c(901), PART_OF, URIRef(EX + "organ"))
    result = classify(ontology)
    assert result.equivalences == [(c(902), c(904)), (c(904), c(902))]


def test_unsatisfiable_class_is_named_with_its_label(ontology: Graph) -> None:
    ontology.add((c(901), OWL.disjointWith, URIRef(EX + "organ")))
    _class(ontology, c(905), "organ that is a therapy", c(901), URIRef(EX + "organ"))
    with pytest.raises(BuildError) as error:
        classify(ontology)
    text = str(error.value)
    assert "stage 'reason'" in text and "unsatisfiable" in text
    assert f"{c(905)} (organ that is a therapy)" in text


def test_inconsistent_ontology_fails_the_stage(ontology: Graph) -> None:
    ontology.add((c(901), OWL.disjointWith, URIRef(EX + "organ")))
    individual = URIRef(EX + "something")
    for kind in (OWL.NamedIndividual, c(901), URIRef(EX + "organ")):
        ontology.add((individual, RDF.type, kind))
    with pytest.raises(BuildError, match="inconsistent"):
        classify(ontology)


def test_imports_are_not_fetched(ontology: Graph) -> None:
    """An owl:imports of an address that cannot be reached changes nothing: the build
    imports reference classes from its own tables, never over the network."""
    header = URIRef(EX + "ontology")
    ontology.add((header, RDF.type, OWL.Ontology))
    ontology.add((header, OWL.imports, URIRef("http://cimo.invalid/unreachable.owl")))
    assert set(classify(ontology).superclasses) == INFERRED


def test_output_that_cannot_be_read_stops_the_build(
    ontology: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A HermiT that printed its hierarchy in another form would otherwise add nothing."""
    from cimo.pipeline import reason

    monkeypatch.setattr(reason.Hermit, "output", lambda self: "Some other format\n")
    with pytest.raises(BuildError, match="could not be read"):
        classify(ontology)


def test_hermit_reads_the_logical_statements_only(ontology: Graph) -> None:
    """Annotations mean nothing to the reasoner: HermiT is given none of them (labels,
    a declared annotation property's values, a reified axiom with its evidence), and
    the hierarchy it finds is the one it finds with them."""
    from cimo.pipeline.reason import _logical

    definition = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
    ontology.add((definition, RDF.type, OWL.AnnotationProperty))
    ontology.add((c(903), definition, Literal("A therapy of the liver.", lang="en")))
    axiom = BNode()
    for p, o in (
        (RDF.type, OWL.Axiom),
        (OWL.annotatedSource, c(903)),
        (OWL.annotatedProperty, RDFS.subClassOf),
        (OWL.annotatedTarget, c(901)),
        (definition, Literal("evidence")),
    ):
        ontology.add((axiom, p, o))
    logical = set(_logical(ontology))
    assert (c(903), RDFS.subClassOf, c(901)) in logical
    assert (PART_OF, RDF.type, OWL.ObjectProperty) in logical
    assert (definition, RDF.type, OWL.AnnotationProperty) in logical
    assert not [t for t in logical if t[1] in (RDFS.label, definition) or t[0] == axiom]
    assert set(classify(ontology).superclasses) == INFERRED
