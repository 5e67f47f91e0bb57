"""``cimo validate --endpoint``: the same checks as SPARQL queries against a real Virtuoso.

The test starts its own Virtuoso (virtuoso.ini in a temporary folder, both ports on
127.0.0.1 and free), loads the example datasets into one named graph each, and requires
the endpoint results to equal the results for the same files. Virtuoso is stopped by PID.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

import virtuoso_harness as cimo_virtuoso
from cimo.linking.catalog import load_catalog
from cimo.linking.validate.runner import validate_endpoint
from cimo.linking.validate.shapes import load_shapes
from cimo.linking.validate.sparql import Endpoint
from conftest import REPO, run_cimo

#: Starts an external program (a browser, a server, a JVM): slow.
pytestmark = pytest.mark.slow

EXAMPLES = REPO / "examples"
SH = "http://www.w3.org/ns/shacl#"
GRAPH = "https://example.org/graph/"
BLANK_NODES = """@prefix CIMO: <https://w3id.org/cimo/CIMO_> .
@prefix ex: <https://example.org/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
ex:trial-9 a CIMO:0000046 ; CIMO:0000009 [ a obo:MONDO_0004948 ] , [ a CIMO:0000036 ] .
ex:arm-9 CIMO:0000005 [ a obo:MONDO_0005105 ] .
"""
FILES = {
    "wrong-branch": EXAMPLES / "invalid" / "wrong-branch.ttl",
    "class-instance-mixups": EXAMPLES / "invalid" / "class-instance-mixups.ttl",
    "unknown-and-deprecated-terms": EXAMPLES / "invalid" / "unknown-and-deprecated-terms.ttl",
    "trial-arms": EXAMPLES / "trials" / "trial-arms.ttl",
    "drug-products": EXAMPLES / "formulary" / "drug-products.ttl",
}


@dataclass
class Virtuoso:
    url: str
    folder: Path


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    assert cimo_virtuoso.available(), "install virtuoso-opensource-7-bin (make test does)"
    folder = tmp_path_factory.mktemp("virtuoso-data")
    (folder / "blank-nodes.ttl").write_text(BLANK_NODES, encoding="utf-8")
    sources = {**FILES, "blank-nodes": folder / "blank-nodes.ttl"}
    with cimo_virtuoso.running() as server:
        server.load_each({path: f"{GRAPH}{name}" for name, path in sources.items()})
        yield Virtuoso(server.endpoint, folder)


def report_results(path: Path) -> Counter[tuple[str, str, str]]:
    """(shape, component, focus) of every result; blank nodes anonymised (labels differ)."""
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    rows = store.query(f"""PREFIX sh: <{SH}>
        SELECT ?shape ?component ?focus WHERE {{ ?r a sh:ValidationResult ;
          sh:sourceShape ?shape ; sh:sourceConstraintComponent ?component ;
          sh:focusNode ?focus }}""")
    return Counter(
        (
            r["shape"].value,
            r["component"].value,
            "_:" if isinstance(r["focus"], ox.BlankNode) else str(r["focus"]),
        )
        for r in rows
    )  # type: ignore[union-attr]


def _validate(tmp_path: Path, label: str, *args: str) -> tuple[int, Counter]:
    report = tmp_path / f"{label}.ttl"
    result = run_cimo("validate", *args, "--report", str(report), "-q")
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, report_results(report)


@pytest.mark.parametrize("name", [*FILES, "blank-nodes"])
def test_endpoint_graph_gives_the_same_results_as_the_file(
    virtuoso: Virtuoso, tmp_path: Path, name: str
) -> None:
    path = FILES.get(name, virtuoso.folder / "blank-nodes.ttl")
    code, from_file = _validate(tmp_path, "file", str(path))
    endpoint_code, from_endpoint = _validate(
        tmp_path, "endpoint", "--endpoint", virtuoso.url, "--graph", GRAPH + name
    )
    assert (endpoint_code, from_endpoint) == (code, from_file)
    assert code == (0 if name in ("trial-arms", "drug-products") else 1)


def test_whole_endpoint_in_small_pages_equals_all_files_together(
    virtuoso: Virtuoso, tmp_path: Path
) -> None:
    files = [str(p) for p in FILES.values()] + [str(virtuoso.folder / "blank-nodes.ttl")]
    _, from_files = _validate(tmp_path, "files", *files)
    _, from_endpoint = _validate(
        tmp_path, "endpoint", "--endpoint", virtuoso.url, "--page-size", "3"
    )
    assert from_files and from_endpoint == from_files


def test_paging_changes_the_requests_not_the_results(virtuoso: Virtuoso) -> None:
    catalog = load_catalog(sorted((REPO / "ontology").glob("*.ttl")))
    shapes = load_shapes(sorted((REPO / "shapes" / "data").glob("*.ttl")))
    big, small = Endpoint(virtuoso.url), Endpoint(virtuoso.url, page_size=2)
    whole = {f.key() for f in validate_endpoint(big, catalog, shapes).findings}
    paged = {f.key() for f in validate_endpoint(small, catalog, shapes).findings}
    assert paged == whole
    assert small.requests > big.requests


def test_unreachable_or_wrong_endpoint_exits_2(virtuoso: Virtuoso) -> None:
    down = run_cimo(
        "validate", "--endpoint", f"http://127.0.0.1:{cimo_virtuoso.free_port()}/sparql"
    )
    assert down.returncode == 2 and "cannot reach the endpoint" in down.stderr
    wrong = run_cimo("validate", "--endpoint", virtuoso.url.replace("/sparql", "/nothing"))
    assert wrong.returncode == 2 and "HTTP 404" in wrong.stderr
