"""OWL Functional Syntax, one axiom per line, sorted, for axiom-level diffs.

A direct RDF-to-OFN mapping for the OWL constructs CIMO uses. It refuses
(rather than skips) any statement it cannot map, so the OFN file can never
silently hold less than the RDF files; a test checks that the OWL API counts
the same axioms in ``cimo.owl``, ``cimo.ttl`` and ``cimo.ofn``.
"""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from cimo.errors import CimoError
from cimo.vocab import STANDARD_PREFIXES

_LOCAL_RE = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_\-.]*[A-Za-z0-9_\-])?$")
OFN_PREFIXES = {p: ns for p, ns in STANDARD_PREFIXES.items() if p not in ("cimo", "sh")}
BUILTIN_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.deprecated,
                       OWL.versionInfo, OWL.priorVersion}
ENTITY_KINDS = {OWL.Class: "Class", OWL.ObjectProperty: "ObjectProperty",
                OWL.DatatypeProperty: "DataProperty", OWL.AnnotationProperty: "AnnotationProperty",
                OWL.NamedIndividual: "NamedIndividual"}
RESTRICTIONS = {OWL.someValuesFrom: "ObjectSomeValuesFrom",
                OWL.allValuesFrom: "ObjectAllValuesFrom"}
BOOLEANS = {OWL.intersectionOf: "ObjectIntersectionOf", OWL.unionOf: "ObjectUnionOf"}


class UnmappableError(CimoError):
    """A statement the writer has no OWL mapping for."""


