"""The RDF a term IRI dereferences to, in Turtle, JSON-LD, RDF/XML and N-Triples.

A term's description is its concise bounded description (every statement
about it, following blank nodes so restrictions and lists come whole), the
annotated axioms whose source it is (evidence and synonym types), and the
label of every other named thing mentioned, so the Turtle reads on its own.
The release's own writers are reused, so each file is byte-stable and
parses back to the same graph as the full release says about the term.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.shared.jsonld.context import Context

from cimo import turtle
from cimo.export import jsonld, rdfxml
from cimo.export.canonical import Triple, canonical_dataset, ntriples, sorted_triples
from cimo.export.index import TripleIndex
from cimo.site.graph_index import GraphIndex

#: the writers below read only the canonical forms they are given, never this graph
_UNUSED = Graph(bind_namespaces="none")


def _closure(index: GraphIndex, start: BNode | URIRef, into: set[Triple]) -> None:
    stack: list[BNode | URIRef] = [start]
    seen: set[BNode | URIRef] = set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in index.predicate_objects(node):
            into.add((node, p, o))
            if isinstance(o, BNode):
                stack.append(o)


def describe(index: GraphIndex, iri: URIRef, axioms: list[BNode]) -> set[Triple]:
    """The statements of one term's description (see the module docstring)."""
    out: set[Triple] = set()  # every writer used here brings its own prefixes
    _closure(index, iri, out)
    for axiom in axioms:
        _closure(index, axiom, out)
    mentioned = {n for triple in out for n in triple if isinstance(n, URIRef) and n != iri} - {
        RDF.type
    }
    for node in mentioned:
        if index.objects(node, RDF.type):
            for label in index.objects(node, RDFS.label):
                if isinstance(label, Literal):
                    out.add((node, RDFS.label, label))
    return out


def serializations(
    description: Iterable[Triple], context: dict[str, Any], parsed: Context | None = None
) -> dict[str, bytes]:
    """The four files of one term, keyed by suffix: blank nodes labelled once for all,
    and the Turtle, JSON-LD and RDF/XML writers share the canonical statements.

    ``parsed`` is ``context`` read once by :func:`cimo.export.jsonld.parse_context`.
    """
    dataset = canonical_dataset(description)
    triples = sorted_triples(dataset)
    return {
        ".ttl": turtle.write(triples).encode(),
        ".jsonld": jsonld.serialize(_UNUSED, context, TripleIndex(triples), parsed),
        ".owl": rdfxml.serialize(_UNUSED, triples),
        ".nt": ntriples(_UNUSED, dataset).encode(),
    }
