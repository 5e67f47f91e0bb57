"""Every QC rule fires on its bad fixture, with its rule name and severity, and stays
silent on the release; a second SHACL engine (pyrudof) agrees on the core-SHACL rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyrudof
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from cimo.pipeline.pipeline import Release
from cimo.pipeline.qc import QC, SHARED_SHAPES, load_shapes, run_shapes
from cimo.vocab import curie_of
from conftest import FIXTURES, REPO

SHAPES = load_shapes(REPO / "shapes" / "qc")
SH = "http://www.w3.org/ns/shacl#"
LEVEL = {"Violation": "ERROR", "Warning": "WARN", "Info": "INFO"}
RULES = sorted(
    str(s).rsplit("#", 1)[1]
    for s in SHAPES.subjects(RDF.type, URIRef(SH + "NodeShape"))
    if isinstance(s, URIRef) and s not in SHARED_SHAPES
)


def expected_level(rule: str) -> str:
    severity = SHAPES.value(QC[rule], URIRef(SH + "severity"))
    return LEVEL[str(severity).rsplit("#", 1)[1]]


def test_every_rule_has_a_fixture_and_every_fixture_a_rule() -> None:
    fixtures = sorted(p.stem for p in (FIXTURES / "qc").glob("*.ttl"))
    assert fixtures == RULES


@cache
def _fixture(rule: str) -> Graph:
    return Graph().parse(FIXTURES / "qc" / f"{rule}.ttl")


@cache
def _pyshacl_results(rule: str) -> tuple:
    """pyshacl's results on a rule's fixture, computed once per test process: the rule
    test and the engine-parity test both read them (callers must not change the graph)."""
    return tuple(run_shapes(_fixture(rule), SHAPES))


@pytest.mark.parametrize("rule", RULES)
def test_rule_fires_on_its_fixture(rule: str) -> None:
    results = _pyshacl_results(rule)
    fired = {(r.rule, r.level) for r in results}
    assert (rule, expected_level(rule)) in fired, results


@pytest.mark.parametrize("rule", RULES)
def test_rule_is_silent_on_the_release(release: Release, rule: str) -> None:
    assert [r for r in release.qc if r.rule == rule] == []


def test_qc_report_has_robot_columns_and_no_errors(release_dir: Path) -> None:
    tsv = (release_dir / "reports" / "qc.tsv").read_text().splitlines()
    assert tsv[0] == "Level\tRule Name\tSubject\tProperty\tValue"
    assert "| ERROR | 0 |" in (release_dir / "reports" / "qc.md").read_text()


def test_severities_are_what_the_profile_says() -> None:
    errors = {
        "deprecated_boolean_datatype",
        "duplicate_label",
        "missing_label",
        "multiple_labels",
        "cimo_id_pattern",
        "ledger_term_missing",
        "obsolete_term_form",
        "xref_pattern",
        "undeclared_property",
        "inferred_equivalence",
        "missing_definition",
    }
    warnings = {
        "annotation_whitespace",
        "equivalent_pair",
        "invalid_xref",
        "missing_obsolete_label",
        "invalid_entity_uri",
    }
    infos = {"lowercase_definition", "missing_superclass"}
    assert {r for r in RULES if expected_level(r) == "ERROR"} >= errors
    assert {r for r in RULES if expected_level(r) == "WARN"} >= warnings
    assert {r for r in RULES if expected_level(r) == "INFO"} == infos


# --- second engine -----------------------------------------------------------


def core_rules() -> list[str]:
    """Rules written in core SHACL only (pyrudof does not run SHACL-SPARQL or SHACL-AF)."""
    advanced = {URIRef(SH + "sparql"), URIRef(SH + "target")}
    return [r for r in RULES if not any((QC[r], p, None) in SHAPES for p in advanced)]


def pyshacl_pairs(data: Graph) -> set[tuple[str, str]]:
    return {(r.subject, r.rule) for r in run_shapes(data, SHAPES) if r.rule in core_rules()}


@pytest.fixture(scope="module")
def core_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pyrudof reads one shapes file: the core rules and the helper shapes they use."""
    bundle = Graph()
    for shape in sorted({QC[r] for r in core_rules()} | SHARED_SHAPES):
        _copy_closure(shape, bundle, shape, {})
    path = tmp_path_factory.mktemp("shapes") / "core-bundle.ttl"
    bundle.serialize(path, format="turtle")
    return path


