"""Every RDF file a client can download from ``build/`` (site included) parses in
two independent parsers, and both read the same number of statements.

Turtle, N-Triples and RDF/XML: pyoxigraph (Rust, in process) and rapper
(raptor, C; one process per file in a small pool). JSON-LD: pyoxigraph with
the shipped context inlined, and pyld (the JSON-LD API algorithms) reading the
document as a client does, its context reference mapped to the shipped file.
The context files themselves hold no statements: each is read by every JSON-LD
document here that names it (1.1), and the 1.0 context by a JSON-LD 1.0
processor in ``test_jsonld.py`` (a 1.1 processor rightly refuses it).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld

OXIGRAPH_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
RAPPER_SYNTAX = {".ttl": "turtle", ".nt": "ntriples", ".owl": "rdfxml", ".rdf": "rdfxml"}
CONTEXT_NAME = "cimo.context.jsonld"
BASE = "https://w3id.org/cimo/"


def rdf_files(folder: Path) -> list[Path]:
    """Every file a client would read as RDF, by its suffix, except the JSON-LD contexts."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in OXIGRAPH_FORMATS and not p.name.startswith("cimo.context")
    )


def _local_context(path: Path) -> dict:
    for folder in (path.parent, *path.parents):
        candidate = folder / CONTEXT_NAME
        if candidate.is_file():
            return json.loads(candidate.read_text(encoding="utf-8"))
    raise AssertionError(f"{path}: no {CONTEXT_NAME} beside it or above it")


def count_with_oxigraph(path: Path) -> int:
    """Statements pyoxigraph reads from ``path``; raises on any syntax error."""
    data = path.read_bytes()
    if path.suffix == ".jsonld":
        document = json.loads(data)
        if document.get("@context") == CONTEXT_NAME:
            document["@context"] = _local_context(path)["@context"]
        data = json.dumps(document).encode()
    return sum(1 for _ in ox.parse(data, format=OXIGRAPH_FORMATS[path.suffix], base_iri=BASE))


def count_with_pyld(path: Path) -> int:
    """Statements pyld reads, loading the referenced context from beside the file only."""

    def loader(url: str, options: dict | None = None) -> dict:
        name = url.rsplit("/", 1)[-1]
        if name != CONTEXT_NAME:
            raise AssertionError(f"{path}: refers to a context other than the shipped one: {url}")
        return {"contextUrl": None, "documentUrl": url, "document": _local_context(path)}

    document = json.loads(path.read_text(encoding="utf-8"))
    quads = jsonld.to_rdf(
        document, {"documentLoader": loader, "base": BASE, "format": "application/n-quads"}
    )
    return len([line for line in quads.splitlines() if line.strip()])


_RAPPER_COUNT = re.compile(r"Parsing returned (\d+) triples?\b")


def count_with_rapper(path: Path) -> int:
    result = subprocess.run(
        ["rapper", "-i", RAPPER_SYNTAX[path.suffix], "-c", str(path), BASE],
        capture_output=True,
        text=True,
        check=False,
    )
    match = _RAPPER_COUNT.search(result.stderr)
    if result.returncode != 0 or match is None or "Error" in result.stderr:
        raise ValueError(f"{path}: rapper: {result.stderr.strip()}")
    return int(match.group(1))


def second_count(path: Path) -> int:
    return count_with_pyld(path) if path.suffix == ".jsonld" else count_with_rapper(path)


def problems_in(folder: Path) -> list[str]:
    """One line per file that a parser rejects, or that the two parsers read differently."""
    files = rdf_files(folder)
    problems: list[str] = []

    def check(path: Path) -> str | None:
        try:
            first = count_with_oxigraph(path)
        except (SyntaxError, ValueError) as err:
            return f"{path}: pyoxigraph: {err}"
        try:
            second = second_count(path)
        except Exception as err:  # pyld raises its own error types
            return f"{path}: {err}"
        if first != second:
            return f"{path}: pyoxigraph read {first} statements, the second parser {second}"
        return None

    with ThreadPoolExecutor(max_workers=2) as pool:
        problems = [p for p in pool.map(check, files) if p is not None]
    return problems


needs_rapper = pytest.mark.skipif(
    shutil.which("rapper") is None, reason="raptor2-utils (rapper) is installed by make system-test"
)


@needs_rapper
def test_every_rdf_file_in_the_release_parses_in_two_parsers(release_dir: Path) -> None:
    files = rdf_files(release_dir)
    suffixes = {p.suffix for p in files}
    assert {".ttl", ".nt", ".owl", ".jsonld"} <= suffixes
    assert any(p.parent.name == "site" and p.name.startswith("CIMO_") for p in files)
    assert problems_in(release_dir) == []


@needs_rapper
def test_the_check_rejects_rdf_type_written_as_a_in_object_position(tmp_path: Path) -> None:
    """The form the first release's ``cimo-shapes.ttl`` had: ``a`` is only a predicate."""
    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/cimo/shape> sh:targetObjectsOf a, rdfs:subClassOf .\n",
        encoding="utf-8",
    )
    problems = problems_in(tmp_path)
    assert len(problems) == 1 and "shapes.ttl: pyoxigraph" in problems[0]


@needs_rapper
def test_rapper_reports_errors_and_counts(tmp_path: Path) -> None:
    """The second parser's verdict is read, not assumed: its errors and its count."""
    (tmp_path / "bad.nt").write_text(
        '<https://w3id.org/cimo/a> <https://w3id.org/cimo/b> "unterminated .\n', encoding="utf-8"
    )
    (tmp_path / "good.nt").write_text(
        "<https://w3id.org/cimo/a> <https://w3id.org/cimo/b> <https://w3id.org/cimo/c> .\n",
        encoding="utf-8",
    )
    problems = problems_in(tmp_path)
    assert len(problems) == 1 and "bad.nt" in problems[0]
    assert count_with_rapper(tmp_path / "good.nt") == 1
    with pytest.raises(ValueError, match=r"bad\.nt: rapper"):
        count_with_rapper(tmp_path / "bad.nt")


def test_json_ld_whose_context_is_not_shipped_is_rejected(tmp_path: Path) -> None:
    (tmp_path / CONTEXT_NAME).write_text(
        json.dumps({"@context": {"label": {"@id": "http://www.w3.org/2000/01/rdf-schema#label"}}}),
        encoding="utf-8",
    )
    (tmp_path / "doc.jsonld").write_text(
        json.dumps(
            {
                "@context": "https://example.org/other.jsonld",
                "@id": "https://w3id.org/cimo/x",
                "label": "x",
            }
        ),
        encoding="utf-8",
    )
    problems = problems_in(tmp_path)
    assert len(problems) == 1 and "doc.jsonld" in problems[0]
