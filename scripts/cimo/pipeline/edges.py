"""Materialize the edge graph: one plain ``A rel B`` triple per relation.

SPARQL users should not need to walk OWL restriction blank nodes. Every
existential restriction ``A SubClassOf (rel some B)`` (also inside an
equivalent-class intersection) becomes ``A rel B``, and is inherited by every
class below A in the classified hierarchy. Each edge is also stated with every
property above ``rel`` (``rdfs:subPropertyOf``, transitively), so that one
predicate answers for its sub-properties: CIMO:0000260 'treats' gives both a
drug's RO:0002606 'is substance that treats' and a therapy's CIMO:0000006 'is
used to treat'; RO:0000057 'has participant' gives RO:0002233 'has input' too.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from cimo.vocab import CIMO_NS


def _restrictions(graph: Graph, expr: object) -> list[tuple[URIRef, URIRef]]:
    """(property, filler) for existential restrictions in ``expr`` with a named filler."""
    found: list[tuple[URIRef, URIRef]] = []
    if not isinstance(expr, BNode):
        return found
    prop = graph.value(expr, OWL.onProperty)
    filler = graph.value(expr, OWL.someValuesFrom)
    if isinstance(prop, URIRef) and isinstance(filler, URIRef):
        found.append((prop, filler))
    members = graph.value(expr, OWL.intersectionOf)
    if members is not None:
        for member in Collection(graph, members):
            found.extend(_restrictions(graph, member))
    return found


def _superclasses(graph: Graph) -> dict[URIRef, set[URIRef]]:
    named: dict[URIRef, set[URIRef]] = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            named.setdefault(sub, set()).add(sup)
    return named


def _ancestors_or_self(cls: URIRef, parents: dict[URIRef, set[URIRef]]) -> set[URIRef]:
    seen = {cls}
    stack = [cls]
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def _superproperties(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """Each property's strict super-properties, by the transitive rdfs:subPropertyOf closure."""
    parents: dict[URIRef, set[URIRef]] = {}
    for sub, sup in graph.subject_objects(RDFS.subPropertyOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and sub != sup:
            parents.setdefault(sub, set()).add(sup)
    return {prop: _ancestors_or_self(prop, parents) - {prop} for prop in parents}


def materialize(graph: Graph) -> Graph:
    """Return the edge graph of a classified release graph."""
    direct: dict[URIRef, list[tuple[URIRef, URIRef]]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        if not isinstance(cls, URIRef):
            continue
        edges: list[tuple[URIRef, URIRef]] = []
        for expr in graph.objects(cls, RDFS.subClassOf):
            edges.extend(_restrictions(graph, expr))
        for expr in graph.objects(cls, OWL.equivalentClass):
            edges.extend(_restrictions(graph, expr))
        direct[cls] = edges
    parents = _superclasses(graph)
    above = _superproperties(graph)
    edges_graph = Graph()
    for cls in direct:
        if not str(cls).startswith(CIMO_NS):
            continue
        if (cls, OWL.deprecated, Literal(True)) in graph:
            continue
        for ancestor in _ancestors_or_self(cls, parents):
            for prop, filler in direct.get(ancestor, ()):
                edges_graph.add((cls, prop, filler))
                for sup in above.get(prop, ()):
                    edges_graph.add((cls, sup, filler))
    return edges_graph
