"""Spreadsheet-friendly tables: ``cimo-terms.tsv`` and the statistics report."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from cimo.vocab import DEFINITION, EVIDENCE_QUOTE, OBOINOWL, TERM_IRI_RE, curie_of

SYNONYM_PROPERTIES = (
    OBOINOWL.hasExactSynonym,
    OBOINOWL.hasRelatedSynonym,
    OBOINOWL.hasBroadSynonym,
    OBOINOWL.hasNarrowSynonym,
)
ENTITY_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.AnnotationProperty, OWL.NamedIndividual)


def _clean(text: object) -> str:
    return " ".join(str(text).split())


def _short(node: object) -> str:
    return curie_of(str(node)) or str(node)


def cimo_terms(graph: Graph) -> list[URIRef]:
    terms = {
        s
        for t in ENTITY_TYPES
        for s in graph.subjects(RDF.type, t)
        if isinstance(s, URIRef) and TERM_IRI_RE.match(str(s))
    }
    return sorted(terms, key=str)


def terms_tsv(graph: Graph) -> str:
    rows = ["id\tlabel\ttype\tdefinition\tparents\tsynonyms\tmappings\tdeprecated"]
    for term in cimo_terms(graph):
        kind = next(t for t in ENTITY_TYPES if (term, RDF.type, t) in graph).split("#")[-1]
        parents = sorted(
            _short(p) for p in graph.objects(term, RDFS.subClassOf) if isinstance(p, URIRef)
        )
        parents += sorted(_short(p) for p in graph.objects(term, RDFS.subPropertyOf))
        synonyms = sorted(_clean(s) for p in SYNONYM_PROPERTIES for s in graph.objects(term, p))
        xrefs = sorted(_clean(x) for x in graph.objects(term, OBOINOWL.hasDbXref))
        deprecated = (term, OWL.deprecated, Literal(True)) in graph
        rows.append(
            "\t".join(
                [
                    _short(term),
                    _clean(graph.value(term, RDFS.label) or ""),
                    kind,
                    _clean(graph.value(term, DEFINITION) or ""),
                    "|".join(parents),
                    "|".join(synonyms),
                    "|".join(xrefs),
                    "true" if deprecated else "false",
                ]
            )
        )
    return "\n".join(rows) + "\n"


def statistics(graph: Graph, edges: Graph, roots: dict[str, URIRef]) -> str:
    """Counts per branch and per kind, as a small markdown table."""
    terms = cimo_terms(graph)
    kinds = Counter(
        next(t for t in ENTITY_TYPES if (x, RDF.type, t) in graph).split("#")[-1] for x in terms
    )
    children: dict[URIRef, set[URIRef]] = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sup, URIRef) and isinstance(sub, URIRef):
            children.setdefault(sup, set()).add(sub)

    def descendants(root: URIRef) -> int:
        seen: set[URIRef] = set()
        stack = [root]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return len(seen)

    lines = [
        "# CIMO statistics",
        "",
        "| measure | count |",
        "|---|---|",
        f"| triples | {len(graph)} |",
        f"| edge-graph triples | {len(edges)} |",
    ]
    lines += [f"| {kind} | {count} |" for kind, count in sorted(kinds.items())]
    lines.append(
        f"| deprecated terms | {sum((t, OWL.deprecated, Literal(True)) in graph for t in terms)} |"
    )
    lines.append(f"| evidence quotes | {len(set(graph.subjects(EVIDENCE_QUOTE)))} |")
    matches = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)
    mapped = sum(1 for p in matches for _ in graph.subject_objects(p))
    lines.append(f"| mappings (skos) | {mapped} |")
    for name, root in sorted(roots.items()):
        lines.append(f"| classes under {name} | {descendants(root)} |")
    return "\n".join(lines) + "\n"
