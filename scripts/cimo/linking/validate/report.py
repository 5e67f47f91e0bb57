"""Write the results: a SHACL validation report (Turtle) and text for people.

The report is a standard ``sh:ValidationReport``: any SHACL tool can read it,
and the term checks appear as results of the SPARQL-constrained shapes in
``shapes/data/terms.ttl``. Results are sorted and blank nodes numbered in
that order, so the same data gives the same file.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from cimo.ids import CURIE_PREFIX, TERM_NS
from cimo.linking.validate.findings import SH, SHAPES_NS, Finding, show
from cimo.terminal import printable

PREFIXES = {
    "sh": SH,
    "cimodata": SHAPES_NS,
    CURIE_PREFIX: TERM_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


def _sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SH + name)


def ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.shape, f.component, str(f.focus), f.message))


def report_triples(findings: list[Finding]) -> list[ox.Triple]:
    report = ox.BlankNode("report")
    triples = [
        ox.Triple(report, RDF_TYPE, _sh("ValidationReport")),
        ox.Triple(report, _sh("conforms"), ox.Literal(not findings)),
    ]
    results = [ox.BlankNode(f"r{n}") for n in range(1, len(findings) + 1)]
    triples += [ox.Triple(report, _sh("result"), result) for result in results]
    for result, finding in zip(results, ordered(findings), strict=True):
        triples += [
            ox.Triple(result, RDF_TYPE, _sh("ValidationResult")),
            ox.Triple(result, _sh("focusNode"), finding.focus),
            ox.Triple(result, _sh("resultSeverity"), ox.NamedNode(finding.severity)),
            ox.Triple(result, _sh("sourceConstraintComponent"), ox.NamedNode(finding.component)),
            ox.Triple(result, _sh("sourceShape"), ox.NamedNode(finding.shape)),
            ox.Triple(result, _sh("resultMessage"), ox.Literal(finding.message)),
        ]
        if finding.value is not None:
            triples.append(ox.Triple(result, _sh("value"), finding.value))
    return triples


def write_report(findings: list[Finding], path: Path) -> None:
    """Write the SHACL report; a temporary sibling is renamed so a reader never sees half."""
    data = ox.serialize(report_triples(findings), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data or b"")
    temporary.replace(path)


def text(findings: list[Finding], limit: int) -> list[str]:
    """One block per finding, at most ``limit`` per check (0: no limit), then a summary."""
    lines: list[str] = []
    shown: Counter[str] = Counter()
    hidden: Counter[str] = Counter()
    for finding in ordered(findings):
        if limit and shown[finding.check] >= limit:
            hidden[finding.check] += 1
            continue
        shown[finding.check] += 1
        lines.append(printable(f"VIOLATION [{finding.check}] {show(finding.focus)}"))
        lines.append(f"    {printable(finding.message)}")
        if finding.context:
            lines.append(f"    in: {printable(finding.context)}")
    for check, count in sorted(hidden.items()):
        lines.append(f"... and {count} more [{check}] (all are in the --report file)")
    return lines


def summary(findings: list[Finding]) -> str:
    if not findings:
        return "conforms: no violations"
    per_check = Counter(f.check for f in findings)
    parts = ", ".join(f"{n} {check}" for check, n in sorted(per_check.items()))
    plural = "s" if len(findings) != 1 else ""
    return f"does not conform: {len(findings)} violation{plural} ({parts})"
