"""Known overclaims stay out of the release, and the build writes reports/claims.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

from cimo.pipeline.claims import highlight, report
from graphs import some_values_from

CIMO = "https://w3id.org/cimo/CIMO_"
OBO = "http://purl.obolibrary.org/obo/"
UNASSERTED = URIRef(CIMO + "0000187")


def c(number: str) -> URIRef:
    return URIRef(CIMO + number)


def o(local: str) -> URIRef:
    return URIRef(OBO + local)


#: (class, property, filler, why): each was asserted as "every X has some Y" while its
#: source says less ("may", "or", "can", or not of the whole class).
OVERCLAIMS = [
    (c("0000023"), c("0000006"), o("MONDO_0005059"), "targeted therapy treats leukemia"),
    (c("0000046"), c("0000009"), c("0000025"), "clinical trial evaluates immunotherapy"),
    (c("0000038"), c("0000006"), c("0000142"), "adoptive cell transfer treats blood cancer"),
    (c("0000038"), c("0000012"), c("0000020"), "adoptive cell transfer after chemotherapy"),
    (c("0000097"), o("RO_0003001"), o("CL_0000738"), "cytokine produced by white blood cell"),
    (c("0000162"), o("BFO_0000050"), o("UBERON_0002371"), "leukemia cell part of bone marrow"),
    (c("0000025"), c("0000004"), c("0000058"), "immunotherapy prevents cell division ('or')"),
    (c("0000025"), c("0000004"), c("0000060"), "immunotherapy destroys cancer cells ('or')"),
    (c("0000040"), c("0000011"), c("0000020"), "cytokine therapy with chemotherapy ('or')"),
    (c("0000040"), c("0000011"), c("0000031"), "cytokine therapy with antibodies ('or')"),
    (c("0000040"), c("0000011"), c("0000037"), "cytokine therapy with vaccines ('or')"),
    (c("0000030"), c("0000011"), c("0000020"), "non-specific immunotherapy with chemotherapy"),
    (c("0000044"), c("0000012"), c("0000021"), "maintenance after combination chemotherapy"),
    (c("0000037"), c("0000004"), c("0000067"), "vaccines 'being developed that may' prolong"),
    (c("0000108"), o("RO_0002215"), c("0000061"), "every therapeutic antibody binds cancer"),
    (c("0000031"), c("0000004"), c("0000061"), "every antibody therapy binds a cancer antigen"),
    (c("0000022"), c("0000006"), o("MONDO_0004992"), "radiation therapy treats cancer"),
    # found by the audit once therapies were defined by their agent (every therapy that gives
    # such a drug is then an instance, so the axiom must hold for all of them):
    (c("0000031"), c("0000006"), o("MONDO_0004992"), "antibody therapy treats cancer ('can')"),
    (c("0000025"), c("0000004"), c("0000066"), "immunotherapy prevents recurrence ('and/or')"),
    (c("0000025"), c("0000004"), c("0000057"), "every immunotherapy inhibits cancer growth"),
    (c("0000038"), c("0000004"), c("0000054"), "cell transfer expands tumour-reactive T cells"),
    # cytokine therapy is any therapy that gives a cytokine drug; sargramostim is also given to
    # mobilize progenitor cells for collection (Leukine label), so neither holds of every one
    (c("0000040"), c("0000004"), c("0000052"), "every cytokine therapy is an adjunct"),
    # "these therapies directly target leukemia cells": said of the ones used for leukemia
    (c("0000023"), c("0000007"), c("0000162"), "targeted therapy acts on leukemia cells"),
]

#: (class, named superclass, why): the same for a subclass axiom between named classes.
NAMED_OVERCLAIMS = [
    (c("0000031"), c("0000029"), "antibody therapy acts on cancer cells (checkpoint)"),
    (c("0000062"), c("0000060"), "payload delivery destroys cancer cells ('can')"),
]


@pytest.fixture(scope="module")
def release(release_dir: Path) -> Graph:
    return Graph().parse(release_dir / "cimo.ttl")


def restrictions(graph: Graph, cls: URIRef, prop: URIRef) -> list[object]:
    """The fillers of ``cls SubClassOf (prop some filler)`` asserted in ``graph``."""
    return [
        graph.value(r, OWL.someValuesFrom)
        for r in graph.objects(cls, RDFS.subClassOf)
        if isinstance(r, BNode) and graph.value(r, OWL.onProperty) == prop
    ]


@pytest.mark.parametrize(
    ("cls", "prop", "filler", "why"), OVERCLAIMS, ids=[row[3] for row in OVERCLAIMS]
)
def test_a_known_overclaim_is_not_asserted(
    release: Graph, cls: URIRef, prop: URIRef, filler: URIRef, why: str
) -> None:
    assert filler not in restrictions(release, cls, prop), why


@pytest.mark.parametrize(
    ("cls", "parent", "why"), NAMED_OVERCLAIMS, ids=[row[2] for row in NAMED_OVERCLAIMS]
)
def test_a_known_overclaim_between_named_classes_is_not_asserted(
    release: Graph, cls: URIRef, parent: URIRef, why: str
) -> None:
    assert (cls, RDFS.subClassOf, parent) not in release, why


def test_the_check_fails_when_an_overclaim_returns() -> None:
    graph = Graph()
    cls, prop, filler, _ = OVERCLAIMS[0]
    graph.add((cls, RDFS.subClassOf, some_values_from(graph, prop, filler)))
    assert filler in restrictions(graph, cls, prop)


@pytest.mark.parametrize(
    ("cls", "prop", "members"),
    [
        # said "for patients with leukemia": on cancer immunotherapy, not on every immunotherapy
        (c("0000026"), c("0000004"), {c("0000058"), c("0000060")}),
    ],
)
def test_an_or_in_the_source_is_a_disjunction(
    release: Graph, cls: URIRef, prop: URIRef, members: set[URIRef]
) -> None:
    unions = [
        set(release.items(release.value(f, OWL.unionOf)))
        for f in restrictions(release, cls, prop)
        if isinstance(f, BNode)
    ]
    assert members in unions


def test_hedged_statements_are_kept_as_text_with_their_quote(release: Graph) -> None:
    kept = {(s, str(v)) for s, v in release.subject_objects(UNASSERTED)}
    assert (
        c("0000037"),
        "cancer vaccine therapy acts through mechanism some prolongation of remission",
    ) in kept
    quotes = [
        str(q)
        for ax in release.subjects(OWL.annotatedProperty, UNASSERTED)
        if release.value(ax, OWL.annotatedSource) == c("0000037")
        for q in release.objects(ax, c("0000001"))
    ]
    assert any("may" in q for q in quotes)
    assert (
        c("0000025"),
        "immunotherapy acts through mechanism some prevention of cancer recurrence",
    ) in kept
    assert (c("0000031"), "monoclonal antibody therapy is used to treat some cancer") in kept
    assert (
        c("0000040"),
        "cytokine therapy is used in combination with some (chemotherapy or "
        "monoclonal antibody therapy or cancer vaccine therapy)",
    ) in kept
    # not even as a disjunction: no 'is used in combination with' restriction on cytokine therapy
    assert restrictions(release, c("0000040"), c("0000011")) == []


def test_the_build_writes_the_claims_report(release_dir: Path) -> None:
    text = (release_dir / "reports" / "claims.md").read_text(encoding="utf-8")
    assert "## Asserted axioms" in text and "## Kept as text, not asserted" in text
    assert "Vaccines are being developed that **may** suppress cancer cells" in text
    assert text.count("\n| ") > 100


def test_modal_words_are_highlighted_and_the_report_is_deterministic() -> None:
    assert highlight("T cells can or may act in certain situations") == (
        "T cells **can** **or** **may** act **in certain situations**"
    )
    assert highlight("Mayo normal") == "Mayo normal"
    graph = Graph()
    axiom = BNode()
    for p, v in (
        (OWL.annotatedSource, c("0000037")),
        (OWL.annotatedProperty, UNASSERTED),
        (OWL.annotatedTarget, Literal("x")),
        (c("0000001"), Literal("it may help")),
    ):
        graph.add((axiom, p, v))
    assert report(graph) == report(graph) and "it **may** help" in report(graph)


def test_sargramostim_is_a_recombinant_cytokine_not_an_anti_tumour_drug(release: Graph) -> None:
    """Its US label uses are supportive care: it inherits no immune attack on a tumour."""
    ancestors = set(release.transitive_objects(c("0000137"), RDFS.subClassOf))
    assert c("0000766") in ancestors  # recombinant cytokine
    assert c("0000134") not in ancestors  # biologic response modifier
    assert c("0000107") not in ancestors  # immunotherapy drug
