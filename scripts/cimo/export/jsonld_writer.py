"""Compacted JSON-LD from sorted statements: rdflib's algorithm, without its graph.

rdflib's JSON-LD serializer (``from_rdf``) asks its graph, for every statement,
which context term fits the predicate, how to shorten each IRI and whether the
object starts a list, and its JSON text goes through the standard library's
pure-Python indenting encoder. On the release and on every term page those
answers repeat thousands of times. This module walks the same algorithm over a
plain subject index and remembers each answer, then writes the JSON text with
a direct emitter. rdflib's ``Context`` still decides every term choice and IRI
shortening, so the output follows the context exactly as rdflib reads it; the
test suite holds it byte for byte to rdflib's serializer (``tests/reference_jsonld.py``)
on random graphs and on the release.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.plugins.shared.jsonld.context import UNDEF, Context
from rdflib.plugins.shared.jsonld.keys import GRAPH, ID, LANG, LIST, SET, VOCAB
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
_PLAIN_LITERAL_TYPES = {XSD.boolean, XSD.integer, XSD.double, XSD.string}
# rdflib's namespace attributes are looked up by a Python method each time: once here
_FIRST, _REST, _NIL, _TYPE, _LIST = RDF.first, RDF.rest, RDF.nil, RDF.type, RDF.List
# a term's == is Python code too: one-element sets answer by hash first
_IS_FIRST, _IS_NIL = frozenset({_FIRST}), frozenset({_NIL})
_encode_string = json.encoder.encode_basestring


class _Index:
    """Each subject's (predicate, object) pairs in statement order, and who refers to what."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.pairs: dict[Node, list[tuple[Node, Node]]] = {}
        self.referenced: set[Node] = set()
        self.first: dict[Node, Node] = {}
        for s, p, o in triples:
            pairs = self.pairs.get(s)
            if pairs is None:
                pairs = self.pairs[s] = []
            pairs.append((p, o))
            if isinstance(o, BNode):  # only blank nodes are asked about (top-level or not)
                self.referenced.add(o)
            if p in _IS_FIRST and s not in self.first:
                self.first[s] = o


