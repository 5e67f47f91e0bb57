"""Turtle in one canonical layout, written by rdflib's Turtle serializer.

The writer is rdflib's own (escaping, prefixed names, ``[ ... ]`` blank nodes,
``( ... )`` lists, shared and cyclic blank nodes): only its ordering hooks are
set here. It is fed a canonical copy of the graph (RDFC-1.0 blank-node labels,
statements inserted sorted; see ``cimo.export.canonical``), so the bytes are a
function of the graph alone: reviewable diffs of the edited modules
(``cimo fmt``) and byte-identical release files. Layout: the ontology header
first, then named subjects sorted by IRI, then blank-node subjects; each
subject on its own line, ``a`` first and the other predicates sorted by IRI,
one per line.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.plugins.serializers.turtle import OBJECT, VERB, TurtleSerializer
from rdflib.term import Node

from cimo.export.canonical import Triple, canonical_dataset, sorted_triples
from cimo.vocab import STANDARD_PREFIXES


class _CanonicalTurtle(TurtleSerializer):
    """rdflib's Turtle writer with a total, graph-determined statement order."""

    predicateOrder = [RDF.type]  # noqa: RUF012 (rdflib's attribute)

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

    def predicateList(self, subject: Node, newline: bool = False) -> None:
        """One predicate per line, the first one too (rdflib puts it beside the subject)."""
        properties = self.buildPredicateHash(subject)
        for index, predicate in enumerate(self.sortProperties(properties)):
            self.write((" ;" if index else "") + "\n" + self.indent(1))
            self.verb(predicate, newline=True)
            self.objectList(properties[predicate])


class _Index:
    """The read-only part of ``rdflib.Graph`` that the Turtle writer uses, answered
    from dictionaries built once (an rdflib graph costs far more to fill than to write).

    The writer's output does not depend on the order of these answers (it sorts
    subjects, predicates and objects itself); the prefixes are a real, fresh
    namespace manager, exactly as the writer would get from a fresh graph.
    """

    base = None

    def __init__(self, triples: Iterable[Triple], prefixes: Mapping[str, str]) -> None:
        bindings = Graph(bind_namespaces="none")
        for prefix, namespace in prefixes.items():
            bindings.bind(prefix, namespace, override=True, replace=True)
        self.store = bindings.store  # the writer asks it for a namespace's prefix
        self.compute_qname = bindings.namespace_manager.compute_qname
        self._spo: dict[Node, dict[Node, dict[Node, None]]] = {}
        for s, p, o in triples:
            self._spo.setdefault(s, {}).setdefault(p, {})[o] = None

    def triples(self, pattern: tuple[Node | None, None, None]) -> Iterator[Triple]:
        subject = pattern[0]
        for s in self._spo if subject is None else (subject,) if subject in self._spo else ():
            for p, objects in self._spo[s].items():
                for o in objects:
                    yield s, p, o

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        for p, objects in self._spo.get(subject, {}).items():
            for o in objects:
                yield p, o

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(iter(self._spo.get(subject, {}).get(predicate, ())), None)

    def __contains__(self, triple: Triple) -> bool:
        s, p, o = triple
        return o in self._spo.get(s, {}).get(p, ())


def canonical_graph(triples: Iterable[Triple], prefixes: Mapping[str, str] | None = None) -> Graph:
    """An rdflib graph of ``triples`` (canonical, sorted), inserted in order, with the
    prefixes :func:`write` uses: for writers that need a real graph (JSON-LD)."""
    canonical = Graph(bind_namespaces="none")
    for prefix, namespace in {**STANDARD_PREFIXES, **(prefixes or {})}.items():
        canonical.bind(prefix, namespace, override=True, replace=True)
    for triple in triples:
        canonical.add(triple)
    return canonical


def write(triples: Iterable[Triple], prefixes: Mapping[str, str] | None = None) -> str:
    """The Turtle text of ``triples`` (with canonical blank-node labels)."""
    index = _Index(triples, {**STANDARD_PREFIXES, **(prefixes or {})})
    stream = io.BytesIO()
    _CanonicalTurtle(index).serialize(stream, encoding="utf-8")  # type: ignore[arg-type]
    return stream.getvalue().decode("utf-8").lstrip("\n")


def serialize(
    graph: Graph, prefixes: Mapping[str, str] | None = None, triples: list[Triple] | None = None
) -> str:
    """Return the canonical Turtle text of ``graph``.

    ``triples``, the graph's :func:`~cimo.export.canonical.sorted_triples` when the
    caller already has them, spares recomputing the canonical blank-node labels.
    """
    if triples is None:
        triples = sorted_triples(canonical_dataset(graph))
    return write(triples, prefixes)
