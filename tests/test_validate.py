"""``cimo validate``: every input format, clear errors on unreadable input, a standard
SHACL report, the same results as plain pyshacl, and shapes that agree with the ontology."""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pyoxigraph as ox
import pytest

from cimo.linking.catalog import TERM_PREFIX, Catalog, load_catalog
from cimo.linking.suggest import suggest
from cimo.linking.validate import sparql
from cimo.linking.validate.checks import run_shape_checks
from cimo.linking.validate.findings import Finding
from cimo.linking.validate.parallel import Row, select_in_workers
from cimo.linking.validate.reference import validate_with_pyshacl
from cimo.linking.validate.runner import validate_files
from cimo.linking.validate.shapes import AnyOf, ClassOf, ShapeSet, load_shapes
from cimo.linking.validate.sparql import LocalStore
from cimo.linking.validate.stream import scan
from cimo.linking.validate.terms import TERM_SHAPES
from conftest import REPO, run_cimo

SHAPE_FILES = sorted((REPO / "shapes" / "data").glob("*.ttl"))
EXAMPLES = REPO / "examples"
CIMO = TERM_PREFIX
SH = "http://www.w3.org/ns/shacl#"
PREFIXES = f"""@prefix CIMO: <{CIMO}> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(
        sorted((REPO / "ontology").glob("*.ttl"))
        + sorted((REPO / "ontology" / "imports").glob("*.tsv"))
    )


@pytest.fixture(scope="module")
def shapes() -> ShapeSet:
    return load_shapes(SHAPE_FILES)


def keys(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {f.key() for f in findings}


def comparable(findings: list[Finding]) -> Counter[tuple[str, str, str]]:
    """Keys with blank nodes anonymised: each parse gives ``[ ]`` nodes fresh random labels."""
    return Counter(
        (shape, component, "_:" if focus.startswith("_:") else focus)
        for shape, component, focus in (f.key() for f in findings)
    )


def write(path: Path, text: str) -> Path:
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def report_results(path: Path) -> set[tuple[str, str, str]]:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    rows = store.query(f"""PREFIX sh: <{SH}>
        SELECT ?shape ?component ?focus WHERE {{
          ?report a sh:ValidationReport ; sh:result ?r .
          ?r a sh:ValidationResult ; sh:sourceShape ?shape ;
             sh:sourceConstraintComponent ?component ; sh:focusNode ?focus ;
             sh:resultSeverity sh:Violation ; sh:resultMessage ?message . }}""")
    return {(s["shape"].value, s["component"].value, str(s["focus"])) for s in rows}


# --- inputs --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_triples() -> list[ox.Triple]:
    """Triples that trip every check: the invalid examples together."""
    triples = []
    for name in (
        "wrong-branch.ttl",
        "class-instance-mixups.ttl",
        "unknown-and-deprecated-terms.ttl",
    ):
        triples += [q.triple for q in ox.parse(path=str(EXAMPLES / "invalid" / name))]
    return triples


@pytest.mark.parametrize(
    "name",
    [
        "data.ttl",
        "data.nt",
        "data.nq",
        "data.rdf",
        "data.owl",
        "data.jsonld",
        "data.trig",
        "data.nt.gz",
        "data.ttl.gz",
        "data.trig.gz",
        "data.jsonld.gz",
    ],
)
def test_every_format_and_gzip_gives_the_same_results(
    tmp_path: Path, name: str, mixed_triples: list[ox.Triple], catalog: Catalog, shapes: ShapeSet
) -> None:
    baseline = tmp_path / "baseline.ttl"
    ox.serialize(mixed_triples, str(baseline), format=ox.RdfFormat.TURTLE)
    expected = keys(validate_files([baseline], catalog, shapes).findings)
    assert len(expected) == 15
    plain = name.removesuffix(".gz")
    fmt = ox.RdfFormat.from_extension(plain.rsplit(".", 1)[1]) or ox.RdfFormat.RDF_XML
    graph = ox.NamedNode("https://example.org/graph/1")
    data: list[ox.Triple] | list[ox.Quad] = (
        [ox.Quad(t.subject, t.predicate, t.object, graph) for t in mixed_triples]
        if fmt.supports_datasets
        else mixed_triples
    )
    payload = ox.serialize(data, format=fmt)
    path = tmp_path / name
    path.write_bytes(gzip.compress(payload) if name.endswith(".gz") else payload)
    assert keys(validate_files([path], catalog, shapes).findings) == expected


def _error(tmp_path: Path, name: str, content: bytes) -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.write_bytes(content)
    return run_cimo("validate", str(path))


@pytest.mark.parametrize(
    ("name", "content", "where", "words"),
    [
        (
            "broken.ttl",
            b"@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b nope:c .\n",
            ":3:",
            "nope: has not been declared",
        ),
        (
            "broken.nt",
            b"<https://a> <https://b> <https://c> .\n<https://a> <https://b> .\n",
            ":2:",
            "N-Triples",
        ),
        (
            "broken.rdf",
            b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n<oops\n",
            "broken.rdf",
            "RDF/XML",
        ),
        (
            "remote.jsonld",
            b'{"@context": "https://schema.org/", "@id": "https://example.org/a"}',
            "remote.jsonld",
            "put the context inline",
        ),
        ("data.csv", b"a,b\n", "data.csv", "cannot tell the RDF format"),
        ("damaged.ttl.gz", b"\x1f\x8b\x08\x00not really gzip", "damaged.ttl.gz", "gzip"),
    ],
)
def test_unreadable_input_exits_2_naming_file_line_and_fix(
    tmp_path: Path, name: str, content: bytes, where: str, words: str
) -> None:
    result = _error(tmp_path, name, content)
    assert result.returncode == 2, result.stdout
    assert name in result.stderr and where in result.stderr and words in result.stderr
    assert "fix:" in result.stderr


def test_missing_file_and_usage_errors_exit_2(tmp_path: Path) -> None:
    assert "file not found" in run_cimo("validate", str(tmp_path / "no.ttl")).stderr
    endpoint = "http://127.0.0.1:9/sparql"
    for args in (
        [],
        ["x.ttl", "--endpoint", endpoint],
        ["x.ttl", "--graph", "g"],
        ["--endpoint", endpoint, "--engine", "pyshacl"],
    ):
        assert run_cimo("validate", *args).returncode == 2, args


# --- results and report ----------------------------------------------------------------


def test_exit_codes_text_and_report(tmp_path: Path) -> None:
    good = EXAMPLES / "trials" / "trial-arms.ttl"
    report = tmp_path / "good.ttl"
    result = run_cimo("validate", str(good), "--report", str(report))
    assert result.returncode == 0 and "conforms: no violations" in result.stdout
    store = ox.Store()
    store.load(path=str(report), format=ox.RdfFormat.TURTLE)
    assert store.query(
        f"ASK {{ ?r a <{SH}ValidationReport> ; <{SH}conforms> true "
        f"FILTER NOT EXISTS {{ ?r <{SH}result> ?x }} }}"
    )

    bad = EXAMPLES / "invalid" / "class-instance-mixups.ttl"
    report = tmp_path / "bad.ttl"
    result = run_cimo("validate", str(bad), "--report", str(report))
    assert result.returncode == 1
    results = report_results(report)
    assert len(results) == 6 == result.stdout.count("VIOLATION [")
    declared = set()
    for path in SHAPE_FILES:
        declared |= {
            q.subject.value for q in ox.parse(path=str(path)) if isinstance(q.subject, ox.NamedNode)
        }
    assert {shape for shape, _, _ in results} <= declared


def test_max_results_caps_each_check_and_quiet_prints_the_summary(tmp_path: Path) -> None:
    data = write(
        tmp_path / "many.ttl", "".join(f'ex:arm{i} CIMO:0000005 "drug {i}" .\n' for i in range(7))
    )
    result = run_cimo("validate", str(data), "--max-results", "2")
    assert result.stdout.count("VIOLATION [relation_object_is_a_resource]") == 2
    assert "... and 5 more [relation_object_is_a_resource]" in result.stdout
    quiet = run_cimo("validate", str(data), "-q")
    assert "VIOLATION" not in quiet.stdout and "7 violations" in quiet.stdout


def test_fast_engine_and_plain_pyshacl_agree(tmp_path: Path, catalog: Catalog) -> None:
    """Blank-node labels are scoped per file, the data's own subclass chains count, named
    graphs merge, and every check (terms and shapes) gives pyshacl's results."""
    first = write(
        tmp_path / "a.ttl",
        """
        ex:drugA CIMO:0000003 _:x . _:x a CIMO:0000081 .
        ex:MyLymphoma rdfs:subClassOf ex:LocalLymphoma .
        ex:LocalLymphoma rdfs:subClassOf <http://purl.obolibrary.org/obo/MONDO_0005062> .
        ex:c a ex:MyLymphoma . ex:arm CIMO:0000005 ex:c , CIMO:0000110 .
        ex:y a CIMO:0000177 , <https://w3id.org/cimo/CIMO_0001100> , CIMO:0000013 .
        ex:z CIMO:0000111 ex:y ; a ex:c .
        ex:trial CIMO:0000009 [ a <http://purl.obolibrary.org/obo/MONDO_0004948> ] .
    """,
    )
    second = tmp_path / "b.trig"
    second.write_text(
        PREFIXES
        + """
        ex:g { ex:drugB CIMO:0000003 _:x . _:x a <http://purl.obolibrary.org/obo/MONDO_0005105> .
               ex:arm CIMO:0000006 "x" . }
    """,
        encoding="utf-8",
    )
    paths = [first, second]
    fast = validate_files(paths, catalog, load_shapes(SHAPE_FILES)).findings
    slow = validate_with_pyshacl(paths, catalog, SHAPE_FILES).findings
    assert comparable(fast) == comparable(slow)
    checks = sorted(f.check for f in fast)
    assert checks.count("has_molecular_target_object") == 1  # only b.trig's _:x
    assert "has_therapeutic_agent_object" in checks  # through ex:MyLymphoma's chain
    assert "evaluates_object" in checks  # an anonymous node
    assert {
        "existing_term",
        "live_term",
        "predicate_is_a_property",
        "type_is_a_class",
        "type_is_not_an_instance",
        "relation_object_is_an_instance",
        "relation_object_is_a_resource",
    } <= set(checks)


