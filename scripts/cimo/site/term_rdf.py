"""The RDF a term IRI dereferences to, in Turtle, JSON-LD, RDF/XML and N-Triples.

A term's description is its concise bounded description (every statement
about it, following blank nodes so restrictions and lists come whole), the
annotated axioms whose source it is (evidence and synonym types), and the
label of every other named thing mentioned, so the Turtle reads on its own.
The release's own writers are reused, so each file is byte-stable and
parses back to the same graph as the full release says about the term.

The descriptions are cut from the release's canonical statements (blank nodes
labelled once, by RDFC-1.0 over the whole release), so no term is canonicalized
on its own: :func:`forms` sorts a description and hands it to every writer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from cimo import turtle
from cimo.export import jsonld, rdfxml
from cimo.export.canonical import Triple, to_ox
from cimo.site.graph_index import GraphIndex

_TYPE, _LABEL = RDF.type, RDFS.label  # rdflib looks namespace attributes up in Python


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
    mentioned = {n for triple in out for n in triple if isinstance(n, URIRef)}
    mentioned.discard(iri)  # by hash first: rdflib's != is Python code
    mentioned.discard(_TYPE)
    for node in mentioned:
        if index.objects(node, _TYPE):
            for label in index.objects(node, _LABEL):
                if isinstance(label, Literal):
                    out.add((node, _LABEL, label))
    return out


class Forms:
    """Writes the four files of term descriptions cut from one canonically labelled graph.

    Each node's N-Triples and Oxigraph forms are worked out once for all terms.
    """

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context
        self.converter = jsonld.converter(context)
        self._nodes: dict[Node, tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal]] = {}

    def _node(self, node: Node) -> tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal]:
        found = self._nodes.get(node)
        if found is None:
            term = to_ox(node)
            found = self._nodes[node] = (str(term), term)
        return found

    def write(self, description: Iterable[Triple]) -> dict[str, bytes]:
        """The four files of one description (statements with canonical blank-node labels)."""
        by_line: dict[str, tuple[Triple, ox.Triple]] = {}
        for triple in set(description):
            (s_nt, s_ox), (p_nt, p_ox), (o_nt, o_ox) = map(self._node, triple)
            by_line[f"{s_nt} {p_nt} {o_nt} ."] = (triple, ox.Triple(s_ox, p_ox, o_ox))  # type: ignore[arg-type]
        lines = sorted(by_line)
        triples = [by_line[line][0] for line in lines]
        return {
            ".ttl": turtle.write(triples).encode(),
            ".jsonld": jsonld.serialize(None, self.context, triples, self.converter),
            ".owl": rdfxml.write([by_line[line][1] for line in lines]),
            ".nt": "".join(line + "\n" for line in lines).encode(),
        }
