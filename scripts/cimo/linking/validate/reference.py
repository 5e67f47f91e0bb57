"""The same validation done by plain pyshacl: the reference ``cimo validate`` must agree with.

pyshacl gets the data (read with the same parser, so blank nodes keep the
same labels) merged with CIMO's term graph, and the data shapes unchanged.
The term-check shapes have no target (SHACL Core cannot select "every CIMO
IRI in any position"), so their focus nodes are added as ``sh:targetNode``:
every CIMO IRI the data uses, exactly the nodes ``cimo validate`` checks.

It is slow (minutes for 100k triples), which is why ``cimo validate`` does
not work this way; ``--engine pyshacl``, the tests and ``bench/`` use it to
show that the fast engine gives the same results.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from cimo.linking.catalog import Catalog
from cimo.linking.input_guard import DEFAULT_LIMITS, Limits
from cimo.linking.rdf_files import quads
from cimo.linking.validate.findings import VIOLATION, Finding
from cimo.linking.validate.runner import Outcome
from cimo.linking.validate.stream import scan
from cimo.linking.validate.terms import TERM_SHAPES

if TYPE_CHECKING:  # rdflib and pyshacl are imported only when this engine runs
    from rdflib import Graph
    from rdflib.term import Node


def _to_rdflib(node: object) -> Node:
    from rdflib import BNode, Literal, URIRef

    if isinstance(node, ox.NamedNode):
        return URIRef(node.value)
    if isinstance(node, ox.BlankNode):
        return BNode(node.value)
    assert isinstance(node, ox.Literal)
    if node.language:
        return Literal(node.value, lang=node.language)
    return Literal(node.value, datatype=URIRef(node.datatype.value))


def _to_oxigraph(node: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from rdflib import BNode, Literal, URIRef

    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    assert isinstance(node, Literal)
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def data_graph(paths: list[Path], catalog: Catalog, limits: Limits = DEFAULT_LIMITS) -> Graph:
    """The data, with blank nodes scoped per file as ``cimo validate`` does, plus the term graph."""
    from rdflib import Graph

    graph = Graph()
    for number, path in enumerate(paths):
        scope = f"f{number}_" if len(paths) > 1 else ""
        for quad in quads(path, limits):
            s, p, o = quad.subject, quad.predicate, quad.object
            if scope:
                s = ox.BlankNode(scope + s.value) if isinstance(s, ox.BlankNode) else s
                o = ox.BlankNode(scope + o.value) if isinstance(o, ox.BlankNode) else o
            graph.add((_to_rdflib(s), _to_rdflib(p), _to_rdflib(o)))
    for triple in catalog.term_graph():
        graph.add(
            (_to_rdflib(triple.subject), _to_rdflib(triple.predicate), _to_rdflib(triple.object))
        )
    return graph


def shapes_graph(shape_paths: list[Path], focus_iris: list[str]) -> Graph:
    """The data shapes, with the term-check shapes targeted at ``focus_iris``."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import SH

    graph = Graph()
    for path in shape_paths:
        graph.parse(path, format="turtle")
    for shape in TERM_SHAPES:
        if (URIRef(shape), None, None) in graph:
            for iri in focus_iris:
                graph.add((URIRef(shape), SH.targetNode, URIRef(iri)))
    return graph


def findings_from_report(report: Graph) -> list[Finding]:
    from rdflib.namespace import RDF, SH

    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        findings.append(
            Finding(
                shape=str(report.value(result, SH.sourceShape)),
                component=str(report.value(result, SH.sourceConstraintComponent)),
                focus=_to_oxigraph(report.value(result, SH.focusNode)),
                message=str(message) if message is not None else "",
                severity=str(report.value(result, SH.resultSeverity) or VIOLATION),
                value=_to_oxigraph(value) if value is not None else None,
            )
        )
    return findings


def validate_with_pyshacl(
    paths: list[Path], catalog: Catalog, shape_paths: list[Path], limits: Limits = DEFAULT_LIMITS
) -> Outcome:
    from pyshacl import validate

    start = time.perf_counter()
    streamed = scan(paths, set(), lambda _batch: None, limits)
    usages = streamed.usages
    data = data_graph(paths, catalog, limits)
    shapes = shapes_graph(shape_paths, sorted(usages))
    loaded = time.perf_counter()
    _conforms, report, _text = validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=False
    )
    done = time.perf_counter()
    return Outcome(
        findings_from_report(report),
        triples=streamed.triples,
        timings={"load": loaded - start, "pyshacl": done - loaded},
    )
