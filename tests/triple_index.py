"""A read-only stand-in for an rdflib graph, for rdflib's own writers in the tests.

The reference writers (``reference_turtle.py``, ``reference_jsonld.py``: rdflib's
serializers, the oracles the release's own writers are held to) read the graph
through a handful of methods. They are handed this index instead of a filled
graph: the same answers, in the same order as rdflib's in-memory store gives them
(subjects, then predicates, then objects in insertion order), built once from
plain triples; ``test_writers.py`` checks that it answers as a filled graph does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import BNode, Graph
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class TripleIndex:
    """``triples``, ``subjects``, ``predicate_objects``, ``value`` and ``in``, as on
    ``rdflib.Graph`` (without contexts). ``bindings``, a graph holding only prefixes,
    answers the prefixed-name questions (``compute_qname``, ``store.prefix``)."""

    base = None
    context_aware = False

    def __init__(self, triples: Iterable[Triple], bindings: Graph | None = None) -> None:
        self.identifier = BNode()  # as a fresh Graph's: never a named graph
        self.bindings = bindings if bindings is not None else Graph(bind_namespaces="none")
        self.store = self.bindings.store
        self.compute_qname = self.bindings.namespace_manager.compute_qname
        self._spo: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._users: dict[Node, dict[Node, None]] = {}  # object -> subjects
        for s, p, o in triples:
            self._spo.setdefault(s, {}).setdefault(p, {})[o] = None
            self._users.setdefault(o, {})[s] = None

    def triples(self, pattern: tuple[Node | None, None, None]) -> Iterator[Triple]:
        subject = pattern[0]
        for s in self._spo if subject is None else (subject,) if subject in self._spo else ():
            for p, objects in self._spo[s].items():
                for o in objects:
                    yield s, p, o

    def subjects(self, predicate: None = None, obj: Node | None = None) -> Iterator[Node]:
        """Every subject, or every subject of ``obj`` (any predicate: all JSON-LD asks)."""
        yield from self._spo if obj is None else self._users.get(obj, ())

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        for p, objects in self._spo.get(subject, {}).items():
            for o in objects:
                yield p, o

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(iter(self._spo.get(subject, {}).get(predicate, ())), None)

    def __contains__(self, triple: Triple) -> bool:
        s, p, o = triple
        return o in self._spo.get(s, {}).get(p, ())