class _EndpointLikeStore(LocalStore):
    """A store without CIMO's types, as a user's endpoint is: exercises the inlined lists."""

    holds_catalog_types = False

    def __init__(self) -> None:
        self.store = ox.Store()
        self.directory = None
        self.workers = 1


def test_inlined_lists_for_endpoints_give_the_same_shape_results(
    tmp_path: Path, mixed_triples: list[ox.Triple], catalog: Catalog, shapes: ShapeSet
) -> None:
    data = tmp_path / "data.nt"
    ox.serialize(mixed_triples, str(data), format=ox.RdfFormat.N_TRIPLES)
    expected = {
        f.key()
        for f in validate_files([data], catalog, shapes).findings
        if f.shape not in TERM_SHAPES
    }
    remote = _EndpointLikeStore()
    remote.add([ox.Quad(t.subject, t.predicate, t.object) for t in mixed_triples])
    assert expected and keys(run_shape_checks(catalog, shapes, remote)) == expected


def test_store_on_disk_answers_in_worker_processes_as_memory_does(
    tmp_path: Path,
    mixed_triples: list[ox.Triple],
    catalog: Catalog,
    shapes: ShapeSet,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Large inputs are checked by forked readers of the on-disk store: same findings, same
    order, as one process with the store in memory."""
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in mixed_triples]
    in_memory = LocalStore(catalog)
    in_memory.add(quads)
    expected = run_shape_checks(catalog, shapes, in_memory)
    calls: list[int] = []

    def counted(directory: Path, queries: list[str], workers: int) -> list[list[Row]]:
        calls.append(workers)
        return select_in_workers(directory, queries, workers)

    monkeypatch.setattr(sparql, "select_in_workers", counted)
    on_disk = LocalStore(catalog, tmp_path / "store", workers=2)
    on_disk.add(quads)
    found = run_shape_checks(catalog, shapes, on_disk)
    assert calls == [2]
    assert len(expected) > 5
    assert [(f.key(), f.message, f.context) for f in found] == [
        (f.key(), f.message, f.context) for f in expected
    ]


def test_workers_that_cannot_start_leave_the_answers_to_this_process(
    tmp_path: Path,
    mixed_triples: list[ox.Triple],
    catalog: Catalog,
    shapes: ShapeSet,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A worker that cannot open the store (here: a folder that is not one) breaks the
    pool; the same queries are then answered in this process, with a warning."""
    with pytest.raises(BrokenProcessPool):
        select_in_workers(tmp_path / "no-store", ["SELECT * WHERE { ?s ?p ?o }"] * 2, 2)
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in mixed_triples]
    in_memory = LocalStore(catalog)
    in_memory.add(quads)
    on_disk = LocalStore(catalog, tmp_path / "store", workers=2)
    on_disk.add(quads)
    monkeypatch.setattr(
        sparql,
        "select_in_workers",
        lambda directory, queries, workers: select_in_workers(tmp_path / "no-store", queries, 2),
    )
    found = run_shape_checks(catalog, shapes, on_disk)
    assert keys(found) == keys(run_shape_checks(catalog, shapes, in_memory))
    assert "query workers failed" in caplog.text


