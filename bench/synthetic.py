"""Make a synthetic CIMO source tree N times the size of the real one.

Every class of the real source is copied N-1 times under fresh IDs, with the
same axioms (superclasses, existential restrictions, logical definitions,
disjointness, synonyms, evidence annotations) pointing at the copies of the
same classes, so the shape of the axioms is CIMO's own. A logical definition
that names no CIMO class (antigen's: a material entity bearing the antigen
role) becomes a superclass in the copies, which would otherwise all be
inferred equivalent to the original. Labels, definitions
and synonyms get a copy number, so the QC rules that need uniqueness still
hold; evidence quotes stay verbatim, so the evidence stage still checks real
text. Properties, source documents and the mapping table are shared.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cimo import turtle
from cimo.fmt import declared_prefixes
from cimo.ledger import read_ledger
from cimo.paths import ProjectPaths
from cimo.pipeline.load import parse_module
from cimo.vocab import (
    CIMO_NS,
    DEFINITION,
    OBOINOWL,
    SKOS,
    TERM_IRI_RE,
)

SHARED_MODULES = {"header", "properties", "sources", "upper", "deprecated"}
NUMBERED = {
    RDFS.label,
    DEFINITION,
    SKOS.definition,
    OBOINOWL.hasExactSynonym,
    OBOINOWL.hasRelatedSynonym,
    OBOINOWL.hasBroadSynonym,
    OBOINOWL.hasNarrowSynonym,
}
ID_STRIDE = 10_000


def _copy_id(iri: URIRef, copy: int, classes: set[URIRef]) -> URIRef:
    if iri not in classes:
        return iri
    number = int(str(iri)[-7:]) + copy * ID_STRIDE
    return URIRef(f"{CIMO_NS}CIMO_{number:07d}")


def _shared_nodes(graph: Graph, classes: set[URIRef]) -> set[object]:
    """Non-class terms of a class module, with the blank nodes that describe only them
    (a property's range, an axiom annotating it): written once, not once per copy."""
    roots = {s for s in graph.subjects() if isinstance(s, URIRef) and s not in classes}
    roots |= {
        a
        for a in graph.subjects(OWL.annotatedSource, None)
        if graph.value(a, OWL.annotatedSource) in roots
    }
    shared: set[object] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in shared:
            continue
        shared.add(node)
        stack.extend(o for o in graph.objects(node) if isinstance(o, BNode))
    return shared


def _defined_by_shared_terms(graph: Graph, classes: set[URIRef]) -> set[URIRef]:
    """Classes whose logical definition names no CIMO class: their copies would have the
    very same definition, so the reasoner makes every copy equivalent to the original."""
    found = set()
    for cls, definition in graph.subject_objects(OWL.equivalentClass):
        if cls not in classes or not isinstance(definition, BNode):
            continue
        named, stack, seen = set(), [definition], set()
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            for o in graph.objects(node):
                if isinstance(o, BNode):
                    stack.append(o)
                elif isinstance(o, URIRef):
                    named.add(o)
        if not named & classes:
            found.add(cls)
    return found


def _copy_graph(graph: Graph, copy: int, classes: set[URIRef]) -> Graph:
    out = Graph()
    # a copy of such a class would be the original under another name (an inferred
    # equivalence, which QC rejects): the copy keeps the definition as a superclass
    same_definition = _defined_by_shared_terms(graph, classes) if copy else set()
    bnodes: dict[BNode, BNode] = {}

    def term(node: object) -> object:
        if isinstance(node, BNode):
            return bnodes.setdefault(node, BNode())
        if isinstance(node, URIRef):
            return _copy_id(node, copy, classes)
        return node

    shared = _shared_nodes(graph, classes) if copy else set()
    for s, p, o in graph:
        if s in shared:
            continue  # a property (or other non-class term) in a class module exists once
        numbered = p in NUMBERED or (
            p == OWL.annotatedTarget and graph.value(s, OWL.annotatedProperty) in NUMBERED
        )
        if copy and numbered and isinstance(o, Literal):
            o = Literal(
                f"{o} {copy}"
                if p != DEFINITION and p != SKOS.definition
                else f"{o} (Copy {copy}.)",
                lang=o.language,
                datatype=o.datatype,
            )
        if p == OWL.equivalentClass and s in same_definition:
            p = RDFS.subClassOf
        out.add((term(s), p, term(o)))
    return out


def make(source: ProjectPaths, target: Path, factor: int) -> ProjectPaths:
    """Write a source tree ``factor`` times CIMO's size under ``target``."""
    if target.exists():
        shutil.rmtree(target)
    (target / "ontology" / "mappings").mkdir(parents=True)
    shutil.copytree(source.shapes, target / "shapes")
    shutil.copy(source.root / "pyproject.toml", target / "pyproject.toml")
    shutil.copy(source.mappings, target / "ontology" / "mappings" / "cimo.sssom.tsv")
    # the reused reference classes are shared, like the upper ontology: copied once
    shutil.copytree(source.ontology / "imports", target / "ontology" / "imports")
    modules = {path: parse_module(path) for path in source.modules()}
    classes = {
        s
        for graph, _ in modules.values()
        for s in graph.subjects(RDF.type, OWL.Class)
        if isinstance(s, URIRef)
        and TERM_IRI_RE.match(str(s))
        and (s, OWL.deprecated, None) not in graph
    }
    for path, (graph, text) in modules.items():
        merged = Graph()
        # a module without live classes (properties, vocabularies) is shared, never copied
        own = any((s, RDF.type, OWL.Class) in graph for s in classes)
        copies = 1 if path.stem in SHARED_MODULES or not own else factor
        for copy in range(copies):
            merged += _copy_graph(graph, copy, classes)
        out = target / "ontology" / path.name
        out.write_text(turtle.serialize(merged, declared_prefixes(text)), encoding="utf-8")
    ledger_lines = ["id\tstatus\tlabel"]
    for entry in read_ledger(source.ledger):
        ledger_lines.append(f"{entry.id}\t{entry.status}\t{entry.label}")
        iri = URIRef(CIMO_NS + entry.id)
        if iri in classes:
            for copy in range(1, factor):
                copied = _copy_id(iri, copy, classes)
                ledger_lines.append(f"{str(copied)[len(CIMO_NS) :]}\tactive\t{entry.label} {copy}")
    (target / "ontology" / "id-ledger.tsv").write_text("\n".join(ledger_lines) + "\n")
    return ProjectPaths(target)
