"""``reports/claims.md``: every source-derived statement beside its quote.

An axiom is true of every instance of its class, but patient-education pages
hedge ("may", "can", "or", "in certain situations"). The report puts each
axiom that carries an evidence quote next to that quote, with the hedging
words in bold, so that a reviewer sees at a glance where an axiom says more
than its source. Statements kept as text (``unasserted source statement``)
are listed in their own section.
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS
from rdflib.term import Node

from cimo.vocab import CIMO_NS

EVIDENCE_QUOTE = URIRef(CIMO_NS + "CIMO_0000001")
UNASSERTED = URIRef(CIMO_NS + "CIMO_0000187")
MODAL = re.compile(r"\b(in certain situations|and/or|or|may|might|can|could|some)\b", re.IGNORECASE)


def highlight(quote: str) -> str:
    """The quote with its modal words in bold."""
    return MODAL.sub(lambda m: f"**{m.group(1)}**", quote)


def _label(graph: Graph, node: Node) -> str:
    label = graph.value(node, RDFS.label)
    if label is not None:
        return str(label)
    return node.n3(graph.namespace_manager) if isinstance(node, URIRef) else str(node)


def describe(graph: Graph, node: Node) -> str:
    """A class expression in words (Manchester-like)."""
    if isinstance(node, Literal):
        return f'"{node}"'
    if not isinstance(node, BNode):
        return _label(graph, node)
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        return "(" + " or ".join(describe(graph, m) for m in graph.items(union)) + ")"
    intersection = graph.value(node, OWL.intersectionOf)
    if intersection is not None:
        return "(" + " and ".join(describe(graph, m) for m in graph.items(intersection)) + ")"
    prop = graph.value(node, OWL.onProperty)
    filler = graph.value(node, OWL.someValuesFrom)
    if prop is not None and filler is not None:
        return f"{_label(graph, prop)} some {describe(graph, filler)}"
    return "(anonymous expression)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report(graph: Graph) -> str:
    """The review report as Markdown, in a fixed order."""
    asserted: list[tuple[str, ...]] = []
    kept: list[tuple[str, ...]] = []
    for axiom in graph.subjects(EVIDENCE_QUOTE, None):
        source = graph.value(axiom, OWL.annotatedSource)
        prop = graph.value(axiom, OWL.annotatedProperty)
        target = graph.value(axiom, OWL.annotatedTarget)
        if source is None or prop is None or target is None:
            continue
        where = graph.value(axiom, DCTERMS.source)
        document = _label(graph, where) if where is not None else ""
        for quote in sorted(str(q) for q in graph.objects(axiom, EVIDENCE_QUOTE)):
            hedged = "yes" if MODAL.search(quote) else ""
            row = (
                _label(graph, source),
                _label(graph, prop),
                describe(graph, target),
                highlight(quote),
                document,
                hedged,
            )
            (kept if prop == UNASSERTED else asserted).append(row)
    lines = [
        "# Source-derived claims",
        "",
        "Each statement that carries an evidence quote, beside that quote. Hedging words",
        "(or, and/or, may, might, can, could, some, in certain situations) are in bold: an axiom",
        "is true of every instance, so a hedged quote under an existential axiom needs a",
        "capability relation, a disjunction, a narrower class or an annotation instead.",
        "",
        f"## Asserted axioms ({len(asserted)})",
        "",
        "| class | relation | to | quote | source | hedged |",
        "|---|---|---|---|---|---|",
        *("| " + " | ".join(_cell(c) for c in row) + " |" for row in sorted(asserted)),
        "",
        f"## Kept as text, not asserted ({len(kept)})",
        "",
        "| class | annotation | statement | quote | source | hedged |",
        "|---|---|---|---|---|---|",
        *("| " + " | ".join(_cell(c) for c in row) + " |" for row in sorted(kept)),
        "",
    ]
    return "\n".join(lines)
