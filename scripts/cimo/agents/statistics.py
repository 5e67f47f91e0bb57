"""Counts of the agent landscape per family, for reports/statistics.md and the README.

An agent is a live drug class with no subclasses (a product, not a category) that has a
molecular target, treats something or carries a marketing status. Its family follows from
what the reasoner already knows: its superclasses (CAR T-cell product, bispecific T-cell
engager, ...) and, for checkpoint inhibitors, its molecular targets, so a new agent is
counted in the right family without being listed here.
"""

from __future__ import annotations

from collections import Counter

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

from cimo.vocab import CIMO, HAS_MOLECULAR_TARGET, OBO, OBOINOWL

DRUG = CIMO["CIMO_0000106"]
STATUS = CIMO["CIMO_0000180"]
JURISDICTION = CIMO["CIMO_0000179"]
APPROVAL_DATE = CIMO["CIMO_0000181"]
WITHDRAWAL_DATE = CIMO["CIMO_0000182"]
TREATS = OBO.RO_0002606
#: PD-1, PD-L1, CTLA-4, LAG-3 as PR classes (gene level and human). The CIMO classes that
#: stood in before PR was imported are deprecated, and QC refuses a reference to them.
CHECKPOINT_TARGETS = frozenset(
    OBO[f"PR_{x}"]
    for x in (
        *("000001919", "Q15116"),  # PD-1
        *("000001543", "Q9NZQ7"),  # PD-L1
        *("000001852", "P16410"),  # CTLA-4
        *("000001881", "P18627"),  # LAG-3
    )
)
#: family -> the CIMO classes whose descendants belong to it, tried in this order
FAMILIES = (
    ("checkpoint inhibitors", (CIMO["CIMO_0000121"],)),
    # engineered or adoptive cell therapy product: CAR-T, TIL, TCR-T
    ("CAR T-cell and other cell therapies", (CIMO["CIMO_0000760"], CIMO["CIMO_0000129"])),
    # bispecific T-cell engager, T-cell receptor-based bispecific protein
    ("T-cell engagers", (CIMO["CIMO_0000119"], CIMO["CIMO_0000763"])),
    ("cancer vaccines", (CIMO["CIMO_0000132"],)),
    # cytokine drug, fusion toxin
    ("cytokines and fusion toxins", (CIMO["CIMO_0000135"], CIMO["CIMO_0000764"])),
    ("gene therapy products", (CIMO["CIMO_0000765"],)),
    ("oncolytic viruses", (CIMO["CIMO_0000767"],)),
    ("BCG and other live bacterial products", (CIMO["CIMO_0000768"],)),
    ("antibody conjugates (ADC, radioimmunoconjugate, immunotoxin)", (CIMO["CIMO_0000112"],)),
    ("other therapeutic monoclonal antibodies", (CIMO["CIMO_0000108"],)),
)
OTHER = "other agents"


def _ancestors(graph: Graph, cls: URIRef) -> set[URIRef]:
    seen: set[URIRef] = set()
    stack = [cls]
    while stack:
        for parent in graph.objects(stack.pop(), RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def _fillers(graph: Graph, cls: URIRef, prop: URIRef) -> set[URIRef]:
    return {
        f
        for r in graph.objects(cls, RDFS.subClassOf)
        if isinstance(r, BNode) and graph.value(r, OWL.onProperty) == prop
        for f in [graph.value(r, OWL.someValuesFrom)]
        if isinstance(f, URIRef)
    }


def _descendants(graph: Graph, cls: URIRef) -> set[URIRef]:
    """Every named subclass of ``cls``, walked down once (asking each class for its
    ancestors instead grew with the square of the hierarchy at scale)."""
    seen: set[URIRef] = set()
    stack = [cls]
    while stack:
        for child in graph.subjects(RDFS.subClassOf, stack.pop()):
            if isinstance(child, URIRef) and child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def agents(graph: Graph) -> list[URIRef]:
    found = []
    parents = {p for p in graph.objects(None, RDFS.subClassOf) if isinstance(p, URIRef)}
    for cls in _descendants(graph, DRUG):
        if cls in parents or (cls, OWL.deprecated, Literal(True)) in graph:
            continue
        if (
            _fillers(graph, cls, TREATS)
            or _fillers(graph, cls, HAS_MOLECULAR_TARGET)
            or graph.value(cls, STATUS) is not None
        ):
            found.append(cls)
    return sorted(found)


def family(graph: Graph, agent: URIRef) -> str:
    ancestors = _ancestors(graph, agent)
    if _fillers(graph, agent, HAS_MOLECULAR_TARGET) & CHECKPOINT_TARGETS:
        return FAMILIES[0][0]
    for name, roots in FAMILIES:
        if ancestors.intersection(roots):
            return name
    return OTHER


def _typed_synonyms(graph: Graph, kind: URIRef) -> int:
    return len(
        {
            (graph.value(a, OWL.annotatedSource), graph.value(a, OWL.annotatedTarget))
            for a in graph.subjects(OBOINOWL.hasSynonymType, kind)
        }
    )


def family_table(graph: Graph, listed: list[URIRef] | None = None) -> str:
    """The markdown table of agents per family (also quoted in the README); ``listed`` is
    :func:`agents` of the graph, if the caller has it."""
    listed = listed if listed is not None else agents(graph)
    counts = Counter(family(graph, a) for a in listed)
    order = [name for name, _ in FAMILIES] + [OTHER]
    lines = ["| family | agents |", "|---|---:|"]
    lines += [f"| {name} | {counts[name]} |" for name in order if counts[name]]
    lines.append(f"| **all agents** | **{len(listed)}** |")
    return "\n".join(lines)


def landscape_markdown(graph: Graph) -> str:
    ordered = agents(graph)
    listed = set(ordered)
    facts = {
        (
            graph.value(a, OWL.annotatedSource),
            str(graph.value(a, JURISDICTION)),
            graph.value(a, APPROVAL_DATE) is not None
            or graph.value(a, WITHDRAWAL_DATE) is not None,
        )
        for a in graph.subjects(JURISDICTION, None)
        if graph.value(a, OWL.annotatedSource) in listed
    }
    dated = {(a, j) for a, j, has_date in facts if has_date}
    undated = {(a, j) for a, j, has_date in facts if not has_date} - dated
    lines = [
        "",
        "## Approved-agent landscape",
        "",
        family_table(graph, ordered),
        "",
        "| measure | count |",
        "|---|---:|",
        f"| agents with a dated regulatory fact | {len({a for a, _ in dated})} |",
        f"| dated regulatory facts (agent, jurisdiction) | {len(dated)} |",
        f"| undated regulatory facts (agent, jurisdiction; the record gives no day) "
        f"| {len(undated)} |",
        f"| brand names | {_typed_synonyms(graph, CIMO['CIMO_0000002'])} |",
        f"| development codes | {_typed_synonyms(graph, CIMO['CIMO_0000186'])} |",
    ]
    return "\n".join(lines) + "\n"