def _copy_closure(node: object, bundle: Graph, rule: URIRef, names: dict) -> None:
    """Copy a rule's shapes; property shapes get IRIs (``<rule>.property<n>``) so that
    pyrudof's sourceShape can be traced back to the rule."""

    def rename(term: object) -> object:
        if isinstance(term, BNode) and (term, URIRef(SH + "path"), None) in SHAPES:
            names.setdefault(term, URIRef(f"{rule}.property{len(names) + 1}"))
            return names[term]
        return term

    for s, p, o in SHAPES.triples((node, None, None)):
        bundle.add((rename(s), p, rename(o)))
        if isinstance(o, BNode):
            _copy_closure(o, bundle, rule, names)


def pyrudof_pairs(data: Path, shapes: Path) -> set[tuple[str, str]]:
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(data))
    rudof.read_shacl(str(shapes))
    pairs = set()
    for violation in rudof.validate_shacl().violations:
        source = str(violation.source_shape)
        rule = source.rsplit("#", 1)[-1].split(".property")[0]
        focus = str(violation.focus_node)
        shown = "" if focus.startswith("_:") else (curie_of(focus) or focus)  # as in QcResult
        pairs.add((shown, rule))
    return pairs


@pytest.mark.parametrize("rule", core_rules())
def test_pyrudof_agrees_on_the_fixture(core_bundle: Path, rule: str) -> None:
    path = FIXTURES / "qc" / f"{rule}.ttl"
    ours = {(r.subject, r.rule) for r in _pyshacl_results(rule) if r.rule in core_rules()}
    theirs = pyrudof_pairs(path, core_bundle)
    assert ours == theirs, (
        f"engines disagree on {rule}: pyshacl only {ours - theirs}, pyrudof only {theirs - ours}"
    )


def test_xref_pattern_shape_is_in_sync_with_bioregistry_and_the_mapping_table() -> None:
    from cimo.mappings import read_sssom
    from cimo.xref_shape import NON_TARGET_PREFIXES, render

    prefixes = [
        p
        for p in read_sssom(REPO / "ontology" / "mappings" / "cimo.sssom.tsv").curie_map
        if p not in NON_TARGET_PREFIXES
    ]
    committed = (REPO / "shapes" / "qc" / "xref-patterns.ttl").read_text()
    fix = "run: python -m cimo.xref_shape > shapes/qc/xref-patterns.ttl"
    assert committed == render(prefixes), fix


def test_pyrudof_agrees_on_the_release(core_bundle: Path, release: Release, tmp_path: Path) -> None:
    """The valid fixture: the release with its QC context; both engines find nothing."""
    from cimo.ledger import read_ledger
    from cimo.pipeline.qc import qc_context

    context = qc_context(release.graph, read_ledger(REPO / "ontology" / "id-ledger.tsv"), [])
    path = tmp_path / "release-context.nt"
    context.serialize(path, format="nt")
    assert pyshacl_pairs(context) == set()
    assert pyrudof_pairs(path, core_bundle) == set()


def test_robot_error_rules_cover_imported_terms_too() -> None:
    """ROBOT's report profile runs on the whole file; so do the ERROR rules here."""
    data = Graph().parse(FIXTURES / "qc-whole-file" / "imported-terms.ttl")
    fired = {(r.rule, r.subject) for r in run_shapes(data, SHAPES) if r.level == "ERROR"}
    obo = "http://purl.obolibrary.org/obo/"
    assert ("duplicate_label", obo + "IAO_0000115") in fired
    assert ("duplicate_label", "http://www.w3.org/2004/02/skos/core#definition") in fired
    assert ("missing_label", obo + "BFO_0000040") in fired
    assert ("multiple_definitions", obo + "BFO_0000015") in fired


