"""Graph comparison on pyoxigraph's canonical form (RDFC-1.0), for the tests.

Two RDF graphs are the same graph when their canonical N-Quads are equal:
canonicalization relabels blank nodes deterministically, so equality of the
quad sets is isomorphism. pyoxigraph does this in milliseconds where
``rdflib.compare.isomorphic`` took about half a minute on the release.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF


def canonical(graph: Graph) -> set[str]:
    """The graph's triples, blank nodes relabelled canonically, as N-Quads lines."""
    dataset = ox.Dataset(
        ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


def some_values_from(graph: Graph, prop: URIRef, filler: URIRef) -> BNode:
    """Add the restriction ``prop some filler`` to ``graph`` and return its node."""
    node = BNode()
    graph.add((node, RDF.type, OWL.Restriction))
    graph.add((node, OWL.onProperty, prop))
    graph.add((node, OWL.someValuesFrom, filler))
    return node


def same_graph(first: Graph, second: Graph) -> bool:
    """Whether the two graphs are isomorphic (equal up to blank-node labels)."""
    return len(first) == len(second) and canonical(first) == canonical(second)
