"""Canonical blank-node labels (RDFC-1.0) and a fixed statement order.

rdflib labels blank nodes at random and its stores keep insertion order, so
the same graph would serialize to different bytes on every run. Every
serializer here therefore writes a canonical copy: pyoxigraph relabels the
blank nodes with the W3C RDF Dataset Canonicalization algorithm (RDFC-1.0),
whose labels depend on the graph alone, and the statements are re-inserted
in sorted order. N-Triples comes straight from pyoxigraph's canonical
N-Triples writer, sorted, which is the RDFC-1.0 canonical form itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Triple = tuple[Node, Node, Node]


def to_ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The Oxigraph form of an rdflib term, made once per distinct term: the release's
    writers convert the same IRIs again and again."""
    # rdflib's == holds between literals whose language tags differ in case, so a literal
    # is remembered by its exact parts, never as a key itself
    key: object = (str(node), node.language, node.datatype) if isinstance(node, Literal) else node
    found = _OX.get(key)
    if found is None:
        if len(_OX) > 2_000_000:  # a cache, bounded across builds in one process
            _OX.clear()
        found = _OX[key] = _new_ox(node)
    return found


_OX: dict[object, ox.NamedNode | ox.BlankNode | ox.Literal] = {}


def _new_ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"cannot write {node!r} as RDF")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def canonical_dataset(graph: Graph | Iterable[Triple]) -> ox.Dataset:
    """The graph (or its statements) in pyoxigraph, blank nodes relabelled by RDFC-1.0."""
    dataset = ox.Dataset(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]
        for s, p, o in graph
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def interning_to_rdflib() -> Callable[[ox.NamedNode | ox.BlankNode | ox.Literal], Node]:
    """:func:`to_rdflib` making one rdflib object per distinct term of one batch.

    Every writer keys dictionaries by term, and a dictionary compares a key it holds
    by identity first (rdflib's ``==`` is Python code); converting each occurrence
    apart would also build the same object again and again.
    """
    terms: dict[ox.NamedNode | ox.BlankNode | ox.Literal, Node] = {}

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        found = terms.get(node)
        if found is None:
            found = terms[node] = to_rdflib(node)
        return found

    return term


def sorted_triples(dataset: ox.Dataset) -> list[Triple]:
    """The statements of a canonical dataset as rdflib terms, sorted by their N-Quads line.

    Every writer inserts them in this order; the statements of one subject are
    consecutive (a subject's N-Triples form holds no space), so a graph built from
    them yields them in this same order.
    """
    term = interning_to_rdflib()
    return [
        (term(quad.subject), term(quad.predicate), term(quad.object))
        for quad in sorted(dataset, key=str)
    ]


def ordered(
    graph: Graph, dataset: ox.Dataset | None = None, triples: list[Triple] | None = None
) -> Graph:
    """A copy of ``graph`` with RDFC-1.0 blank-node labels, statements inserted sorted.

    ``triples`` (from :func:`sorted_triples`) or ``dataset`` spare recomputing the labels.
    """
    if triples is None:
        triples = sorted_triples(dataset if dataset is not None else canonical_dataset(graph))
    result = Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True, replace=True)
    for triple in triples:
        result.add(triple)
    return result


def ntriples(graph: Graph, dataset: ox.Dataset | None = None) -> str:
    """Canonical N-Triples (RDFC-1.0 labels, sorted lines), written by pyoxigraph."""
    dataset = dataset if dataset is not None else canonical_dataset(graph)
    text = ox.serialize((q.triple for q in dataset), format=ox.RdfFormat.N_TRIPLES)
    assert text is not None
    lines = sorted(line for line in text.decode("utf-8").splitlines() if line.strip())
    return "\n".join(lines) + "\n" if lines else ""


@dataclass(frozen=True)
class CanonicalForm:
    """A graph's canonical forms, computed once for every writer of the release."""

    dataset: ox.Dataset  # RDFC-1.0 labels
    triples: list[Triple]  # rdflib terms, sorted (``sorted_triples``)


def canonical_form(graph: Graph) -> CanonicalForm:
    dataset = canonical_dataset(graph)
    return CanonicalForm(dataset, sorted_triples(dataset))


def extended(form: CanonicalForm, added: Iterable[Triple]) -> CanonicalForm:
    """The canonical form of the graph plus ``added``, statements that name no blank node,
    without canonicalizing again: ``form`` itself is consumed (its dataset grows).

    A blank node's RDFC-1.0 label depends only on the statements that mention blank
    nodes, so statements without one change no label: they are put in their sorted
    place. The build adds the reasoner's named superclasses this way, so the asserted
    graph can be canonicalized while HermiT runs.
    """
    dataset = form.dataset
    by_subject: dict[Node, list[Triple]] = {}
    for triple in added:
        if any(isinstance(node, BNode) for node in triple):
            raise ValueError(f"{triple} names a blank node: canonicalize the whole graph")
        quad = ox.Quad(*(to_ox(node) for node in triple))  # type: ignore[arg-type]
        if quad not in dataset:
            dataset.add(quad)
            by_subject.setdefault(triple[0], []).append(triple)
    if not by_subject:
        return form
    triples = form.triples
    merged: list[Triple] = []
    start, count = 0, len(triples)
    while start < count:  # the statements of one subject are consecutive (see sorted_triples)
        subject = triples[start][0]
        end = start + 1
        while end < count and (triples[end][0] is subject or triples[end][0] == subject):
            end += 1
        extra = by_subject.pop(subject, None)
        if extra is None:
            merged.extend(triples[start:end])
        else:
            merged.extend(sorted([*triples[start:end], *extra], key=_line))
        start = end
    if by_subject:  # a subject the graph did not have: sort everything again
        return CanonicalForm(dataset, sorted_triples(dataset))
    return CanonicalForm(dataset, merged)


def _line(triple: Triple) -> str:
    """The key :func:`sorted_triples` sorts by: the statement's N-Triples form."""
    return str(ox.Triple(*(to_ox(node) for node in triple)))  # type: ignore[arg-type]
