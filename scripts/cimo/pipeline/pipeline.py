"""``cimo build``: run the stages in order and publish ``build/`` atomically.

Everything is produced in memory and written to a temporary sibling folder,
which replaces ``build/`` only once every stage has passed. A failed build
therefore leaves the previous release exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cimo import progress, turtle
from cimo.errors import BuildError
from cimo.export import jsonld, manifest, ofn, rdfxml, tables
from cimo.export.canonical import ntriples, ordered
from cimo.ledger import read_ledger
from cimo.mappings import check as check_mappings
from cimo.mappings import read_sssom, to_graph
from cimo.paths import ProjectPaths
from cimo.pipeline import edges, evidence, header, identifiers, load, qc, reason, releases
from cimo.site import render_site
from cimo.vocab import CIMO_NS, ONTOLOGY_IRI, RELEASE_IRI_TEMPLATE

T = TypeVar("T")
LOG = logging.getLogger(__name__)


@dataclass
class Release:
    version: str
    graph: Graph
    edges: Graph
    files: dict[str, bytes]
    qc: list[qc.QcResult]
    timings: dict[str, float] = field(default_factory=dict)


class _Clock:
    """Times each stage, logs it (``cimo -v build``) and shows it on a terminal."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress.bar("build", unit="stage")

    def stage(self, name: str, func: Callable[[], T]) -> T:
        self.progress.set_postfix_str(name)
        start = time.perf_counter()
        try:
            return func()
        finally:
            elapsed = time.perf_counter() - start
            self.timings[name] = self.timings.get(name, 0.0) + elapsed
            self.progress.update(1)
            LOG.info("stage %s: %.2f s", name, elapsed)

    def close(self) -> None:
        self.progress.close()


def _top_classes(graph: Graph) -> dict[str, URIRef]:
    roots: dict[str, URIRef] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        if not isinstance(cls, URIRef) or not str(cls).startswith(CIMO_NS) \
                or (cls, OWL.deprecated, None) in graph:
            continue
        supers = [s for s in graph.objects(cls, RDFS.subClassOf)
                  if isinstance(s, URIRef) and str(s).startswith(CIMO_NS)]
        if not supers:
            roots[str(graph.value(cls, RDFS.label))] = cls
    return roots


def assemble(paths: ProjectPaths, clock: _Clock | None = None) -> Release:
    """Run every stage and return the release in memory; raises BuildError."""
    clock = clock or _Clock()
    source = clock.stage("load", lambda: load.load_modules(paths.modules()))
    ledger = clock.stage("load", lambda: read_ledger(paths.ledger))
    clock.stage("identifiers", lambda: identifiers.run(source, ledger))
    clock.stage("releases", lambda: releases.check_ids_kept(
        paths.releases, set(identifiers.declared_terms(source))))
    version, _ = clock.stage("header", lambda: header.check_and_complete(source))
    clock.stage("evidence", lambda: evidence.run(source, paths.seeds))

    mapping_set = clock.stage("mappings", lambda: read_sssom(paths.mappings))
    known = set(identifiers.declared_terms(source))
    problems = check_mappings(mapping_set, paths.mappings, known)
    if problems:
        raise BuildError("mappings", problems)
    graph = source.graph
    graph += to_graph(mapping_set)

    classification = clock.stage("reason", lambda: reason.classify(graph))
    graph += classification.superclasses
    qc_shapes = qc.load_shapes(paths.shapes / "qc")
    context = qc.qc_context(graph, ledger, classification.equivalences)
    results = clock.stage("qc", lambda: qc.run(context, qc_shapes))
    shapes = qc.load_shapes(paths.shapes)
    edge_graph = clock.stage("edges", lambda: edges.materialize(graph))

    diff = clock.stage("releases", lambda: releases.diff_against_latest(
        paths.releases, graph, version))
    files = clock.stage("export", lambda: export(graph, edge_graph, shapes, paths, results,
                                                 version, diff))
    files.update(clock.stage("site", lambda: render_site(graph, edge_graph, files, paths, version)))
    return Release(version, graph, edge_graph, files, results, clock.timings)


def export(graph: Graph, edge_graph: Graph, shapes: Graph, paths: ProjectPaths,
           results: list[qc.QcResult], version: str,
           reports: dict[str, bytes] | None = None) -> dict[str, bytes]:
    files: dict[str, bytes] = dict(reports or {})
    files["cimo.ttl"] = turtle.serialize(graph).encode()
    canonical = ordered(graph)  # blank-node labelling is the costly part: do it once
    files["cimo.nt"] = ntriples(graph, canonical).encode()
    files["cimo.owl"] = rdfxml.serialize(graph, canonical)
    files["cimo.ofn"] = ofn.serialize(graph)
    context = jsonld.build_context(graph)
    files["cimo.context.jsonld"] = jsonld.serialize_context(context)
    files["cimo.jsonld"] = jsonld.serialize(graph, context, canonical)
    files["cimo-edges.ttl"] = turtle.serialize(edge_graph).encode()
    files["cimo-shapes.ttl"] = turtle.serialize(shapes).encode()
    files["cimo.sssom.tsv"] = paths.mappings.read_bytes()
    files["cimo-terms.tsv"] = tables.terms_tsv(graph).encode()
    files["reports/qc.tsv"] = qc.to_tsv(results).encode()
    files["reports/qc.md"] = qc.to_markdown(results).encode()
    files["reports/statistics.md"] = tables.statistics(
        graph, edge_graph, _top_classes(graph)).encode()
    version_iri = RELEASE_IRI_TEMPLATE.format(version=version)
    files["manifest.json"] = manifest.manifest(files, version, version_iri, ONTOLOGY_IRI)
    files["SHA256SUMS"] = manifest.sha256sums(files)
    return files


def timings_tsv(timings: dict[str, float]) -> bytes:
    lines = ["stage\tseconds", *(f"{k}\t{v:.3f}" for k, v in timings.items())]
    lines.append(f"total\t{sum(timings.values()):.3f}")
    return ("\n".join(lines) + "\n").encode()


def write_atomically(target: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` to a temporary sibling of ``target`` and swap it in."""
    parent = target.parent
    staging = parent / f".{target.name}.tmp-{os.getpid()}"
    retired = parent / f".{target.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for name, data in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if target.exists():
            target.rename(retired)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not target.exists():
            retired.rename(target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def build(paths: ProjectPaths, out: Path | None = None) -> Release:
    clock = _Clock()
    try:
        release = assemble(paths, clock)
    finally:
        clock.close()
    files = dict(release.files)
    files["reports/timings.tsv"] = timings_tsv(clock.timings)
    write_atomically(out or paths.build, files)
    return release
