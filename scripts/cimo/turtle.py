"""Turtle in one canonical layout, byte for byte what rdflib's Turtle serializer writes.

The layout is rdflib's (escaping, prefixed names, ``[ ... ]`` blank nodes,
``( ... )`` lists, shared and cyclic blank nodes) with CIMO's ordering: the
ontology header first, then named subjects sorted by IRI, then blank-node
subjects; each subject on its own line, ``a`` first and the other predicates
sorted by their written form, one per line. It is fed the graph's canonical
statements (RDFC-1.0 blank-node labels, sorted; see ``cimo.export.canonical``),
so the bytes are a function of the graph alone: reviewable diffs of the edited
modules (``cimo fmt``) and byte-identical release files.

Why a writer of our own: rdflib's serializer asks its store the same questions
again and again (prefixed names, predicate lists) and took most of the site's
time, once per term page. This one walks the same algorithm over plain dicts and
works out each node's written form once. rdflib still decides the two things
that are easy to get subtly wrong: how an IRI splits into a prefixed name
(``NamespaceManager.compute_qname``) and how a literal is escaped
(``Literal._literal_n3``). A test holds it to rdflib's own serializer with the
same ordering (``tests/reference_turtle.py``) on random graphs and on the release.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from cimo.export.canonical import Triple, canonical_dataset, sorted_triples
from cimo.vocab import STANDARD_PREFIXES

_SUBJECT, _VERB, _OBJECT = 0, 1, 2
_INDENT = "    "
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")  # rdflib's PLX rule for local names
# rdflib's namespace attributes are looked up by a Python method, and a term's ``==`` is
# Python code too: the writer tests membership of one-element sets (hash first) instead
_TYPE, _NIL, _FIRST, _REST = RDF.type, RDF.nil, RDF.first, RDF.rest
_IS_TYPE, _IS_NIL = frozenset({_TYPE}), frozenset({_NIL})
_ONTOLOGY = OWL.Ontology


class _Resolver:
    """How rdflib splits an IRI into prefix and local name, for one set of prefixes,
    each answer worked out once and shared by every document with those prefixes.

    A predicate whose namespace has no prefix makes rdflib bind a generated one
    (``ns1``); that changes later answers, so the memo is then dropped and the
    resolver is retired (see :func:`_resolver`): the next document starts afresh,
    as rdflib would with a new graph.
    """

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        bindings = Graph(bind_namespaces="none")
        for prefix, namespace in prefixes.items():
            bindings.bind(prefix, namespace, override=True, replace=True)
        self._manager = bindings.namespace_manager
        self._store = bindings.store
        self._memo: dict[tuple[URIRef, bool], tuple[str, str, str] | None] = {}
        #: (prefix, namespace, local name as Turtle writes it), or None: no prefixed name
        self.written: dict[tuple[URIRef, bool], tuple[str, str, str] | None] = {}
        self._bound = len(list(bindings.namespaces()))
        self.retired = False

    def parts(self, uri: URIRef, generate: bool) -> tuple[str, str, str] | None:
        key = (uri, generate)
        if key in self._memo:
            return self._memo[key]
        try:
            prefix, namespace, local = self._manager.compute_qname(uri, generate=generate)
            parts: tuple[str, str, str] | None = (prefix, str(namespace), local)
        except Exception:  # rdflib's own fallback, same breadth: the IRI may be a namespace
            own = self._store.prefix(uri)
            parts = (own, str(uri), "") if own is not None else None
        bound = len(list(self._manager.namespaces())) if generate else self._bound
        if bound != self._bound:
            self._memo.clear()
            self.written.clear()
            self._bound = bound
            self.retired = True
        self._memo[key] = parts
        return parts


_RESOLVERS: dict[tuple[tuple[str, str], ...], _Resolver] = {}


def _resolver(prefixes: Mapping[str, str]) -> _Resolver:
    key = tuple(sorted(prefixes.items()))
    found = _RESOLVERS.get(key)
    if found is None or found.retired:
        if len(_RESOLVERS) > 32:  # a handful of prefix sets are in use; never grow unbounded
            _RESOLVERS.clear()
        found = _RESOLVERS[key] = _Resolver(prefixes)
    return found


class _Names:
    """Prefixed names in one document as rdflib's Turtle serializer makes them, and the
    prefixes the document uses (its header)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self._resolver = _resolver(prefixes)
        self.used: dict[str, str] = {}  # prefix -> namespace, as the header lists them
        self._rewrites: dict[str, str] = {}

    def pname(self, uri: URIRef, generate: bool) -> str | None:
        resolver = self._resolver
        key = (uri, generate)
        if key in resolver.written:
            written = resolver.written[key]
        else:
            parts = resolver.parts(uri, generate)
            written = None
            if parts is not None:
                prefix, namespace, local = parts
                local = _BAD_PERCENT.sub("\\%", local.replace("(", r"\(").replace(")", r"\)"))
                if not local.endswith("."):
                    written = (prefix, namespace, local)
            if not resolver.retired:  # a retired resolver's answers are this document's only
                resolver.written[key] = written
        if written is None:
            return None
        return f"{self._declare(written[0], written[1])}:{written[2]}"

    def _declare(self, prefix: str, namespace: str) -> str:
        """rdflib's ``addNamespace``: a prefix starting with ``_``, or taken by another
        namespace, is rewritten as ``p<prefix>``."""
        if (prefix and prefix[0] == "_") or self.used.get(prefix, namespace) != namespace:
            if prefix not in self._rewrites:
                rewritten = "p" + prefix
                while rewritten in self.used:
                    rewritten = "p" + rewritten
                self._rewrites[prefix] = rewritten
            prefix = self._rewrites[prefix]
        self.used[prefix] = namespace
        return prefix