def test_a_failing_query_in_a_worker_fails_the_run(tmp_path: Path, catalog: Catalog) -> None:
    store = LocalStore(catalog, tmp_path / "store", workers=2)
    with pytest.raises(SyntaxError):
        store.select_each(["SELECT ?x WHERE { ?x ?p ?o }", "SELECT ?x WHERE { ?x"])


def test_store_holds_only_what_the_shapes_can_see(tmp_path: Path, shapes: ShapeSet) -> None:
    data = write(
        tmp_path / "d.ttl",
        """
        ex:a a CIMO:0000110 ; rdfs:label "a" ; ex:note "n" ; CIMO:0000003 ex:b .
        ex:b rdfs:subClassOf ex:c . ex:c ex:other ex:d .
    """,
    )
    kept: list[ox.Quad] = []
    result = scan([data], shapes.predicates(), kept.extend)
    assert result.triples == 6 and result.kept == 3
    assert {q.predicate.value for q in kept} == {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        CIMO + "0000003",
        "http://www.w3.org/2000/01/rdf-schema#subClassOf",
    }


def test_documents_under_the_namespace_are_not_terms(
    tmp_path: Path, catalog: Catalog, shapes: ShapeSet
) -> None:
    data = write(
        tmp_path / "d.ttl",
        """
        ex:a <http://www.w3.org/2002/07/owl#imports> <https://w3id.org/cimo/cimo.owl> ;
            rdfs:seeAlso <https://w3id.org/cimo/releases/2026-11-22/cimo.owl> ,
                         <https://w3id.org/cimo/shapes/data#existing_term> .
    """,
    )
    assert validate_files([data], catalog, shapes).findings == []


