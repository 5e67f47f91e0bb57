"""The dated regulatory facts of an agent, as a section of its term page.

Indications, withdrawn indications and marketing status are reified axioms
(``owl:Axiom`` with jurisdiction, status, dates and source; see
docs and the agent tables). They are read once for the whole graph and handed
to each term page, so the page template only formats what it is given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS
from rdflib.term import Node

from cimo.html.layout import esc, link, table
from cimo.site.graph_index import GraphIndex
from cimo.vocab import CIMO, OBO

JURISDICTION = CIMO["CIMO_0000179"]
STATUS = CIMO["CIMO_0000180"]
APPROVED = CIMO["CIMO_0000181"]
WITHDRAWN = CIMO["CIMO_0000182"]
BIOMARKER = CIMO["CIMO_0000183"]
PARTNER = CIMO["CIMO_0000184"]
WITHDRAWN_INDICATION = CIMO["CIMO_0000185"]
TREATS = OBO.RO_0002606


@dataclass(frozen=True)
class Fact:
    """One jurisdiction's regulatory statement about an agent."""

    kind: str
    #: the disease IRI for indications, empty for marketing status
    disease: str
    jurisdiction: str
    status: str
    approved: str
    withdrawn: str
    source: str
    biomarker: str
    partner: str


def _text(graph: GraphIndex, node: Node, prop: URIRef) -> str:
    value = graph.value(node, prop)
    return "" if value is None else str(value)


def collect(graph: GraphIndex) -> dict[str, list[Fact]]:
    """Agent IRI -> its facts, sorted by kind, disease and jurisdiction."""
    found: dict[str, list[Fact]] = defaultdict(list)
    for axiom, said in graph.out.items():
        if JURISDICTION not in said or not isinstance(axiom, BNode):
            continue
        agent = graph.value(axiom, OWL.annotatedSource)
        prop = graph.value(axiom, OWL.annotatedProperty)
        target = graph.value(axiom, OWL.annotatedTarget)
        if agent is None or prop is None or target is None:
            continue
        if prop == RDFS.subClassOf and graph.value(target, OWL.onProperty) == TREATS:
            kind, disease = "indication", str(graph.value(target, OWL.someValuesFrom))
        elif prop == WITHDRAWN_INDICATION:
            kind, disease = "withdrawn indication", str(target)
        elif prop == STATUS and isinstance(target, Literal):
            kind, disease = "marketing status", ""
        else:
            continue
        found[str(agent)].append(
            Fact(
                kind,
                disease,
                _text(graph, axiom, JURISDICTION),
                _text(graph, axiom, STATUS),
                _text(graph, axiom, APPROVED),
                _text(graph, axiom, WITHDRAWN),
                _text(graph, axiom, DCTERMS.source),
                _text(graph, axiom, BIOMARKER),
                _text(graph, axiom, PARTNER),
            )
        )
    order = {"marketing status": 0, "indication": 1, "withdrawn indication": 2}
    return {
        agent: sorted(set(facts), key=lambda f: (order[f.kind], f.disease, f.jurisdiction))
        for agent, facts in found.items()
    }


def _name(graph: GraphIndex, iri: str) -> str:
    label = graph.value(URIRef(iri), RDFS.label)
    short = iri.rsplit("/", 1)[-1].replace("_", ":", 1)
    return f"{label} ({short})" if label is not None else short


def section_html(graph: GraphIndex, facts: list[Fact]) -> str:
    """The "Regulatory status and indications" section, or nothing."""
    if not facts:
        return ""
    rows = []
    for fact in facts:
        disease = (
            link(fact.disease, _name(graph, fact.disease), external=True) if fact.disease else ""
        )
        notes = []
        if fact.biomarker:
            notes.append("requires " + esc(_name(graph, fact.biomarker)))
        if fact.partner:
            notes.append("with " + esc(_name(graph, fact.partner)))
        source = link(fact.source, "record", external=True) if fact.source else ""
        rows.append(
            [
                esc(fact.kind),
                disease,
                esc(fact.jurisdiction),
                esc(fact.status),
                esc(fact.approved),
                esc(fact.withdrawn),
                "; ".join(notes),
                source,
            ]
        )
    body = table(
        [
            "fact",
            "disease",
            "jurisdiction",
            "status",
            "approved",
            "withdrawn",
            "conditions",
            "source",
        ],
        rows,
        caption="Dated regulatory facts, one row per jurisdiction",
    )
    return (
        f'<section aria-labelledby="regulatory"><h2 id="regulatory">Regulatory status and '
        f"indications</h2>{body}</section>"
    )