class _OfnWriter:
    def __init__(self, graph: Graph, lenient: bool = False) -> None:
        self.graph = graph
        self.lenient = lenient
        self.used: set[tuple[Node, Node, Node]] = set()
        self.namespaces = sorted(OFN_PREFIXES.items(), key=lambda kv: -len(kv[1]))
        self.annotation_properties = BUILTIN_ANNOTATIONS | set(
            graph.subjects(RDF.type, OWL.AnnotationProperty))

    def use(self, s: Node, p: Node, o: Node) -> None:
        self.used.add((s, p, o))

    def one(self, subject: Node, prop: Node) -> Node:
        """The value OWL's RDF mapping requires here; a missing one cannot be written."""
        value = self.graph.value(subject, prop)
        if value is None:
            raise UnmappableError(f"{subject!r} has no {prop} where OWL requires one")
        return value

    # -- terms -------------------------------------------------------------
    def iri(self, node: Node) -> str:
        text = str(node)
        for prefix, ns in self.namespaces:
            if text.startswith(ns) and _LOCAL_RE.match(text[len(ns):]):
                return f"{prefix}:{text[len(ns):]}"
        return f"<{text}>"

    def value(self, node: Node) -> str:
        if isinstance(node, Literal):
            lex = str(node).replace("\\", "\\\\").replace('"', '\\"')
            if node.language:
                return f'"{lex}"@{node.language}'
            if node.datatype and node.datatype != XSD.string:
                return f'"{lex}"^^{self.iri(node.datatype)}'
            return f'"{lex}"'
        if isinstance(node, URIRef):
            return self.iri(node)
        raise UnmappableError(f"anonymous annotation value {node!r}")

    def items(self, head: Node) -> list[Node]:
        node, members = head, []
        while node != RDF.nil:
            first = self.one(node, RDF.first)
            rest = self.one(node, RDF.rest)
            self.use(node, RDF.first, first)
            self.use(node, RDF.rest, rest)
            members.append(first)
            node = rest
        return members

    def expression(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.iri(node)
        graph = self.graph
        for prop, name in RESTRICTIONS.items():
            filler = graph.value(node, prop)
            if filler is not None:
                on = self.one(node, OWL.onProperty)
                self.use(node, RDF.type, OWL.Restriction)
                self.use(node, OWL.onProperty, on)
                self.use(node, prop, filler)
                return f"{name}({self.iri(on)} {self.expression(filler)})"
        for prop, name in BOOLEANS.items():
            head = graph.value(node, prop)
            if head is not None:
                self.use(node, RDF.type, OWL.Class)
                self.use(node, prop, head)
                parts = " ".join(self.expression(m) for m in self.items(head))
                return f"{name}({parts})"
        complement = graph.value(node, OWL.complementOf)
        if complement is not None:
            self.use(node, RDF.type, OWL.Class)
            self.use(node, OWL.complementOf, complement)
            return f"ObjectComplementOf({self.expression(complement)})"
        raise UnmappableError(f"class expression {list(graph.predicate_objects(node))}")

    # -- axioms ------------------------------------------------------------
    def axiom_annotations(self) -> dict[tuple[str, str, str], list[str]]:
        """(source, property, target) key -> rendered Annotation(...) parts."""
        found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for axiom in self.graph.subjects(RDF.type, OWL.Axiom):
            source = self.one(axiom, OWL.annotatedSource)
            prop = self.one(axiom, OWL.annotatedProperty)
            target = self.one(axiom, OWL.annotatedTarget)
            target_text = (self.value(target) if prop in self.annotation_properties
                           else self.expression(target))
            key = (self.iri(source), str(prop), target_text)
            for p, o in self.graph.predicate_objects(axiom):
                self.use(axiom, p, o)
                if p in (RDF.type, OWL.annotatedSource, OWL.annotatedProperty,
                         OWL.annotatedTarget):
                    continue
                found[key].append(f"Annotation({self.iri(p)} {self.value(o)})")
        return found

    def write(self) -> str:
        graph = self.graph
        annotations = self.axiom_annotations()
        ontology = graph.value(None, RDF.type, OWL.Ontology)
        if ontology is None and not self.lenient:
            raise UnmappableError("the graph has no owl:Ontology header")
        axioms: list[str] = []
        header: list[str] = []

        def add(kind: str, source: Node, prop: Node, target_text: str, body: str) -> None:
            extra = sorted(annotations.pop((self.iri(source), str(prop), target_text), []))
            axioms.append(f"{kind}({' '.join([*extra, body])})")

        for kind, name in ENTITY_KINDS.items():
            for entity in graph.subjects(RDF.type, kind):
                if isinstance(entity, URIRef):
                    self.use(entity, RDF.type, kind)
                    axioms.append(f"Declaration({name}({self.iri(entity)}))")
        for s, p, o in graph:
            if (s, p, o) in self.used or isinstance(s, BNode):
                continue
            if s == ontology:
                self.use(s, p, o)
                if p not in (RDF.type, OWL.versionIRI):
                    header.append(f"Annotation({self.iri(p)} {self.value(o)})")
            elif p in self.annotation_properties or (
                    self.lenient and not str(p).startswith(str(OWL))
                    and p not in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain,
                                  RDFS.range)):
                self.use(s, p, o)
                add("AnnotationAssertion", s, p, self.value(o),
                    f"{self.iri(p)} {self.iri(s)} {self.value(o)}")
            elif p == RDFS.subClassOf:
                self.use(s, p, o)
                text = self.expression(o)
                add("SubClassOf", s, p, text, f"{self.iri(s)} {text}")
            elif p == OWL.equivalentClass:
                self.use(s, p, o)
                text = self.expression(o)
                add("EquivalentClasses", s, p, text, f"{self.iri(s)} {text}")
            elif p == OWL.disjointWith:
                self.use(s, p, o)
                add("DisjointClasses", s, p, self.iri(o), f"{self.iri(s)} {self.iri(o)}")
            elif p == RDFS.subPropertyOf:
                self.use(s, p, o)
                axiom_kind = ("SubAnnotationPropertyOf" if s in self.annotation_properties
                              else "SubObjectPropertyOf")
                add(axiom_kind, s, p, self.iri(o), f"{self.iri(s)} {self.iri(o)}")
            elif p in (RDFS.domain, RDFS.range):
                self.use(s, p, o)
                axiom_kind = "ObjectPropertyDomain" if p == RDFS.domain else "ObjectPropertyRange"
                add(axiom_kind, s, p, self.expression(o), f"{self.iri(s)} {self.expression(o)}")
            elif p == OWL.inverseOf:
                self.use(s, p, o)
                add("InverseObjectProperties", s, p, self.iri(o), f"{self.iri(s)} {self.iri(o)}")
            elif p == RDF.type and (s, RDF.type, OWL.NamedIndividual) in graph:
                self.use(s, p, o)
                add("ClassAssertion", s, p, self.iri(o), f"{self.iri(o)} {self.iri(s)}")
        for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
            self.use(group, RDF.type, OWL.AllDisjointClasses)
            head = self.one(group, OWL.members)
            self.use(group, OWL.members, head)
            members = " ".join(self.expression(m) for m in self.items(head))
            axioms.append(f"DisjointClasses({members})")
        left = [t for t in graph if t not in self.used]
        if left or annotations:
            shown = left[:3] or list(annotations)[:3]
            raise UnmappableError(f"no OWL functional-syntax mapping for {shown}")
        prefixes = [f"Prefix({p}:=<{ns}>)" for p, ns in sorted(OFN_PREFIXES.items())]
        version = graph.value(ontology, OWL.versionIRI)
        opening = "Ontology(" if ontology is None else (
            f"Ontology({self.iri(ontology)}" + (f" {self.iri(version)}" if version else ""))
        body = sorted(header) + sorted(set(axioms), key=_axiom_order)
        return "\n".join([*prefixes, "", opening, *body, ")"]) + "\n"


def _axiom_order(axiom: str) -> tuple[int, str]:
    return (0 if axiom.startswith("Declaration(") else 1, axiom)


def serialize(graph: Graph, lenient: bool = False) -> bytes:
    """OFN text of ``graph``. ``lenient`` reads an undeclared property as an annotation
    property (as the OWL API does), for diffing files that are not CIMO builds."""
    return _OfnWriter(graph, lenient).write().encode("utf-8")