# --- shapes against the ontology ------------------------------------------------------


def _roots_listed(shapes: ShapeSet) -> set[str]:
    graph: dict[str, list[str]] = {}
    for path in SHAPE_FILES:
        for quad in ox.parse(path=str(path)):
            if quad.subject == ox.NamedNode("https://w3id.org/cimo/shapes/data#cimo_instance"):
                graph.setdefault(quad.predicate.value, []).append(str(quad.object))
    assert SH + "or" in graph, "cimodata:cimo_instance must be an sh:or of sh:class"
    expression = next(s for s in shapes.shapes if s.iri.endswith("#type_is_not_an_instance"))
    inner = expression.constraints[0].expr.part  # type: ignore[union-attr]
    assert isinstance(inner, AnyOf) and all(isinstance(p, ClassOf) for p in inner.parts)
    return {p.cls for p in inner.parts}  # type: ignore[union-attr]


def test_cimo_instance_lists_exactly_the_top_classes(
    catalog: Catalog, shapes: ShapeSet, release_dir: Path
) -> None:
    assert _roots_listed(shapes) == set(catalog.roots)
    assert set(load_catalog([release_dir / "cimo.nt"]).roots) == set(catalog.roots)


def test_every_relation_has_a_subject_and_an_object_shape(
    catalog: Catalog, shapes: ShapeSet
) -> None:
    relations = {
        iri for iri, t in catalog.terms.items() if "object property" in t.kinds and not t.deprecated
    }
    assert relations
    for iri in relations:
        subject = [s for s in shapes.shapes if s.targets.subjects_of == (iri,)]
        obj = [s for s in shapes.shapes if s.targets.objects_of == (iri,)]
        assert len(subject) == 1 and len(obj) == 1, catalog.describe(iri)
        for many in (
            "relation_subject_is_an_instance",
            "relation_object_is_an_instance",
            "relation_object_is_a_resource",
        ):
            shape = next(s for s in shapes.shapes if s.iri.endswith("#" + many))
            assert iri in shape.targets.predicates(), (many, catalog.describe(iri))


def _instances(edges: list[tuple[str, str, str]]) -> str:
    lines = []
    for n, (a, p, b) in enumerate(edges):
        lines.append(f"ex:s{n} a <{a}> ; <{p}> ex:o{n} . ex:o{n} a <{b}> .")
    return "\n".join(lines)