class Converter:
    """One context's conversion of statement lists to JSON-LD documents.

    Made once per context; it remembers the context's answers across documents,
    which is what makes many small documents (the term pages) cheap.
    """

    def __init__(self, context: Context) -> None:
        self.context = context
        self.use_native_types = True  # rdflib: ``context.active or use_native_types``
        self.id_key = context.id_key  # properties of the context, computed on each access
        self.type_key = context.type_key
        self.value_key = context.value_key
        self.lang_key = context.lang_key
        self.list_key = context.list_key
        self._shrunk: dict[str, str] = {}
        self._symbols: dict[str, str | None] = {}
        self._literal_terms: dict[tuple[str, str | None, str | None], Any] = {}
        self._node_terms: dict[tuple[str, bool], Any] = {}

    # -- the context's answers, remembered -------------------------------------------
    def _shrink(self, iri: str) -> str:
        found = self._shrunk.get(iri)
        if found is None:
            found = self._shrunk[iri] = self.context.shrink_iri(iri)
        return found

    def _symbol(self, iri: str) -> str | None:
        if iri in self._symbols:
            return self._symbols[iri]
        found = self._symbols[iri] = self.context.to_symbol(iri)
        return found

    def _literal_term(self, p: str, o: Literal) -> Any:
        datatype = str(o.datatype) if o.datatype else None
        key = (p, datatype, o.language)
        if key not in self._literal_terms:
            self._literal_terms[key] = self.context.find_term(p, datatype, language=o.language)
        return self._literal_terms[key]

    def _node_term(self, p: str, is_list: Any) -> Any:
        key = (p, is_list)
        if key in self._node_terms:
            return self._node_terms[key]
        term = None
        containers: list[Any] = [LIST, None] if is_list else [None]
        for container in containers:
            for coercion in (ID, VOCAB, UNDEF):
                term = self.context.find_term(p, coercion, container)
                if term:
                    break
            if term:
                break
        self._node_terms[key] = term
        return term

    # -- rdflib's Converter, over the index --------------------------------------------
    def convert(self, triples: Iterable[Triple]) -> dict[str, Any]:
        """What ``from_rdf(graph, context, auto_compact=True)`` returns for these distinct
        statements (``@context`` aside: the caller names the shipped context file)."""
        context = self.context
        if not context.active:
            raise ValueError("a JSON-LD context with at least one definition is needed")
        index = _Index(triples)
        nodemap: dict[Any, Any] = {}
        for s in index.pairs:
            if isinstance(s, URIRef) or (isinstance(s, BNode) and s not in index.referenced):
                self._subject(index, s, nodemap)
        nodes = list(nodemap.values())
        if len(nodes) == 1:
            return dict(nodes[0])
        return {context.graph_key: nodes} if nodes else {context.get_key(GRAPH): []}

    def _subject(self, index: _Index, s: Node, nodemap: dict[Any, Any]) -> dict[str, Any] | None:
        node_id = (
            self._shrink(s) if isinstance(s, URIRef) else s.n3() if isinstance(s, BNode) else None
        )
        if node_id in nodemap:
            return None
        node: dict[str, Any] = {self.id_key: node_id}
        nodemap[node_id] = node
        for p, o in index.pairs.get(s, ()):
            self._add(index, s, p, o, node, nodemap)
        return node

    def _add(
        self,
        index: _Index,
        s: Node,
        p: Node,
        o: Node,
        s_node: dict[str, Any],
        nodemap: dict[Any, Any],
    ) -> None:
        context = self.context
        language = None
        if isinstance(o, Literal):
            language = o.language
            term = self._literal_term(str(p), o)
        else:
            term = self._node_term(str(p), bool(index.first.get(o)))
        node: Any = None
        use_set = not context.active
        if term:
            p_key: Any = term.name
            if term.type:
                node = self._coerce(o, term.type)
            elif _language_matches(term, o, context):
                node = str(o)
            if LIST in term.container:
                node = [
                    self._coerce(v, term.type) or self._raw(index, s, v, nodemap)
                    for v in self._collection(index, o) or ()
                ]
            elif LANG in term.container and language:
                value = s_node.setdefault(p_key, {})
                values = value.get(language)
                node = str(o)
                if values or SET in term.container:
                    if not isinstance(values, list):
                        value[language] = values = [values]
                    values.append(node)
                else:
                    value[language] = node
                return
            elif SET in term.container:
                use_set = True
        else:
            p_key = self._symbol(str(p))
            key_term = context.terms.get(p_key)
            if key_term and (key_term.type or key_term.container):
                p_key = p
            if p == _TYPE:  # rdflib's ``use_rdf_type`` is off: types go under @type
                if isinstance(o, URIRef):
                    node = self._symbol(str(o))
                p_key = self.type_key
        if node is None:
            node = self._raw(index, s, o, nodemap)
        value = s_node.get(p_key)
        if value:
            if not isinstance(value, list):
                value = [value]
            value.append(node)
        elif use_set:
            value = [node]
        else:
            value = node
        s_node[p_key] = value

    def _coerce(self, o: Node, coerce_type: str) -> Any:
        if coerce_type == ID:
            if isinstance(o, URIRef):
                return self._shrink(o)
            if isinstance(o, BNode):
                return o.n3()
            return o
        if coerce_type == VOCAB and isinstance(o, URIRef):
            return self._symbol(str(o))
        if isinstance(o, Literal) and str(o.datatype) == coerce_type:
            return o
        return None

    def _raw(self, index: _Index, s: Node, o: Node, nodemap: dict[Any, Any]) -> Any:
        context = self.context
        collection = self._collection(index, o)
        if collection is not None:
            return {self.list_key: [self._raw(index, s, item, nodemap) for item in collection]}
        if isinstance(o, BNode):
            child = self._subject(index, o, nodemap)
            if child:
                nodemap[child[self.id_key]] = child
            return {self.id_key: o.n3()}
        if isinstance(o, URIRef):
            return {self.id_key: self._shrink(o)}
        if isinstance(o, Literal):
            native = self.use_native_types and o.datatype in _PLAIN_LITERAL_TYPES
            v = o.toPython() if native else str(o)
            if o.datatype:
                if native and context.active:
                    return v
                return {self.type_key: self._symbol(str(o.datatype)), self.value_key: v}
            if o.language and o.language != _default_language(context):
                return {self.lang_key: o.language, self.value_key: v}
            if not context.active or (_default_language(context) and not o.language):
                return {self.value_key: v}
            return v
        return None

    def _collection(self, index: _Index, head: Node) -> list[Any] | None:
        if head not in _IS_NIL and not index.first.get(head):
            return None
        items: list[Any] = []
        chain = {head}
        cell: Node | None = head
        while cell:
            if cell in _IS_NIL:
                return items
            if isinstance(cell, URIRef):
                return None
            first, rest = None, None
            for p, o in index.pairs.get(cell, ()):
                if not first and p == _FIRST:
                    first = o
                elif not rest and p == _REST:
                    rest = o
                elif p != _TYPE or o != _LIST:
                    return None
            items.append(first)
            cell = rest
            if cell in chain:
                return None
            chain.add(cell)  # type: ignore[arg-type]
        return None


def _language_matches(term: Any, o: Node, context: Context) -> bool:
    """rdflib's test for writing a literal as a plain string under a language term
    (it reads ``o.language`` of an IRI too, and fails, when a term has a language)."""
    if term.language:
        return bool(o.language == term.language)  # type: ignore[attr-defined]
    if _default_language(context):
        return term.language is None and o.language is None  # type: ignore[attr-defined]
    return False


def _default_language(context: Context) -> str | None:
    """The context's ``@language`` (rdflib's annotation leaves it out)."""
    language: str | None = getattr(context, "language", None)
    return language


def dumps(value: Any) -> str:
    """``json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)``, written directly.

    The standard library indents with its pure-Python encoder, a generator per
    level; this emitter makes the same text from a list of pieces.
    """
    out: list[str] = []
    _emit(value, 0, out)
    return "".join(out)


def _emit(value: Any, level: int, out: list[str]) -> None:
    kind = type(value)
    if kind is str or isinstance(value, str):
        out.append(_encode_string(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = "\n" + " " * (level + 1)
        out.append("{")
        separator = inner
        for key in sorted(value):
            out.append(separator)
            out.append(_encode_string(key) if isinstance(key, str) else _key(key))
            out.append(": ")
            _emit(value[key], level + 1, out)
            separator = "," + inner
        out.append("\n" + " " * level + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = "\n" + " " * (level + 1)
        out.append("[")
        separator = inner
        for item in value:
            out.append(separator)
            _emit(item, level + 1, out)
            separator = "," + inner
        out.append("\n" + " " * level + "]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, dict):
        _emit(dict(value), level, out)
    elif isinstance(value, (list, tuple)):
        _emit(list(value), level, out)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _encode_string(key)
    if isinstance(key, float):
        return _encode_string(_float(key))
    if key is True or key is False or key is None:
        return _encode_string({True: "true", False: "false", None: "null"}[key])
    if isinstance(key, int):
        return _encode_string(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)