# --- the build's engine: the QC shapes compiled to SPARQL on pyoxigraph ------------


def _key(results: list) -> set[tuple[str, str, str, str, str]]:
    """Focus node, rule, severity, and the path and value each result names."""
    return {(r.subject, r.rule, r.level, r.property, r.value) for r in results}


@pytest.mark.parametrize("rule", RULES)
def test_compiled_engine_matches_pyshacl_on_the_fixture(rule: str) -> None:
    from cimo.pipeline.qc_engine import run_graph

    reference = _key(list(_pyshacl_results(rule)))
    compiled = _key(run_graph(_fixture(rule), REPO / "shapes" / "qc"))
    assert (rule, expected_level(rule)) in {(r[1], r[2]) for r in compiled}
    assert compiled == reference, (
        f"pyshacl only {reference - compiled}, compiled only {compiled - reference}"
    )


def test_compiled_engine_matches_pyshacl_on_the_release(release: Release) -> None:
    from cimo.ledger import read_ledger
    from cimo.pipeline.qc import qc_context
    from cimo.pipeline.qc_engine import run_graph

    context = qc_context(release.graph, read_ledger(REPO / "ontology" / "id-ledger.tsv"), [])
    reference = _key(run_shapes(context, SHAPES))
    assert _key(run_graph(context, REPO / "shapes" / "qc")) == reference
    assert _key(release.qc) == reference  # what the build itself reported


def test_compiled_engine_matches_pyshacl_on_a_broken_release(release: Release) -> None:
    """The release with one mistake per kind of rule: both engines find the same results."""
    from rdflib import Literal
    from rdflib.namespace import OWL, RDFS

    from cimo.ledger import read_ledger
    from cimo.pipeline.qc import qc_context
    from cimo.pipeline.qc_engine import run_graph

    context = qc_context(release.graph, read_ledger(REPO / "ontology" / "id-ledger.tsv"), [])
    terms = sorted(
        t
        for t in context.subjects(RDF.type, OWL.Class)
        if str(t).startswith("https://w3id.org/cimo/CIMO_")
    )
    first, second = terms[0], terms[1]
    context.set((second, RDFS.label, context.value(first, RDFS.label)))  # duplicate_label
    context.add((first, OWL.deprecated, Literal("yes")))  # datatype, obsolete form, ledger
    context.add((terms[2], RDFS.label, Literal(" padded  label ")))  # whitespace, two labels
    reference = _key(run_shapes(context, SHAPES))
    assert len({r[1] for r in reference}) >= 5
    assert _key(run_graph(context, REPO / "shapes" / "qc")) == reference


def test_the_build_s_qc_reads_the_canonical_dataset_as_it_reads_the_graph(
    release: Release,
) -> None:
    """The build hands QC the release's canonical Oxigraph dataset instead of converting
    the rdflib graph again; on a release with mistakes both give the same results."""
    from rdflib import Literal
    from rdflib.namespace import OWL, RDFS

    from cimo.export.canonical import canonical_form
    from cimo.ledger import read_ledger
    from cimo.pipeline.qc_engine import run_release

    graph = Graph()
    graph += release.graph
    terms = sorted(
        t
        for t in graph.subjects(RDF.type, OWL.Class)
        if str(t).startswith("https://w3id.org/cimo/CIMO_")
    )
    graph.set((terms[1], RDFS.label, graph.value(terms[0], RDFS.label)))
    graph.add((terms[0], OWL.deprecated, Literal("yes")))
    graph.add((terms[2], RDFS.label, Literal(" padded  label ")))
    ledger = read_ledger(REPO / "ontology" / "id-ledger.tsv")
    folder = REPO / "shapes" / "qc"
    from_graph = run_release(graph, ledger, [], folder)
    assert len({r.rule for r in from_graph}) >= 5
    assert run_release(graph, ledger, [], folder, canonical_form(graph).dataset) == from_graph