def test_cimos_own_knowledge_conforms_and_wrong_branches_do_not(
    tmp_path: Path, release_dir: Path, catalog: Catalog, shapes: ShapeSet
) -> None:
    """Records typed like the two ends of every edge of the ontology (and of every declared
    domain and range) conform; a clinical trial as object and a cell as subject do not."""
    edges = [
        (q.subject.value, q.predicate.value, q.object.value)
        for q in ox.parse(path=str(release_dir / "cimo-edges.ttl"))
        if q.predicate.value.startswith(CIMO)
    ]
    assert len(edges) > 100
    relations = sorted(
        {p for _, p, _ in edges}
        | {iri for iri, t in catalog.terms.items() if "object property" in t.kinds}
    )
    good = write(tmp_path / "good.ttl", _instances(edges))
    assert validate_files([good], catalog, shapes).findings == []
    cell, trial = "http://purl.obolibrary.org/obo/CL_0000000", CIMO + "0000046"
    wrong = write(tmp_path / "wrong.ttl", _instances([(cell, p, trial) for p in relations]))
    found = validate_files([wrong], catalog, shapes).findings
    assert len(found) == 2 * len(relations)
    assert {f.check.rsplit("_", 1)[1] for f in found} == {"subject", "object"}


def test_catalog_from_source_and_from_release_agree(catalog: Catalog, release_dir: Path) -> None:
    release = load_catalog([release_dir / "cimo.nt"])
    assert set(release.terms) == set(catalog.terms)
    for iri, term in catalog.terms.items():
        other = release.terms[iri]
        assert (term.label, term.kinds, term.deprecated, term.replaced_by) == (
            other.label,
            other.kinds,
            other.deprecated,
            other.replaced_by,
        ), iri
        if term.is_class:
            assert (
                catalog.ancestors_or_self(iri) & catalog.roots
                == release.ancestors_or_self(iri) & release.roots
            ), iri


def test_did_you_mean_finds_every_live_term_from_its_label_or_a_typo(catalog: Catalog) -> None:
    live = [
        t
        for iri, t in catalog.terms.items()
        if iri.startswith(CIMO) and not t.deprecated and t.label
    ]
    assert len(live) > 120
    for term in live:
        number = term.iri[len(CIMO) :]
        assert (
            suggest(catalog, f"https://w3id.org/cimo/{term.label.replace(' ', '_')}")[0] == term.iri
        ), term.label
        assert suggest(catalog, f"{CIMO}0{number}") == [term.iri]
        assert suggest(catalog, f"http://w3id.org/cimo/CIMO_{number}") == [term.iri]
    assert not any(
        catalog.terms[s].deprecated for s in suggest(catalog, "obsolete biological therapy")
    )


# --- shapes cimo validate cannot run are refused ---------------------------------------------


@pytest.mark.parametrize(
    ("shape", "words"),
    [
        (
            "sh:targetClass ex:Arm ; sh:property [ sh:path ex:p ; sh:minCount 1 ]",
            "uses http://www.w3.org/ns/shacl#property",
        ),
        ('sh:sparql [ sh:select "SELECT $this WHERE { }" ]', "does not know which nodes"),
    ],
)
def test_shapes_it_cannot_compile_are_refused_by_name(
    tmp_path: Path, shape: str, words: str
) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ex: <https://example.org/> .\n"
        f"ex:MyShape a sh:NodeShape ; {shape} .\n",
        encoding="utf-8",
    )
    args = [a for path in [*SHAPE_FILES, extra] for a in ("--shapes", str(path))]
    result = run_cimo("validate", str(EXAMPLES / "trials" / "trial-arms.ttl"), *args)
    assert result.returncode == 2
    assert "extra.ttl" in result.stderr and "https://example.org/MyShape" in result.stderr
    assert words in result.stderr


def test_term_check_shapes_are_declared(shapes: ShapeSet) -> None:
    assert set(shapes.engine_targeted) == set(TERM_SHAPES)


def test_benchmark_runs_on_tiny_sizes(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "validate_scale.py"),
            "--sizes",
            "400,800",
            "--compare-at",
            "400",
            "--repeat",
            "1",
            "--output",
            str(output),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    text = output.read_text(encoding="utf-8")
    assert "| 400 |" in text and "| 800 |" in text and "Results: identical" in text
    assert "Reproduce: `.venv/bin/python bench/validate_scale.py --sizes 400,800" in text
