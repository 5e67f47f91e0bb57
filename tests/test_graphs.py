"""The tests' graph comparison (pyoxigraph canonical form) agrees with isomorphism."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef

from graphs import same_graph

P = URIRef("urn:x:p")


def _graph(*triples: tuple[object, object, object]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)  # type: ignore[arg-type]
    return graph


def test_graphs_equal_up_to_blank_node_labels_are_the_same_graph() -> None:
    a, b = BNode(), BNode()
    first = _graph((URIRef("urn:x:s"), P, a), (a, P, Literal("v")))
    second = _graph((URIRef("urn:x:s"), P, b), (b, P, Literal("v")))
    assert same_graph(first, second)


def test_a_moved_blank_node_or_a_changed_literal_makes_a_different_graph() -> None:
    a, b, c = BNode(), BNode(), BNode()
    chain = _graph((a, P, b), (b, P, Literal("v")))
    fork = _graph((a, P, Literal("v")), (c, P, Literal("v")))
    assert not same_graph(chain, fork)
    assert not same_graph(_graph((a, P, Literal("v"))), _graph((a, P, Literal("w"))))
    assert not same_graph(_graph((a, P, Literal("1"))), _graph((a, P, Literal(1))))
