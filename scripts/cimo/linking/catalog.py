"""What CIMO declares: its terms, their kind, labels, deprecations and hierarchy.

Read from the source modules (``ontology/*.ttl`` and the import tables
``ontology/imports/*.tsv``) or from a release file, with
pyoxigraph's streaming parser. Both give the same answers: a class's
superclasses are its asserted named superclasses plus the named members of
an ``owl:equivalentClass`` intersection, which is what the reasoner adds for
CIMO's defined classes, and a test keeps the two sources in agreement.

The catalog also emits the *term graph*: the few triples a SHACL engine needs
to see beside a user's data (types, named superclasses, ``rdfs:isDefinedBy``,
deprecations), so that pyshacl and ``cimo validate`` judge the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal

from cimo import imports
from cimo.ids import CIMO_NS, TERM_IRI_RE, TERM_NS
from cimo.linking.errors import InputError
from cimo.linking.rdf_files import quads

TERM_PREFIX = TERM_NS
ONTOLOGY_IRI = CIMO_NS + "cimo.owl"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
RDFS_DEFINED_BY = "http://www.w3.org/2000/01/rdf-schema#isDefinedBy"
OWL = "http://www.w3.org/2002/07/owl#"
OWL_CLASS = OWL + "Class"
OWL_DEPRECATED = OWL + "deprecated"
OWL_EQUIVALENT = OWL + "equivalentClass"
OWL_INTERSECTION = OWL + "intersectionOf"
REPLACED_BY = "http://purl.obolibrary.org/obo/IAO_0100001"
OWL_ANNOTATED_SOURCE = OWL + "annotatedSource"
OWL_ANNOTATED_PROPERTY = OWL + "annotatedProperty"
OWL_ANNOTATED_TARGET = OWL + "annotatedTarget"
SYNONYM_TYPE = "http://www.geneontology.org/formats/oboInOwl#hasSynonymType"
SYNONYMS = frozenset(
    "http://www.geneontology.org/formats/oboInOwl#" + name
    for name in ("hasExactSynonym", "hasRelatedSynonym", "hasNarrowSynonym", "hasBroadSynonym")
)

KINDS = {
    OWL_CLASS: "class",
    "http://www.w3.org/2000/01/rdf-schema#Class": "class",
    OWL + "ObjectProperty": "object property",
    OWL + "AnnotationProperty": "annotation property",
    OWL + "DatatypeProperty": "datatype property",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property": "property",
    OWL + "NamedIndividual": "individual",
    OWL + "Ontology": "ontology",
}
PROPERTY_KINDS = frozenset(
    {"object property", "annotation property", "datatype property", "property"}
)


@dataclass(frozen=True)
class Term:
    """One IRI the ontology declares in the CIMO namespace."""

    iri: str
    label: str | None
    kinds: frozenset[str]
    deprecated: bool
    replaced_by: str | None
    synonyms: tuple[str, ...] = ()

    @property
    def curie(self) -> str:
        return curie(self.iri)

    @property
    def is_class(self) -> bool:
        return "class" in self.kinds

    @property
    def is_property(self) -> bool:
        return bool(self.kinds & PROPERTY_KINDS)

    @property
    def kind(self) -> str:
        """One word for messages: class, object property, individual, ..."""
        for name in (
            "class",
            "object property",
            "annotation property",
            "datatype property",
            "property",
            "individual",
            "ontology",
        ):
            if name in self.kinds:
                return name
        return "resource"


OBO_PREFIX = "http://purl.obolibrary.org/obo/"


def _is_reused(iri: str, types: dict[str, frozenset[str]]) -> bool:
    """A reference-ontology class CIMO reuses (not a BFO upper class)."""
    return (
        iri.startswith(OBO_PREFIX)
        and not iri.startswith(OBO_PREFIX + "BFO_")
        and OWL_CLASS in types.get(iri, frozenset())
    )


_TERM_IRI = TERM_IRI_RE


def curie(iri: str) -> str:
    """``CIMO:0000110`` for a well-formed term IRI; any other IRI in angle brackets."""
    match = _TERM_IRI.match(iri)
    return f"CIMO:{match.group(1)}" if match else f"<{iri}>"


@dataclass
class Catalog:
    terms: dict[str, Term]
    #: every IRI of the CIMO namespace that the ontology mentions anywhere
    namespace_iris: frozenset[str]
    #: named superclasses of every named class (CIMO's and imported upper classes)
    parents: dict[str, frozenset[str]]
    #: rdf:type of every named resource the ontology types
    types: dict[str, frozenset[str]]
    #: (term IRI, synonym text) -> synonym type IRIs, from the owl:Axiom annotations
    synonym_types: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)

    def term(self, iri: str) -> Term | None:
        return self.terms.get(iri)

    def describe(self, iri: str) -> str:
        """``CIMO:0000110 (rituximab)``, for messages."""
        term = self.terms.get(iri)
        if term is None or not term.label:
            return curie(iri)
        return f"{term.curie} ({term.label})"

    def ancestors_or_self(self, iri: str) -> frozenset[str]:
        return self._closure.get(iri) or frozenset({iri})

    @cached_property
    def _closure(self) -> dict[str, frozenset[str]]:
        closure: dict[str, frozenset[str]] = {}
        for start in self.parents:
            seen = {start}
            stack = [start]
            while stack:
                for parent in self.parents.get(stack.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        stack.append(parent)
            closure[start] = frozenset(seen)
        return closure

    @cached_property
    def roots(self) -> frozenset[str]:
        """The tops of the branches a record can be typed with.

        A live CIMO class with no superclass that is CIMO's or reused, and a reused
        reference class (imported from ``ontology/imports/``) whose only superclasses,
        if any, are BFO upper classes. Reused classes count because CIMO types its
        diseases, cells, anatomy, proteins and organisms with them.
        """
        found = set()
        for iri in set(self.parents) | {i for i, k in self.types.items() if OWL_CLASS in k}:
            term = self.terms.get(iri)
            if term is not None and (term.deprecated or not term.is_class):
                continue
            if term is None and not _is_reused(iri, self.types):
                continue
            others = self.ancestors_or_self(iri) - {iri}
            if not any(a.startswith(TERM_PREFIX) or _is_reused(a, self.types) for a in others):
                found.add(iri)
        return frozenset(found)

    def term_graph(self) -> list[ox.Triple]:
        """The triples a SHACL engine needs beside the data (see the module docstring)."""
        triples: list[ox.Triple] = []
        defined_by = ox.NamedNode(RDFS_DEFINED_BY)
        ontology = ox.NamedNode(ONTOLOGY_IRI)
        for iri in sorted(self.namespace_iris):
            triples.append(ox.Triple(ox.NamedNode(iri), defined_by, ontology))
        for iri, kinds in sorted(self.types.items()):
            for kind in sorted(kinds):
                triples.append(
                    ox.Triple(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), ox.NamedNode(kind))
                )
        for iri, parents in sorted(self.parents.items()):
            for parent in sorted(parents):
                triples.append(
                    ox.Triple(ox.NamedNode(iri), ox.NamedNode(RDFS_SUBCLASS), ox.NamedNode(parent))
                )
        for iri, term in sorted(self.terms.items()):
            if term.label:
                triples.append(
                    ox.Triple(ox.NamedNode(iri), ox.NamedNode(RDFS_LABEL), ox.Literal(term.label))
                )
            if term.deprecated:
                triples.append(
                    ox.Triple(ox.NamedNode(iri), ox.NamedNode(OWL_DEPRECATED), ox.Literal(True))
                )
            if term.replaced_by:
                triples.append(
                    ox.Triple(
                        ox.NamedNode(iri), ox.NamedNode(REPLACED_BY), ox.NamedNode(term.replaced_by)
                    )
                )
        return triples


class _Collector:
    """Gathers, in one pass over the quads, what the catalog is computed from."""

    def __init__(self) -> None:
        self.types: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, str] = {}
        self.synonyms: dict[str, list[str]] = defaultdict(list)
        self.deprecated: set[str] = set()
        self.replaced_by: dict[str, str] = {}
        self.parents: dict[str, set[str]] = defaultdict(set)
        self.equivalents: dict[str, list[str]] = defaultdict(list)
        self.bnodes: dict[tuple[str, str], list[object]] = defaultdict(list)
        self.namespace: set[str] = set()
        #: labelled blank nodes (``_:x``) keep their label, so keys are scoped per file
        self.scope = ""

    def add(self, quad: ox.Quad) -> None:
        s, p, o = quad.subject, quad.predicate.value, quad.object
        for term in (s, quad.predicate, o):
            if isinstance(term, ox.NamedNode) and term.value.startswith(CIMO_NS):
                self.namespace.add(term.value)
        if isinstance(s, ox.BlankNode):
            self.bnodes[(self.scope + s.value, p)].append(o)
            return
        if not isinstance(s, ox.NamedNode):
            return
        iri = s.value
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            self.types[iri].add(o.value)
        elif p == RDFS_LABEL and isinstance(o, ox.Literal):
            self.labels.setdefault(iri, o.value)
        elif p in SYNONYMS and isinstance(o, ox.Literal):
            self.synonyms[iri].append(o.value)
        elif p == OWL_DEPRECATED and isinstance(o, ox.Literal):
            if o.value.lower() in ("true", "1"):
                self.deprecated.add(iri)
        elif p == REPLACED_BY and isinstance(o, ox.NamedNode):
            self.replaced_by[iri] = o.value
        elif p == RDFS_SUBCLASS and isinstance(o, ox.NamedNode):
            self.parents[iri].add(o.value)
        elif p == OWL_EQUIVALENT and isinstance(o, ox.BlankNode):
            self.equivalents[iri].append(self.scope + o.value)

    def _list(self, scope: str, head: object) -> list[object]:
        items: list[object] = []
        while isinstance(head, ox.BlankNode):
            items.extend(self.bnodes.get((scope + head.value, RDF_FIRST), []))
            rest = self.bnodes.get((scope + head.value, RDF_REST), [])
            head = rest[0] if rest else None
        return items

    def synonym_types(self) -> dict[tuple[str, str], frozenset[str]]:
        """Synonym types read from reified synonym assertions (brand name, development code...)."""
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        for (key, predicate), sources in self.bnodes.items():
            if predicate != OWL_ANNOTATED_SOURCE:
                continue
            properties = self.bnodes.get((key, OWL_ANNOTATED_PROPERTY), [])
            if not any(isinstance(p, ox.NamedNode) and p.value in SYNONYMS for p in properties):
                continue
            kinds = [
                t.value
                for t in self.bnodes.get((key, SYNONYM_TYPE), [])
                if isinstance(t, ox.NamedNode)
            ]
            for source in sources:
                for target in self.bnodes.get((key, OWL_ANNOTATED_TARGET), []):
                    if isinstance(source, ox.NamedNode) and isinstance(target, ox.Literal):
                        found[(source.value, target.value)].update(kinds)
        return {key: frozenset(kinds) for key, kinds in found.items()}

    def catalog(self) -> Catalog:
        for iri, expressions in self.equivalents.items():
            for key in expressions:
                scope = key.split("|", 1)[0] + "|"
                for head in self.bnodes.get((key, OWL_INTERSECTION), []):
                    self.parents[iri].update(
                        m.value for m in self._list(scope, head) if isinstance(m, ox.NamedNode)
                    )
        for iri, kinds in self.types.items():
            if OWL_CLASS in kinds:
                self.parents.setdefault(iri, set())
        terms = {}
        for iri in sorted(self.namespace):
            declared = self.types.get(iri, set())
            if not declared and iri not in self.labels:
                continue
            term_kinds = frozenset(KINDS.get(t, "individual") for t in declared)
            terms[iri] = Term(
                iri,
                self.labels.get(iri),
                term_kinds,
                iri in self.deprecated,
                self.replaced_by.get(iri),
                tuple(self.synonyms.get(iri, ())),
            )
        return Catalog(
            terms=terms,
            namespace_iris=frozenset(self.namespace),
            parents={k: frozenset(v) for k, v in self.parents.items()},
            types={k: frozenset(v) for k, v in self.types.items()},
            synonym_types=self.synonym_types(),
        )


def load_catalog(paths: Iterable[Path]) -> Catalog:
    """Read the ontology from ``paths`` (source modules or a release file)."""
    collector = _Collector()
    for number, path in enumerate(paths):
        collector.scope = f"{number}|"
        for quad in _import_table_quads(path) if path.suffix == ".tsv" else quads(path):
            collector.add(quad)
    return collector.catalog()


def _import_table_quads(path: Path) -> Iterator[ox.Quad]:
    """The classes an import table (``ontology/imports/<prefix>.tsv``) adds to the source."""
    rows, problems = imports.read_table(path)
    if problems:
        first = problems[0]
        raise InputError(first.message, first.fix, file=path, line=first.line)
    for s, p, o in imports.to_graph(rows):
        obj = (
            ox.Literal(str(o), language=o.language)
            if isinstance(o, Literal)
            else ox.NamedNode(str(o))
        )
        yield ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), obj)
