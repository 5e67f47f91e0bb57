"""Canonical blank-node labels and a fixed statement order.

rdflib serializers follow the store's insertion order and rdflib's random
blank-node IDs; both vary between runs. Here every blank node is named by
where it sits (the statement that uses it, rendered by the canonical Turtle
writer), and statements are re-inserted in sorted order, so every
serializer's output is a function of the graph alone. This is linear in the
graph, unlike general graph canonicalization, because CIMO's blank nodes are
trees hanging off named terms (restrictions, lists, axiom annotations).
"""

from __future__ import annotations

from rdflib import BNode, Graph
from rdflib.term import Node

from cimo.turtle import writer_for


def blank_node_keys(graph: Graph) -> dict[BNode, str]:
    writer = writer_for(graph)
    keys: dict[BNode, str] = {}

    def key(node: BNode) -> str:
        if node in keys:
            return keys[node]
        parents = list(graph.subject_predicates(node))
        if len(parents) == 1 and node not in writer.stack_guard:
            subject, predicate = parents[0]
            writer.stack_guard.add(node)
            head = key(subject) if isinstance(subject, BNode) else subject.n3()
            writer.stack_guard.discard(node)
            text = f"{head} {predicate.n3()} {writer.term(node, 0)}"
        elif not parents:
            text = writer.top_bnode_block(node)
        else:
            text = "~" + writer.bnode_block(node, 0)
        keys[node] = text
        return text

    for node in {n for t in graph for n in t if isinstance(n, BNode)}:
        key(node)
    return keys


def ordered(graph: Graph) -> Graph:
    """A copy of ``graph`` with positional bnode labels, statements inserted sorted."""
    keys = blank_node_keys(graph)
    labels = {node: BNode(f"b{i:05d}") for i, node in
              enumerate(sorted(keys, key=lambda n: keys[n]), start=1)}

    def relabel(node: Node) -> Node:
        return labels.get(node, node) if isinstance(node, BNode) else node

    result = Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True, replace=True)
    triples = [(relabel(s), relabel(p), relabel(o)) for s, p, o in graph]
    for triple in sorted(triples, key=lambda t: tuple(n.n3() for n in t)):
        result.add(triple)
    return result


def ntriples(graph: Graph, canonical: Graph | None = None) -> str:
    """Sorted N-Triples with canonical blank-node labels (pass ``canonical`` if already made)."""
    canonical = canonical if canonical is not None else ordered(graph)
    text = canonical.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "\n".join(lines) + "\n"
