"""The release: every artifact present, complete, checksummed and reproducible."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from cimo.paths import ProjectPaths
from conftest import REPO, SEEDS, run_cimo
from graphs import same_graph

ARTIFACTS = [
    "cimo.owl",
    "cimo-base.owl",
    "cimo.ttl",
    "cimo.nt",
    "cimo.ofn",
    "cimo.obo",
    "cimo.json",
    "cimo.jsonld",
    "cimo.context.jsonld",
    "cimo.context-1.0.jsonld",
    "cimo-edges.ttl",
    "cimo-shapes.ttl",
    "cimo.sssom.tsv",
    "cimo-terms.tsv",
    "reports/qc.tsv",
    "reports/qc.md",
    "reports/claims.md",
    "reports/statistics.md",
    "SHA256SUMS",
    "manifest.json",
    "reports/diff.md",
]


def test_every_artifact_is_written(release_dir: Path) -> None:
    missing = [name for name in ARTIFACTS if not (release_dir / name).is_file()]
    assert missing == []


def test_checksums_and_manifest_match_the_files(release_dir: Path) -> None:
    for line in (release_dir / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((release_dir / name).read_bytes()).hexdigest() == digest, name
    manifest = json.loads((release_dir / "manifest.json").read_text())
    assert (
        manifest["versionIRI"] == f"https://w3id.org/cimo/releases/{manifest['version']}/cimo.owl"
    )
    listed = {entry["path"] for entry in manifest["files"]}
    assert listed == set(ARTIFACTS) - {"manifest.json", "SHA256SUMS"}
    assert manifest["evidenceCheck"] == "passed"


def test_rdf_serializations_hold_the_same_graph(release_dir: Path) -> None:
    """cimo.owl is left out: the OWL API writes the same axioms in OWL's own RDF layout (one
    restriction node shared by an axiom and its annotations), which test_clients compares
    axiom by axiom."""
    turtle = Graph().parse(release_dir / "cimo.ttl", format="turtle")
    for name, fmt in (("cimo.nt", "nt"),):
        other = Graph().parse(release_dir / name, format=fmt)
        assert same_graph(turtle, other), name
    context = json.loads((release_dir / "cimo.context.jsonld").read_text())
    document = json.loads((release_dir / "cimo.jsonld").read_text())
    document["@context"] = context["@context"]
    jsonld = Graph().parse(data=json.dumps(document), format="json-ld")
    assert same_graph(turtle, jsonld)


def test_header_carries_version_licence_and_sources(release_dir: Path) -> None:
    graph = Graph().parse(release_dir / "cimo.ttl")
    onto = URIRef("https://w3id.org/cimo/cimo.owl")
    version = str(graph.value(onto, OWL.versionInfo))
    assert graph.value(onto, OWL.versionIRI) == URIRef(
        f"https://w3id.org/cimo/releases/{version}/cimo.owl"
    )
    text = (release_dir / "cimo.ttl").read_text()
    assert "dcterms:license <https://creativecommons.org/licenses/by/4.0/>" in text
    sources = list(graph.objects(onto, URIRef("http://purl.org/dc/terms/source")))
    assert len(sources) == 5


@pytest.fixture(scope="module")
def cli_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A second build of the checkout, through the CLI in a new process with another hash
    seed than this one: (its folder, its standard output)."""
    out = tmp_path_factory.mktemp("cli-build") / "build"
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(
        [sys.executable, "-m", "cimo.cli.main", "build", "--out", str(out)],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out, result.stdout


def _files(folder: Path) -> dict[Path, bytes]:
    return {
        p.relative_to(folder): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "timings.tsv"
    }


@pytest.mark.slow
def test_two_builds_are_byte_identical(release_dir: Path, cli_build: tuple[Path, str]) -> None:
    """The session's build and a CLI build under another hash seed give the same bytes."""
    outputs = [_files(release_dir), _files(cli_build[0])]
    assert outputs[0].keys() == outputs[1].keys()
    differing = [str(name) for name in outputs[0] if outputs[0][name] != outputs[1][name]]
    assert differing == []


def test_build_reports_per_stage_timings_beside_the_release_not_in_it(release_dir: Path) -> None:
    assert not list(release_dir.rglob("*timings*"))
    rows = (release_dir.parent / ".cimo-build-timings.tsv").read_text().splitlines()
    stages = [row.split("\t")[0] for row in rows[1:]]
    for stage in ("load", "identifiers", "header", "evidence", "reason", "qc", "edges", "export"):
        assert stage in stages


@pytest.mark.slow
def test_cli_build_prints_a_summary(cli_build: tuple[Path, str]) -> None:
    out, stdout = cli_build
    assert "built CIMO" in stdout and str(out) in stdout
    assert (out / "cimo.owl").is_file()


FABRICATED = """
[] a owl:Axiom ;
    owl:annotatedSource CIMO:0000110 ;
    owl:annotatedProperty rdfs:label ;
    owl:annotatedTarget "rituximab"@en ;
    CIMO:0000001 "Rituximab cures every leukemia in one dose." ;
    dcterms:source CIMO:0000014 .
"""


def _with_fabricated_quote(project: ProjectPaths) -> None:
    module = project.ontology / "drug.ttl"
    module.write_text(module.read_text() + FABRICATED)


def test_without_the_source_documents_the_build_stops_and_names_folder_and_flag(
    project: ProjectPaths, tmp_path: Path
) -> None:
    """A fabricated quote used to build with exit 0 when ../shared/seeds was absent."""
    _with_fabricated_quote(project)
    absent = tmp_path / "no-such-seeds"
    result = run_cimo("build", cwd=project.root, env={"CIMO_SEEDS": str(absent)})
    assert result.returncode == 1, result.stdout
    assert "stage 'evidence'" in result.stderr
    assert f"{absent}" in result.stderr and "--skip-evidence-check" in result.stderr
    assert not project.build.exists()


def test_a_missing_cited_document_stops_the_build(project: ProjectPaths, tmp_path: Path) -> None:
    partial = tmp_path / "partial-seeds"
    partial.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[1:]:
        (partial / path.name).write_bytes(path.read_bytes())
    result = run_cimo("build", cwd=project.root, env={"CIMO_SEEDS": str(partial)})
    assert result.returncode == 1
    first = sorted(SEEDS.glob("*.txt"))[0].name
    assert f"source document {first} is not in {partial}" in result.stderr


def test_skipping_the_evidence_check_needs_the_flag_and_is_recorded(
    project: ProjectPaths, tmp_path: Path
) -> None:
    _with_fabricated_quote(project)
    env = {"CIMO_SEEDS": str(tmp_path / "no-such-seeds")}
    result = run_cimo("build", "--skip-evidence-check", cwd=project.root, env=env)
    assert result.returncode == 0, result.stderr
    assert "NOT checked" in result.stderr
    manifest = json.loads((project.build / "manifest.json").read_text())
    assert manifest["evidenceCheck"] == "skipped"
    # With the documents present, the same fabricated quote still fails, flag or no flag
    # being the only way past the check.
    checked = run_cimo("build", cwd=project.root)
    assert checked.returncode == 1
    assert "is not verbatim" in checked.stderr


def test_repeated_release_files_are_written_once_and_linked(tmp_path: Path) -> None:
    """The site repeats the release files: the same bytes object is written once and
    linked; equal bytes that are separate objects, and small files, are written apart."""
    from cimo.pipeline.pipeline import LINK_AT_LEAST, write_atomically

    large = b"x" * LINK_AT_LEAST
    twin = bytes(bytearray(large))  # equal, but another object
    small = b"small"
    target = tmp_path / "build"
    write_atomically(
        target,
        {
            "cimo.ttl": large,
            "site/cimo.ttl": large,
            "site/releases/1/cimo.ttl": large,
            "other.ttl": twin,
            "a.txt": small,
            "site/a.txt": small,
        },
    )
    inode = (target / "cimo.ttl").stat().st_ino
    assert (target / "cimo.ttl").stat().st_nlink == 3
    assert (target / "site/cimo.ttl").stat().st_ino == inode
    assert (target / "site/releases/1/cimo.ttl").read_bytes() == large
    assert (target / "other.ttl").stat().st_nlink == 1
    assert (target / "site/a.txt").stat().st_nlink == 1
    assert (target / "site/a.txt").read_bytes() == small
