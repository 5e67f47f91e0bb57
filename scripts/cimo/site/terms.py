"""What a term page shows, read out of the release graph once per term.

The model is kept apart from the HTML so that the page, the term index and
the tests all agree on what a term *is*: its label, definition, synonyms,
parents and children, relations in both directions (from the edge graph, so
inherited relations show too), mappings, evidence quotes with their source
document, and any deprecation with its replacement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from cimo.mappings import MappingSet
from cimo.site.graph_index import GraphIndex
from cimo.vocab import (
    CIMO_NS,
    DEFINITION,
    DEFINITION_SOURCE,
    EVIDENCE_QUOTE,
    OBOINOWL,
    TERM_IRI_RE,
    TERM_REPLACED_BY,
    curie_of,
)

Triple = tuple[Node, Node, Node]

KINDS = (
    (OWL.Class, "Class"),
    (OWL.ObjectProperty, "Object property"),
    (OWL.AnnotationProperty, "Annotation property"),
    (OWL.NamedIndividual, "Individual"),
)
SYNONYM_SCOPES = (
    (OBOINOWL.hasExactSynonym, "exact"),
    (OBOINOWL.hasRelatedSynonym, "related"),
    (OBOINOWL.hasBroadSynonym, "broad"),
    (OBOINOWL.hasNarrowSynonym, "narrow"),
)
MATCH_LABELS = {
    "skos:exactMatch": "exact match",
    "skos:closeMatch": "close match",
    "skos:broadMatch": "broad match",
    "skos:narrowMatch": "narrow match",
    "skos:relatedMatch": "related match",
}
#: Properties shown in their own section, so not repeated among "other annotations".
SHOWN = {
    RDF.type,
    RDFS.label,
    DEFINITION,
    SKOS.definition,
    DEFINITION_SOURCE,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.deprecated,
    TERM_REPLACED_BY,
    OBOINOWL.hasDbXref,
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.disjointWith,
    *(p for p, _ in SYNONYM_SCOPES),
}


@dataclass(frozen=True)
class Ref:
    """A named thing with the text to show for it and where a link should go."""

    iri: str
    label: str
    href: str
    local: bool  # a page of this site, not an external resource

    @property
    def curie(self) -> str:
        return curie_of(self.iri) or ""


@dataclass(frozen=True)
class Expr:
    """A class expression as a sequence of words and references, for display."""

    parts: tuple[str | Ref, ...]


@dataclass(frozen=True)
class Synonym:
    text: str
    scope: str
    kind: str  # e.g. "brand name", from oboInOwl:hasSynonymType on the axiom


@dataclass(frozen=True)
class Relation:
    prop: Ref
    other: Ref
    asserted: bool


@dataclass(frozen=True)
class Evidence:
    """One annotated axiom: what it states, the quote, and where it comes from."""

    subject: Ref
    statement: Expr
    quote: str
    sources: tuple[Ref, ...]


@dataclass(frozen=True)
class Mapping:
    predicate: str
    curie: str
    iri: str
    label: str


@dataclass
class Term:
    ref: Ref
    kind: str
    definition: str = ""
    definition_sources: list[Ref | str] = field(default_factory=list)
    synonyms: list[Synonym] = field(default_factory=list)
    parents: list[Ref] = field(default_factory=list)
    children: list[Ref] = field(default_factory=list)
    superclass_expressions: list[Expr] = field(default_factory=list)
    equivalents: list[Expr] = field(default_factory=list)
    outgoing: list[Relation] = field(default_factory=list)
    incoming: list[Relation] = field(default_factory=list)
    mappings: list[Mapping] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    cited_by: list[Evidence] = field(default_factory=list)
    deprecated: bool = False
    replaced_by: list[Ref] = field(default_factory=list)
    domain: list[Expr] = field(default_factory=list)
    range: list[Expr] = field(default_factory=list)
    annotations: list[tuple[Ref, str | Ref]] = field(default_factory=list)

    @property
    def local(self) -> str:
        return self.ref.iri.removeprefix(CIMO_NS)

    def entry(self) -> IndexEntry:
        synonyms = tuple(s.text for s in self.synonyms)
        return IndexEntry(self.ref, self.kind, self.deprecated, synonyms)


@dataclass(frozen=True)
class IndexEntry:
    """What the term index (``terms.html``) shows of a term.

    The term pages are written in forked children and the index in the parent: an
    entry crosses back instead of the whole :class:`Term`, whose incoming relations
    alone can list thousands of terms, all pickled on the way.
    """

    ref: Ref
    kind: str
    deprecated: bool
    synonyms: tuple[str, ...]

    @property
    def local(self) -> str:
        return self.ref.iri.removeprefix(CIMO_NS)


def page_name(iri: str) -> str | None:
    """The site file of a CIMO term page (``CIMO_0000110.html``), else None."""
    return iri.removeprefix(CIMO_NS) + ".html" if TERM_IRI_RE.match(iri) else None


class Labels:
    """Resolves an IRI to a display label and a link target, memoized."""

    def __init__(self, graph: Graph | GraphIndex) -> None:
        self.graph = graph if isinstance(graph, GraphIndex) else GraphIndex(graph)
        self._cache: dict[str, Ref] = {}

    def ref(self, node: Node) -> Ref:
        iri = str(node)
        if iri not in self._cache:
            label = self.graph.value(URIRef(iri), RDFS.label)
            text = str(label) if isinstance(label, Literal) else (curie_of(iri) or iri)
            page = page_name(iri)
            self._cache[iri] = Ref(iri, text, page or iri, page is not None)
        return self._cache[iri]


def _sorted_refs(refs: Iterable[Ref]) -> list[Ref]:
    return sorted(set(refs), key=lambda r: (r.label.lower(), r.iri))


def _text(value: Node | None) -> str:
    return " ".join(str(value).split()) if value is not None else ""


class TermReader:
    """Reads :class:`Term` objects from the release graph and the edge graph.

    Both graphs and the mapping table are indexed once, up front; reading a term is
    then look-ups only, so the site grows linearly with the number of terms. A new
    section of the term page is a new field on :class:`Term`, filled in ``read`` from
    ``self.graph`` (a :class:`GraphIndex`), never by querying the rdflib graph per page.
    """

    def __init__(self, graph: Graph | Iterable[Triple], edges: Graph, mappings: MappingSet) -> None:
        self.graph = GraphIndex(graph)
        self.edges = GraphIndex(edges)
        self.labels = Labels(self.graph)
        self.mappings = mappings
        self.axioms = self._axioms()
        self.mappings_of: dict[str, list[Mapping]] = {}
        for row in mappings.rows:
            subject = mappings.expand(row.subject_id) or ""
            target = mappings.expand(row.object_id) or ""
            self.mappings_of.setdefault(subject, []).append(
                Mapping(
                    MATCH_LABELS.get(row.predicate_id, row.predicate_id),
                    row.object_id,
                    target,
                    row.object_label,
                )
            )

    # -- class expressions ---------------------------------------------------
    def expr(self, node: Node) -> Expr:
        """Render a class expression in Manchester-like words: ``p some C``."""
        graph = self.graph
        if isinstance(node, URIRef):
            return Expr((self.labels.ref(node),))
        if isinstance(node, Literal):
            return Expr((f'"{node}"',))
        prop = graph.value(node, OWL.onProperty)
        if prop is not None:
            for key, word in (
                (OWL.someValuesFrom, "some"),
                (OWL.allValuesFrom, "only"),
                (OWL.hasValue, "value"),
            ):
                filler = graph.value(node, key)
                if filler is not None:
                    return Expr((self.labels.ref(prop), f" {word} ", *self._grouped(filler)))
            return Expr((self.labels.ref(prop), " (restriction)"))
        for key, word in ((OWL.intersectionOf, " and "), (OWL.unionOf, " or ")):
            members = graph.value(node, key)
            if members is not None:
                parts: list[str | Ref] = []
                for index, member in enumerate(graph.items(members)):
                    if index:
                        parts.append(word)
                    parts.extend(self._grouped(member))
                return Expr(tuple(parts))
        complement = graph.value(node, OWL.complementOf)
        if complement is not None:
            return Expr(("not ", *self._grouped(complement)))
        return Expr(("(anonymous class)",))

    def _grouped(self, node: Node) -> tuple[str | Ref, ...]:
        inner = self.expr(node).parts
        return inner if isinstance(node, URIRef) else ("(", *inner, ")")

    # -- axiom annotations ---------------------------------------------------
    def _axioms(self) -> dict[str, list[BNode]]:
        by_source: dict[str, list[BNode]] = {}
        for axiom in self.graph.subjects(RDF.type, OWL.Axiom):
            source = self.graph.value(axiom, OWL.annotatedSource)
            if isinstance(axiom, BNode) and source is not None:
                by_source.setdefault(str(source), []).append(axiom)
        return by_source

    def _statement(self, axiom: BNode) -> Expr:
        prop = self.graph.value(axiom, OWL.annotatedProperty)
        target = self.graph.value(axiom, OWL.annotatedTarget)
        if prop is None or target is None:
            return Expr(("(axiom)",))
        if prop == RDFS.subClassOf:
            return Expr(("is a ", *self.expr(target).parts))
        if prop == OWL.equivalentClass:
            return Expr(("is the same as ", *self.expr(target).parts))
        scope = dict(SYNONYM_SCOPES).get(prop) if isinstance(prop, URIRef) else None
        if scope:
            return Expr((f"{scope} synonym “{_text(target)}”",))
        if prop == DEFINITION:
            return Expr(("definition",))
        return Expr((self.labels.ref(prop), " ", *self.expr(target).parts))

    def evidence_of(self, axiom: BNode, subject: Ref) -> Evidence:
        sources = _sorted_refs(
            self.labels.ref(s) for s in self.graph.objects(axiom, DCTERMS.source)
        )
        return Evidence(
            subject,
            self._statement(axiom),
            _text(self.graph.value(axiom, EVIDENCE_QUOTE)),
            tuple(sources),
        )

    # -- the term --------------------------------------------------------------
    def kind(self, iri: URIRef) -> str:
        for rdf_type, name in KINDS:
            if self.graph.has(iri, RDF.type, rdf_type):
                return name
        return "Term"

    def read(self, iri: URIRef) -> Term:
        graph, labels = self.graph, self.labels
        term = Term(labels.ref(iri), self.kind(iri))
        term.definition = _text(graph.value(iri, DEFINITION) or graph.value(iri, SKOS.definition))
        term.definition_sources = [
            labels.ref(s) if isinstance(s, URIRef) else _text(s)
            for s in sorted(graph.objects(iri, DEFINITION_SOURCE), key=str)
        ]
        term.synonyms = self._synonyms(iri)
        named_parents: list[Node] = [
            p for p in graph.objects(iri, RDFS.subClassOf) if isinstance(p, URIRef)
        ]
        named_parents += list(graph.objects(iri, RDFS.subPropertyOf))
        term.parents = _sorted_refs(labels.ref(p) for p in named_parents)
        children = [c for c in graph.subjects(RDFS.subClassOf, iri) if isinstance(c, URIRef)]
        children += [c for c in graph.subjects(RDFS.subPropertyOf, iri) if isinstance(c, URIRef)]
        term.children = _sorted_refs(labels.ref(c) for c in children)
        term.superclass_expressions = sorted(
            (self.expr(p) for p in graph.objects(iri, RDFS.subClassOf) if isinstance(p, BNode)),
            key=_expr_key,
        )
        term.equivalents = sorted(
            (self.expr(e) for e in graph.objects(iri, OWL.equivalentClass)), key=_expr_key
        )
        term.outgoing, term.incoming = self._relations(iri)
        term.mappings = self._mappings(iri)
        term.evidence = sorted(
            (self.evidence_of(a, term.ref) for a in self.axioms.get(str(iri), [])),
            key=_evidence_key,
        )
        citing = [
            (a, graph.value(a, OWL.annotatedSource))
            for a in graph.subjects(DCTERMS.source, iri)
            if isinstance(a, BNode) and graph.has(a, RDF.type, OWL.Axiom)
        ]
        term.cited_by = sorted(
            (self.evidence_of(a, labels.ref(source)) for a, source in citing if source is not None),
            key=_evidence_key,
        )
        term.deprecated = graph.has(iri, OWL.deprecated, Literal(True))
        term.replaced_by = _sorted_refs(labels.ref(r) for r in graph.objects(iri, TERM_REPLACED_BY))
        term.domain = sorted((self.expr(d) for d in graph.objects(iri, RDFS.domain)), key=_expr_key)
        term.range = sorted((self.expr(r) for r in graph.objects(iri, RDFS.range)), key=_expr_key)
        term.annotations = sorted(
            (
                (labels.ref(p), labels.ref(o) if isinstance(o, URIRef) else _text(o))
                for p, o in graph.predicate_objects(iri)
                if p not in SHOWN
            ),
            key=lambda pair: (pair[0].label, str(pair[1])),
        )
        return term

    def _synonyms(self, iri: URIRef) -> list[Synonym]:
        kinds: dict[str, str] = {}
        for axiom in self.axioms.get(str(iri), []):
            kind = self.graph.value(axiom, OBOINOWL.hasSynonymType)
            if kind is not None:
                kinds[_text(self.graph.value(axiom, OWL.annotatedTarget))] = self.labels.ref(
                    kind
                ).label
        synonyms = [
            Synonym(_text(value), scope, kinds.get(_text(value), ""))
            for prop, scope in SYNONYM_SCOPES
            for value in self.graph.objects(iri, prop)
        ]
        # case-blind order, then the exact text: two spellings of one name (MabThera,
        # Mabthera) must not tie, or their order would follow set iteration
        return sorted(synonyms, key=lambda s: (s.text.lower(), s.text, s.scope, s.kind))

    def _relations(self, iri: URIRef) -> tuple[list[Relation], list[Relation]]:
        asserted = {
            (str(self.graph.value(r, OWL.onProperty)), str(self.graph.value(r, OWL.someValuesFrom)))
            for r in self.graph.objects(iri, RDFS.subClassOf)
            if isinstance(r, BNode)
        }
        outgoing = [
            Relation(self.labels.ref(p), self.labels.ref(o), (str(p), str(o)) in asserted)
            for p, o in self.edges.predicate_objects(iri)
            if isinstance(o, URIRef)
        ]
        incoming = []
        for s, p in self.edges.subject_predicates(iri):
            restrictions = {
                (
                    str(self.graph.value(r, OWL.onProperty)),
                    str(self.graph.value(r, OWL.someValuesFrom)),
                )
                for r in self.graph.objects(s, RDFS.subClassOf)
                if isinstance(r, BNode)
            }
            incoming.append(
                Relation(self.labels.ref(p), self.labels.ref(s), (str(p), str(iri)) in restrictions)
            )
        key = _relation_key
        return sorted(outgoing, key=key), sorted(incoming, key=key)

    def _mappings(self, iri: URIRef) -> list[Mapping]:
        return sorted(
            self.mappings_of.get(str(iri), []), key=lambda m: (m.curie.lower(), m.predicate)
        )


def term_iris(graph: Graph) -> list[URIRef]:
    """Every CIMO term declared in the release: classes, properties, individuals."""
    found = {
        s
        for rdf_type, _ in KINDS
        for s in graph.subjects(RDF.type, rdf_type)
        if isinstance(s, URIRef) and TERM_IRI_RE.match(str(s))
    }
    return sorted(found, key=str)


def _expr_key(expr: Expr) -> str:
    return "".join(p.label if isinstance(p, Ref) else p for p in expr.parts)


def _relation_key(rel: Relation) -> tuple[str, str, str]:
    return (rel.prop.label.lower(), rel.other.label.lower(), rel.other.iri)


def _evidence_key(ev: Evidence) -> tuple[str, str, str, str]:
    return (
        ev.subject.label.lower(),
        _expr_key(ev.statement),
        ev.quote,
        ",".join(s.iri for s in ev.sources),
    )
