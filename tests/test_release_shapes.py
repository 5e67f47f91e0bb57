"""The released ``cimo-shapes.ttl``: the data shapes only, and the release conforms to them.

A user who validates CIMO with the shapes CIMO ships must find no fault in
CIMO itself. The targeted shapes run as shipped over ``cimo.ttl``. The
term shapes have no target by design (``cimo validate`` supplies every CIMO IRI
a dataset uses); here they are given every CIMO IRI the release uses as a
predicate or an object, with the term graph beside the release as in
``cimo validate``. The QC shapes (``shapes/qc``) need the ID ledger, which is
not released, so they stay in the build.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from cimo.linking.catalog import load_catalog
from cimo.pipeline.qc import load_shapes
from cimo.vocab import CIMO_NS, SH
from conftest import REPO
from graphs import same_graph

TERM_IRI_PREFIX = CIMO_NS + "CIMO_"


def _violations(data: Graph, shapes: Graph) -> list[tuple[str, str]]:
    _, report, _ = validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    return sorted(
        (str(report.value(r, SH.sourceShape)), str(report.value(r, SH.focusNode)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )


def _with_term_targets(shapes: Graph, release: Graph) -> Graph:
    # an axiom annotation on a term (a deprecated term's typed synonym, say) describes the
    # term; it is not a use of it
    used = {
        o
        for _, p, o in release
        if isinstance(o, URIRef) and str(o).startswith(TERM_IRI_PREFIX) and p != OWL.annotatedSource
    }
    used |= {p for p in release.predicates() if str(p).startswith(TERM_IRI_PREFIX)}
    targeted = Graph()
    targeted += shapes
    for shape in set(shapes.subjects(SH.sparql, None)):
        for iri in used:
            targeted.add((shape, SH.targetNode, iri))
    return targeted


def _term_graph(release_file: Path) -> Graph:
    triples = load_catalog([release_file]).term_graph()
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=text.decode("utf-8"), format="nt")


def test_released_shapes_are_the_data_shapes_and_nothing_else(release_dir: Path) -> None:
    shipped = Graph().parse(release_dir / "cimo-shapes.ttl", format="turtle")
    assert same_graph(shipped, load_shapes(REPO / "shapes" / "data"))
    named = {str(s) for s in shipped.subjects() if isinstance(s, URIRef)}
    assert not [s for s in named if "/shapes/qc#" in s]


def test_the_release_conforms_to_every_shape_it_ships(release_dir: Path) -> None:
    release = Graph().parse(release_dir / "cimo.ttl", format="turtle")
    shapes = Graph().parse(release_dir / "cimo-shapes.ttl", format="turtle")
    data = release + _term_graph(release_dir / "cimo.ttl")
    assert _violations(data, _with_term_targets(shapes, release)) == []


def test_the_conformance_check_can_fail(release_dir: Path) -> None:
    """A class linked by a CIMO relation (a record expected), and an IRI in CIMO's
    namespace that names no term, are violations of the shipped shapes."""
    release = Graph().parse(release_dir / "cimo.ttl", format="turtle")
    shapes = Graph().parse(release_dir / "cimo-shapes.ttl", format="turtle")
    rituximab, cancer = URIRef(TERM_IRI_PREFIX + "0000110"), URIRef(TERM_IRI_PREFIX + "0000141")
    release.add((rituximab, URIRef(TERM_IRI_PREFIX + "0000005"), cancer))
    release.add((rituximab, URIRef(TERM_IRI_PREFIX + "9999999"), cancer))
    data = release + _term_graph(release_dir / "cimo.ttl")
    found = {
        shape.rsplit("#", 1)[-1]
        for shape, _ in _violations(data, _with_term_targets(shapes, release))
    }
    assert {"relation_subject_is_an_instance", "existing_term"} <= found
