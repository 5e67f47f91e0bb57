"""QC on the embedded SPARQL engine: the QC shapes compiled to queries, run on pyoxigraph.

pyshacl evaluates each SHACL-SPARQL constraint once per focus node on rdflib,
which grew to minutes at 100 times CIMO's size. The same shapes compiled to
set-at-a-time queries (``cimo.linking.validate.compile``, shared with
``cimo validate``) answer in a fraction of a second. pyshacl stays the
reference engine: ``tests/test_qc.py`` runs both on every fixture and on the
release and requires the same (focus node, rule, severity) results.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from cimo.ledger import LedgerEntry
from cimo.linking.validate.compile import FOCUS, GraphCheck, compile_graph_shapes
from cimo.linking.validate.parallel import Row, rows_of
from cimo.linking.validate.shapes import Shape, load_shapes
from cimo.pipeline.qc import LEVELS, QcResult, context_triples
from cimo.vocab import curie_of

_PLACEHOLDER = re.compile(r"\{[$?](\w+)\}")


@cache
def _compiled(folder: Path) -> tuple[GraphCheck, ...]:
    """The QC shapes of ``folder`` compiled once per process (they are fixed for a build)."""
    shapes = load_shapes(sorted(folder.rglob("*.ttl")), advanced=True)
    return tuple(compile_graph_shapes(shapes.shapes))


def to_store(triples: Iterable[tuple[object, object, object]]) -> ox.Store:
    """rdflib triples (a Graph, or more) as a pyoxigraph store, each term converted once."""
    terms: dict[object, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def convert(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = terms.get(term)
        if found is None:
            if isinstance(term, URIRef):
                found = ox.NamedNode(str(term))
            elif isinstance(term, BNode):
                found = ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", str(term)))
            elif isinstance(term, Literal):
                if term.language:
                    found = ox.Literal(str(term), language=term.language)
                elif term.datatype is not None:
                    found = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
                else:
                    found = ox.Literal(str(term))
            else:
                raise TypeError(f"unexpected RDF term {term!r}")
            terms[term] = found
        return found

    store = ox.Store()
    store.bulk_extend(
        ox.Quad(convert(s), convert(p), convert(o))  # type: ignore[arg-type]
        for s, p, o in triples
    )
    return store


def _show(node: object) -> str:
    """As ``cimo.pipeline.qc`` shows a term: a CURIE or IRI, a literal's text, no blank nodes."""
    if isinstance(node, ox.NamedNode):
        return curie_of(node.value) or node.value
    if isinstance(node, ox.Literal):
        return node.value
    return ""


def _message(template: str, row: Row) -> str:
    def fill(match: re.Match[str]) -> str:
        name = "focus" if match.group(1) == "this" else match.group(1)
        return _show(row.get(name)) if name in row else match.group(0)

    return _PLACEHOLDER.sub(fill, template)


def _severity(check: GraphCheck) -> str:
    severity = check.constraint.severity or check.shape.severity
    return LEVELS.get(URIRef(severity), severity)


def _rule(shape: Shape) -> str:
    return shape.iri.rsplit("#", 1)[-1]


def _results(check: GraphCheck, rows: list[Row]) -> list[QcResult]:
    level, rule = _severity(check), _rule(check.shape)
    path = curie_of(check.constraint.path) or check.constraint.path if check.constraint.path else ""
    found = []
    for row in rows:
        if check.kind == "sparql":
            template = check.constraint.expr.message  # type: ignore[union-attr]
            # SHACL-SPARQL: without ?value, the value is the focus node itself
            found.append(
                QcResult(
                    level,
                    rule,
                    _show(row.get(FOCUS)),
                    _show(row.get("path")),
                    _show(row.get("value", row.get(FOCUS))),
                    _message(template, row),
                )
            )
        else:
            value = (
                row.get("value")
                if check.kind == "value"
                else (row.get(FOCUS) if not path else None)
            )
            found.append(
                QcResult(
                    level,
                    rule,
                    _show(row.get(FOCUS)),
                    path,
                    _show(value),
                    check.constraint.message or check.shape.message,
                )
            )
    return found


def run_checks(store: ox.Store, folder: Path) -> list[QcResult]:
    """Every QC result, sorted and without duplicates, as ``qc.run_shapes`` reports them."""
    results: list[QcResult] = []
    for check in _compiled(folder):
        rows = rows_of(store, check.query)
        results.extend(_results(check, [r for r in rows if FOCUS in r]))
    return sorted(set(results))


def run_graph(data: Graph, folder: Path) -> list[QcResult]:
    return run_checks(to_store(data), folder)


def run_release(
    graph: Graph,
    ledger: list[LedgerEntry],
    equivalences: list[tuple[URIRef, URIRef]],
    folder: Path,
    dataset: ox.Dataset | None = None,
) -> list[QcResult]:
    """The build's QC: the release plus its QC-only facts, without copying the rdflib graph.

    ``dataset`` is the graph already in Oxigraph's terms (its canonical form), if the
    caller has it; results never show a blank node, so its labels do not matter.
    """
    facts = context_triples(ledger, equivalences)
    if dataset is None:
        return run_checks(to_store(chain(graph, facts)), folder)
    store = to_store(facts)
    store.bulk_extend(dataset)
    return run_checks(store, folder)
