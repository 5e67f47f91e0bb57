"""rdflib's own Turtle serializer with CIMO's ordering hooks: the reference that
``cimo.turtle``'s writer must match byte for byte (``test_writers.py``).

It was the release's writer until the site wrote one Turtle file per term and rdflib's
store queries dominated the build; it stays here so the faster writer is held to it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.plugins.serializers.turtle import OBJECT, VERB, TurtleSerializer
from rdflib.term import Literal, Node

from cimo.export.canonical import Triple
from cimo.vocab import STANDARD_PREFIXES
from triple_index import TripleIndex


class _CanonicalTurtle(TurtleSerializer):
    """rdflib's Turtle writer with a total, graph-determined statement order."""

    predicateOrder = [RDF.type]  # noqa: RUF012 (rdflib's attribute)
    # linkml (imported by sssom and OAK) sets TurtleSerializer.roundtrip_prefixes for every
    # rdflib user in the process; CIMO's layout must not depend on what else was imported
    roundtrip_prefixes = ()

    def orderSubjects(self) -> list[Node]:
        # Blank nodes nothing refers to (axiom annotations) come before referenced ones, so
        # a blank node used once is written inline where it is used, not on its own.
        ontologies = sorted(
            s
            for s in self._subjects
            if isinstance(s, URIRef) and (s, RDF.type, OWL.Ontology) in self.store
        )
        for subject in ontologies:
            self._topLevels[subject] = True
        named = sorted(s for s in self._subjects if isinstance(s, URIRef) and s not in ontologies)
        blank = sorted(
            (s for s in self._subjects if isinstance(s, BNode)),
            key=lambda s: (self._references[s], str(s)),
        )
        return [*ontologies, *named, *blank]

    def sortProperties(self, properties: Mapping[Node, list[Node]]) -> list[Node]:
        for objects in properties.values():
            objects.sort(key=self._object_key)
        return sorted(properties, key=lambda p: (p != RDF.type, self.label(p, VERB)))

    def _object_key(self, node: Node) -> tuple[int, str]:
        """IRIs, then literals, then blank nodes by what they say (readable and stable)."""
        if isinstance(node, URIRef):
            return (0, self.label(node, OBJECT))
        if isinstance(node, Literal):
            return (1, node.n3())
        said = sorted(
            f"{p.n3()} {o.n3()}"
            for p, o in self.store.predicate_objects(node)
            if not isinstance(o, BNode)
        )
        return (2, " ".join(said) + " " + str(node))

    def isValidList(self, l_: Node) -> bool:
        """Whether ``( ... )`` may stand for the list starting at ``l_``.

        rdflib checks only that each cell says nothing but first and rest. A cell written
        inline has no label, so list syntax is also refused when a later cell is referenced
        from elsewhere, is already written, or the rest chain loops: otherwise a graph with
        shared or cyclic list cells would be written as a different graph.
        """
        if self.store.value(l_, RDF.first) is None:
            return False
        seen: set[Node] = set()
        cell: Node | None = l_
        while cell is not None and cell != RDF.nil:
            if cell in seen or cell in self._serialized or not isinstance(cell, BNode):
                return False
            if cell != l_ and self._references[cell] != 1:
                return False
            predicates = sorted(str(p) for p, _ in self.store.predicate_objects(cell))
            if predicates != [str(RDF.first), str(RDF.rest)]:
                return False
            seen.add(cell)
            cell = self.store.value(cell, RDF.rest)
        return cell == RDF.nil

    def predicateList(self, subject: Node, newline: bool = False) -> None:
        """One predicate per line, the first one too (rdflib puts it beside the subject)."""
        properties = self.buildPredicateHash(subject)
        for index, predicate in enumerate(self.sortProperties(properties)):
            self.write((" ;" if index else "") + "\n" + self.indent(1))
            self.verb(predicate, newline=True)
            self.objectList(properties[predicate])


def write(triples: Iterable[Triple], prefixes: Mapping[str, str] | None = None) -> str:
    """What rdflib's serializer, with CIMO's ordering, writes for ``triples``."""
    bindings = Graph(bind_namespaces="none")
    for prefix, namespace in {**STANDARD_PREFIXES, **(prefixes or {})}.items():
        bindings.bind(prefix, namespace, override=True, replace=True)
    stream = io.BytesIO()
    _CanonicalTurtle(TripleIndex(triples, bindings)).serialize(stream, encoding="utf-8")  # type: ignore[arg-type]
    return stream.getvalue().decode("utf-8").lstrip("\n")
