"""Stage 5: the QC results, their reports, and the reference engine (pyshacl).

The build runs the shapes on the embedded SPARQL engine (``qc_engine``);
``run_shapes`` runs them with pyshacl, the reference the tests compare it to.

Severities mean something: a ``sh:Violation`` fails the build, while
``sh:Warning`` and ``sh:Info`` results are only reported. Inference is off on
purpose: RDFS inference would let ``rdfs:range`` supply missing types and hide
``sh:class`` violations.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from cimo.errors import BuildError, Problem
from cimo.ledger import LedgerEntry
from cimo.vocab import CIMO_NS, SH, curie_of

QC = Namespace("https://w3id.org/cimo/shapes/qc#")
#: Helper shapes reused inside many rules; a result is reported under the rule.
SHARED_SHAPES = {QC.not_cimo_term, QC.blank_node, QC.is_deprecated}

LEVELS = {SH.Violation: "ERROR", SH.Warning: "WARN", SH.Info: "INFO"}


@dataclass(frozen=True, order=True)
class QcResult:
    level: str
    rule: str
    subject: str
    property: str
    value: str
    message: str


def load_shapes(folder: Path) -> Graph:
    shapes = Graph()
    for path in sorted(folder.rglob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def _show(node: object) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return curie_of(str(node)) or str(node)
    if isinstance(node, Literal):
        return str(node)
    return ""


def context_triples(
    ledger: list[LedgerEntry], equivalences: list[tuple[URIRef, URIRef]]
) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
    """QC-only facts that the shapes need and the release never carries."""
    found: list[tuple[URIRef, URIRef, URIRef | Literal]] = [
        (URIRef(CIMO_NS + entry.id), QC.ledgerStatus, Literal(entry.status)) for entry in ledger
    ]
    found += [(left, QC.inferredEquivalentTo, right) for left, right in equivalences]
    return found


def qc_context(
    graph: Graph, ledger: list[LedgerEntry], equivalences: list[tuple[URIRef, URIRef]]
) -> Graph:
    """The release plus its QC-only facts, as one rdflib graph (for pyshacl)."""
    data = Graph()
    data += graph
    for triple in context_triples(ledger, equivalences):
        data.add(triple)
    return data


def named_shape(shapes: Graph, node: Node) -> URIRef | None:
    """The named rule a (possibly nested, anonymous) shape belongs to."""
    seen: set[Node] = set()
    frontier = [node]
    while frontier:
        current = frontier.pop(0)
        if (
            isinstance(current, URIRef)
            and (current, RDF.type, SH.NodeShape) in shapes
            and current not in SHARED_SHAPES
        ):
            return current
        if isinstance(current, URIRef) and (current, RDF.type, SH.PropertyShape) in shapes:
            return current
        seen.add(current)
        frontier.extend(s for s in shapes.subjects(None, current) if s not in seen)
    return None


def run_shapes(data: Graph, shapes: Graph) -> list[QcResult]:
    _, report, _ = validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    results: list[QcResult] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        source_shape = named_shape(shapes, report.value(result, SH.sourceShape))
        rule = str(source_shape).rsplit("#", 1)[-1] if source_shape is not None else ""
        results.append(
            QcResult(
                level=LEVELS.get(severity, str(severity)),
                rule=rule,
                subject=_show(report.value(result, SH.focusNode)),
                property=_show(report.value(result, SH.resultPath)),
                value=_show(report.value(result, SH.value)),
                message=str(report.value(result, SH.resultMessage) or ""),
            )
        )
    return sorted(set(results))


def to_tsv(results: list[QcResult]) -> str:
    lines = ["Level\tRule Name\tSubject\tProperty\tValue"]
    lines += [f"{r.level}\t{r.rule}\t{r.subject}\t{r.property}\t{r.value}" for r in results]
    return "\n".join(lines) + "\n"


def to_markdown(results: list[QcResult]) -> str:
    counts = {level: sum(r.level == level for r in results) for level in LEVELS.values()}
    out = [
        "# CIMO QC report",
        "",
        "| level | count |",
        "|---|---|",
        *(f"| {lvl} | {n} |" for lvl, n in counts.items()),
        "",
    ]
    if results:
        out += [
            "| level | rule | subject | property | value | message |",
            "|---|---|---|---|---|---|",
        ]
        out += [
            f"| {r.level} | {r.rule} | {r.subject} | {r.property} | {r.value} | {r.message} |"
            for r in results
        ]
    else:
        out.append("No problems found.")
    return "\n".join(out) + "\n"


def fail_on_errors(results: list[QcResult]) -> list[QcResult]:
    """``results`` unchanged, or a BuildError naming every ERROR-level result."""
    errors = [r for r in results if r.level == "ERROR"]
    if errors:
        raise BuildError(
            "qc",
            [
                Problem(
                    f"{r.rule}: {r.message}".rstrip(": "),
                    "see build/reports/qc.md of the last good build, and "
                    "fix the term in its module",
                    term=r.subject,
                )
                for r in errors
            ],
        )
    return results
