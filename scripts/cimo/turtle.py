"""A canonical Turtle writer.

rdflib's serializer labels blank nodes at random and orders statements by
hash, so two runs over the same source give different bytes. CIMO needs one
canonical form for two reasons: reviewable diffs of the edited modules
(``cimo fmt``) and byte-identical release artifacts. The rules are simple and
total: subjects sorted (the ontology header first), ``rdf:type`` first and then
predicates sorted, objects sorted by their rendered text, blank nodes that are
used once written inline, RDF lists written as ``( ... )``, and blank nodes that
are never used as objects (axiom annotations) written as top-level ``[ ... ] .``
blocks sorted by their text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD
from rdflib.term import Node

from cimo.vocab import STANDARD_PREFIXES

_LOCAL_RE = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_\-.]*[A-Za-z0-9_\-])?$")
_INDENT = "    "
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


class _Writer:
    """Renders one graph; holds the bnode bookkeeping for that graph only."""

    def __init__(self, graph: Graph, prefixes: Mapping[str, str]) -> None:
        self.graph = graph
        # Longest namespace first, so ``CIMO:`` wins over ``cimo:``.
        self.prefixes = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self.used_prefixes: set[str] = set()
        refs: Counter[BNode] = Counter(o for o in graph.objects() if isinstance(o, BNode))
        self.inline = {b for b, n in refs.items() if n == 1}
        self.labels: dict[BNode, str] = {}
        self._stack: set[BNode] = set()
        #: Nodes being keyed by ``cimo.export.canonical``; guards cycles there.
        self.stack_guard: set[BNode] = set()

    # -- terms -------------------------------------------------------------
    def iri(self, node: URIRef) -> str:
        text = str(node)
        if node == RDF.type:
            return "a"
        for prefix, ns in self.prefixes:
            if text.startswith(ns) and _LOCAL_RE.match(text[len(ns) :]):
                self.used_prefixes.add(prefix)
                return f"{prefix}:{text[len(ns):]}"
        return f"<{text}>"

    def literal(self, lit: Literal) -> str:
        lex = str(lit)
        if lit.datatype == XSD.boolean and lex in ("true", "false"):
            return lex
        if lit.datatype == XSD.integer and re.fullmatch(r"-?[1-9][0-9]*|0", lex):
            return lex
        quoted = f'"{_escape(lex)}"'
        if lit.language:
            return f"{quoted}@{lit.language}"
        if lit.datatype and lit.datatype != XSD.string:
            return f"{quoted}^^{self.iri(lit.datatype)}"
        return quoted

    def term(self, node: Node, depth: int) -> str:
        if isinstance(node, URIRef):
            return self.iri(node)
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, BNode):
            if node in self.inline and node not in self._stack:
                items = self.list_items(node)
                if items is not None:
                    return "( " + " ".join(self.term(i, depth + 1) for i in items) + " )"
                return self.bnode_block(node, depth)
            return self.label(node)
        raise TypeError(f"cannot write {node!r} as Turtle")

    def label(self, node: BNode) -> str:
        if node not in self.labels:
            self.labels[node] = f"_:n{len(self.labels) + 1}"
        return self.labels[node]

    def list_items(self, node: BNode) -> list[Node] | None:
        """Return the members of a well-formed RDF list, else None."""
        items: list[Node] = []
        seen: set[Node] = set()
        current: Node = node
        while current != RDF.nil:
            if not isinstance(current, BNode) or current in seen:
                return None
            if current != node and current not in self.inline:
                return None
            props = set(self.graph.predicates(current))
            if props != {RDF.first, RDF.rest}:
                return None
            firsts = list(self.graph.objects(current, RDF.first))
            rests = list(self.graph.objects(current, RDF.rest))
            if len(firsts) != 1 or len(rests) != 1:
                return None
            seen.add(current)
            items.append(firsts[0])
            current = rests[0]
        return items

    # -- blocks ------------------------------------------------------------
    def predicate_lines(self, subject: Node, depth: int) -> list[str]:
        by_predicate: dict[URIRef, list[Node]] = {}
        for p, o in self.graph.predicate_objects(subject):
            by_predicate.setdefault(p, []).append(o)  # type: ignore[arg-type]
        self._stack.add(subject)  # type: ignore[arg-type]
        rendered: list[tuple[tuple[int, str], str]] = []
        for p, objects in by_predicate.items():
            name = self.iri(p)
            objs = sorted(self.term(o, depth + 1) for o in objects)
            key = (0 if p == RDF.type else 1, name)
            rendered.append((key, f"{name} " + ", ".join(objs)))
        self._stack.discard(subject)
        return [text for _, text in sorted(rendered)]

    def bnode_block(self, node: BNode, depth: int) -> str:
        lines = self.predicate_lines(node, depth)
        if not lines:
            return "[]"
        pad = _INDENT * (depth + 1)
        body = f" ;\n{pad}".join(lines)
        return f"[\n{pad}{body}\n{_INDENT * depth}]"

    def subject_block(self, subject: Node) -> str:
        lines = self.predicate_lines(subject, 0)
        head = self.term(subject, 0) if not isinstance(subject, BNode) else self.label(subject)
        return head + "\n" + _INDENT + f" ;\n{_INDENT}".join(lines) + " .\n"

    def top_bnode_block(self, subject: BNode) -> str:
        lines = self.predicate_lines(subject, 0)
        return "[\n" + _INDENT + f" ;\n{_INDENT}".join(lines) + "\n] .\n"

    def write(self) -> str:
        graph = self.graph
        subjects = set(graph.subjects())
        named = [s for s in subjects if isinstance(s, URIRef)]
        ontologies = {s for s in named if (s, RDF.type, OWL.Ontology) in graph}
        named.sort(key=lambda s: (s not in ontologies, self.iri(s), str(s)))
        blocks = [self.subject_block(s) for s in named]
        objects = set(graph.objects())
        top = [s for s in subjects if isinstance(s, BNode) and s not in objects]
        blocks.extend(sorted(self.top_bnode_block(s) for s in top))
        # Blank nodes shared by several statements, or caught in a cycle, were
        # given labels while rendering; write each of them once as a subject.
        written: set[BNode] = set()
        while pending := [b for b in self.labels if b not in written]:
            for node in pending:
                written.add(node)
                blocks.append(self.subject_block(node))
        header = "".join(
            f"@prefix {p}: <{ns}> .\n"
            for p, ns in sorted(self.prefixes)
            if p in self.used_prefixes
        )
        return header + "\n" + "\n".join(blocks)


def writer_for(graph: Graph, prefixes: Mapping[str, str] | None = None) -> _Writer:
    merged = dict(STANDARD_PREFIXES)
    merged.update(prefixes or {})
    return _Writer(graph, merged)


def serialize(graph: Graph, prefixes: Mapping[str, str] | None = None) -> str:
    """Return the canonical Turtle text of ``graph``."""
    return writer_for(graph, prefixes).write()
