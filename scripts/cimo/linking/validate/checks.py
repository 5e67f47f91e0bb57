"""Run the compiled shapes on a store or endpoint and word the results.

The SHACL result itself (shape, component, focus node) comes straight from
the query. The message adds what a person needs to fix it: the triple where
the focus node occurs and what the node actually is ("it is a melanoma
(CIMO:0000172)"), looked up in one batched query per shape.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from cimo.linking.catalog import RDF_TYPE, Catalog
from cimo.linking.validate.classes import ClassIndex, fetch_class_index
from cimo.linking.validate.compile import FOCUS, FROM, TO, VIA, CompiledCheck, compile_shapes
from cimo.linking.validate.findings import Finding, Node, show
from cimo.linking.validate.parallel import Row
from cimo.linking.validate.shapes import ShapeSet
from cimo.linking.validate.sparql import QueryRunner

DETAIL_BATCH = 500


def _types_of(runner: QueryRunner, nodes: list[Node]) -> dict[str, set[str]]:
    """rdf:types of the IRI focus nodes (blank nodes cannot be named in VALUES)."""
    iris = sorted({n.value for n in nodes if isinstance(n, ox.NamedNode)})
    found: dict[str, set[str]] = defaultdict(set)
    for start in range(0, len(iris), DETAIL_BATCH):
        values = " ".join(f"<{i}>" for i in iris[start : start + DETAIL_BATCH])
        query = f"SELECT ?x ?t WHERE {{ VALUES ?x {{ {values} }} ?x <{RDF_TYPE}> ?t }}"
        for row in runner.select(query):
            x, t = row.get("x"), row.get("t")
            if isinstance(x, ox.NamedNode) and isinstance(t, ox.NamedNode):
                found[x.value].add(t.value)
    return found


def _what(node: Node, catalog: Catalog, classes: ClassIndex, types: set[str]) -> str:
    if isinstance(node, ox.Literal):
        return f"the value is the literal {show(node)}"
    if isinstance(node, ox.NamedNode) and node.value in catalog.terms:
        term = catalog.terms[node.value]
        return f"{catalog.describe(node.value)} is a CIMO {term.kind}"
    own = classes.cimo_classes_of(types)
    if own:
        return "it is " + " and ".join(catalog.describe(c) for c in own)
    return ""


def _context(row: Row) -> str | None:
    via = row.get(VIA)
    if via is None:
        return None
    if FROM in row:
        return f"{show(row[FROM])} {show(via)} {show(row[FOCUS])}"
    if TO in row:
        return f"{show(row[FOCUS])} {show(via)} {show(row[TO])}"
    return None


def _findings(
    check: CompiledCheck,
    rows: list[Row],
    runner: QueryRunner,
    catalog: Catalog,
    classes: ClassIndex,
) -> list[Finding]:
    types = _types_of(runner, [row[FOCUS] for row in rows])
    findings = []
    for row in rows:
        focus = row[FOCUS]
        what = _what(
            focus,
            catalog,
            classes,
            types.get(focus.value, set()) if isinstance(focus, ox.NamedNode) else set(),
        )
        message = check.shape.message + (f" Here {what}." if what else "")
        findings.append(
            Finding(
                check.shape.iri,
                check.constraint.component,
                focus,
                message,
                check.shape.severity,
                value=focus,
                context=_context(row),
            )
        )
    return findings


def run_shape_checks(catalog: Catalog, shapes: ShapeSet, runner: QueryRunner) -> list[Finding]:
    classes = fetch_class_index(catalog, runner)
    checks = compile_shapes(shapes.shapes, classes, runner.holds_catalog_types)
    answers = runner.select_each([check.query for check in checks], order_by=FOCUS)
    findings = []
    for check, answer in zip(checks, answers, strict=True):
        rows = [row for row in answer if FOCUS in row]
        findings.extend(_findings(check, rows, runner, catalog, classes))
    return findings