def _closing_quote_escaped(node: Literal, written: str) -> str:
    """rdflib's triple-quoted form of a multi-line literal that ends in a quote, made valid.

    rdflib escapes that last quote unless a backslash precedes it, but the backslash may
    itself be escaped (an even run), and then four quotes in a row end the string one
    character early: rdflib's lenient parser reads it back, Oxigraph and Jena refuse it.
    """
    if "\n" not in node or not str(node).endswith('"'):
        return written
    quoted = node._quote_encode()  # three quotes, the body, three quotes: no language or type
    body = quoted[3:-3]
    backslashes = len(body[:-1]) - len(body[:-1].rstrip("\\"))
    if backslashes % 2 == 1:  # the closing quote is escaped already
        return written
    return '"""' + body[:-1] + '\\"' + '"""' + written[len(quoted) :]


#: the Turtle form of each literal without a datatype (a language tag at most), by its parts
_PLAIN_LITERALS: dict[tuple[str, str | None], str] = {}


class _Writer:
    """One document: rdflib's recursive Turtle algorithm over plain dicts."""

    def __init__(self, triples: Iterable[Triple], prefixes: Mapping[str, str]) -> None:
        self.names = _Names(prefixes)
        self.spo: dict[Node, dict[Node, list[Node]]] = {}
        self.references: dict[Node, int] = {}
        for s, p, o in triples:  # distinct statements: no object is kept twice
            said = self.spo.get(s)
            if said is None:
                said = self.spo[s] = {}
            objects = said.get(p)
            if objects is None:
                said[p] = [o]
            else:
                objects.append(o)
            # only blank nodes are ever asked how often they are referenced
            if isinstance(o, BNode):
                self.references[o] = self.references.get(o, 0) + 1
            if isinstance(p, BNode):
                self.references[p] = self.references.get(p, 0) + 1
        self._noted: set[tuple[Node, bool]] = set()
        for s, predicates in self.spo.items():  # rdflib's preprocess: names in statement order
            for p, objects in predicates.items():
                for o in objects:
                    self._note(s, p, o)
        self.serialized: set[Node] = set()
        self.out: list[str] = []
        self.depth = 0
        self._labels: tuple[dict[Node, str], ...] = ({}, {}, {})  # by position

    def _note(self, s: Node, p: Node, o: Node) -> None:
        """rdflib's preprocessing: every name is worked out once, declaring its prefix.
        Asking again for a name already asked the same way declares nothing new, so each
        question (an IRI, or a literal's datatype, and whether it stands as a verb) is
        asked once; blank nodes and plain literals ask none."""
        for position, node in enumerate((s, p, o)):
            if isinstance(node, URIRef):
                if position == _VERB and node in _IS_TYPE:
                    continue
                key = (node, position == _VERB)
            elif isinstance(node, Literal) and node.datatype:
                key = (node.datatype, False)
            else:
                continue
            if key not in self._noted:
                self._noted.add(key)
                self.names.pname(key[0], generate=key[1])

    def label(self, node: Node, position: int) -> str:
        # an IRI is written by position (``a``, prefixes generated for verbs); other terms
        # the same way everywhere: one table per case, no key tuple per call
        table = self._labels[position] if isinstance(node, URIRef) else self._labels[_OBJECT]
        written = table.get(node)
        if written is None:
            written = table[node] = self._label(node, position)
        return written

    def _label(self, node: Node, position: int) -> str:
        if node in _IS_NIL:
            return "()"
        if position == _VERB and node in _IS_TYPE:
            return "a"
        if isinstance(node, Literal):
            if node.datatype is None:  # no prefix to declare: the text is the same everywhere
                key = (str(node), node.language)
                text = _PLAIN_LITERALS.get(key)
                if text is None:
                    if len(_PLAIN_LITERALS) > 1_000_000:
                        _PLAIN_LITERALS.clear()
                    text = _PLAIN_LITERALS[key] = _closing_quote_escaped(
                        node, node._literal_n3(use_plain=True)
                    )
                return text
            written = node._literal_n3(
                use_plain=True, qname_callback=lambda dt: self.names.pname(dt, generate=False)
            )
            return _closing_quote_escaped(node, written)
        if isinstance(node, URIRef):
            return self.names.pname(node, generate=position == _VERB) or node.n3()
        return node.n3()

    def value(self, subject: Node, predicate: Node) -> Node | None:
        objects = self.spo.get(subject, {}).get(predicate)
        return objects[0] if objects else None

    # ordering (CIMO's)
    def subjects_in_order(self) -> list[Node]:
        ontologies = sorted(
            s for s in self.spo if isinstance(s, URIRef) and _ONTOLOGY in self.spo[s].get(_TYPE, ())
        )
        named = sorted(s for s in self.spo if isinstance(s, URIRef) and s not in ontologies)
        blank = sorted(
            (s for s in self.spo if isinstance(s, BNode)),
            key=lambda s: (self.references.get(s, 0), str(s)),
        )
        return [*ontologies, *named, *blank]

    def _object_key(self, node: Node) -> tuple[int, str]:
        """IRIs, then literals, then blank nodes by what they say (readable and stable)."""
        if isinstance(node, URIRef):
            return (0, self.label(node, _OBJECT))
        if isinstance(node, Literal):
            return (1, node.n3())
        said = sorted(
            f"{p.n3()} {o.n3()}"
            for p, objects in self.spo.get(node, {}).items()
            for o in objects
            if not isinstance(o, BNode)
        )
        return (2, " ".join(said) + " " + str(node))

    def _sorted_properties(self, subject: Node) -> list[tuple[Node, list[Node]]]:
        properties = self.spo.get(subject, {})
        order = sorted(properties, key=lambda p: (p not in _IS_TYPE, self.label(p, _VERB)))
        return [(p, sorted(properties[p], key=self._object_key)) for p in order]

    def is_valid_list(self, start: Node) -> bool:
        """Whether ``( ... )`` may stand for the list starting at ``start``: each cell says
        only first and rest, none but the first is referenced elsewhere or already
        written, and the chain ends in ``rdf:nil`` without looping."""
        if self.value(start, _FIRST) is None:
            return False
        seen: set[Node] = set()
        cell: Node | None = start
        while cell is not None and cell not in _IS_NIL:
            if cell in seen or cell in self.serialized or not isinstance(cell, BNode):
                return False
            if cell != start and self.references.get(cell, 0) != 1:
                return False
            said = self.spo.get(cell, {})
            if sorted(str(p) for p, objects in said.items() for _ in objects) != [
                str(_FIRST),
                str(_REST),
            ]:
                return False
            seen.add(cell)
            cell = self.value(cell, _REST)
        return cell in _IS_NIL

    # writing (rdflib's)
    def write(self) -> str:
        for subject in self.subjects_in_order():
            if subject in self.serialized:
                continue
            self.serialized.add(subject)
            if isinstance(subject, BNode) and not self.references.get(subject, 0):
                self.out.append("\n" + _INDENT * self.depth + "[]")
            else:
                self.out.append("\n" + _INDENT * self.depth)
                self.path(subject, _SUBJECT)
            self.predicate_list(subject)
            self.out.append(" .\n")
        header = "".join(
            f"@prefix {prefix}: <{namespace}> .\n"
            for prefix, namespace in sorted(self.names.used.items())
        )
        return (header + "".join(self.out) + "\n").lstrip("\n")

    def path(self, node: Node, position: int, newline: bool = False) -> None:
        if (
            isinstance(node, BNode)
            and node not in self.serialized
            and self.references.get(node, 0) <= 1
            and position != _SUBJECT
        ):
            if not newline:
                self.out.append(" ")
            if self.is_valid_list(node):
                self.out.append("(")
                self.depth += 1
                self.list_items(node)
                self.depth -= 1
                self.out.append(" )")
            else:
                self.serialized.add(node)
                self.depth += 1
                self.out.append("[")
                self.predicate_list(node)
                self.out.append(" ]")
                self.depth -= 1
            return
        if position != _SUBJECT and not newline:
            self.out.append(" ")
        self.out.append(self.label(node, position))

    def list_items(self, cell: Node | None) -> None:
        while cell is not None:
            item = self.value(cell, _FIRST)
            if item is not None:
                self.path(item, _OBJECT)
                self.serialized.add(cell)
            cell = self.value(cell, _REST)

    def predicate_list(self, subject: Node) -> None:
        """One predicate per line, the first one too (rdflib puts it beside the subject)."""
        for number, (predicate, objects) in enumerate(self._sorted_properties(subject)):
            self.out.append((" ;" if number else "") + "\n" + _INDENT * (self.depth + 1))
            self.path(predicate, _VERB, newline=True)
            self.object_list(objects)

    def object_list(self, objects: list[Node]) -> None:
        # rdflib means to indent only lists of two or more, but its ``(count == 1) and 0
        # or 1`` is always 1: nested blank nodes are indented one level more than that
        self.depth += 1
        self.path(objects[0], _OBJECT)
        for node in objects[1:]:
            self.out.append(",\n" + _INDENT * (self.depth + 1))
            self.path(node, _OBJECT, newline=True)
        self.depth -= 1


def write(triples: Iterable[Triple], prefixes: Mapping[str, str] | None = None) -> str:
    """The Turtle text of ``triples`` (distinct statements with canonical blank-node labels,
    sorted), using the standard prefixes and ``prefixes`` (those that the text uses are
    declared)."""
    return _Writer(triples, {**STANDARD_PREFIXES, **(prefixes or {})}).write()


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
