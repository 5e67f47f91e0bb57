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
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cimo import heap, imports, progress, turtle
from cimo.agents import module as agent_module
from cimo.agents.statistics import landscape_markdown
from cimo.errors import BuildError
from cimo.export import jsonld, manifest, obo, rdfxml, tables
from cimo.export.canonical import CanonicalForm, canonical_form, ntriples
from cimo.export.canonical import extended as canonical_extended
from cimo.forked import Forked
from cimo.ledger import read_ledger
from cimo.mappings import check as check_mappings
from cimo.mappings import read_sssom, to_graph
from cimo.paths import ProjectPaths
from cimo.pipeline import (
    base,
    claims,
    edges,
    evidence,
    header,
    identifiers,
    load,
    obo_ids,
    qc,
    qc_engine,
    reason,
    releases,
)
from cimo.site import TermRenderer, overview, render_site
from cimo.vocab import CIMO_NS, OBO, ONTOLOGY_IRI, RELEASE_IRI_TEMPLATE

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
        if (
            not isinstance(cls, URIRef)
            or not str(cls).startswith(CIMO_NS)
            or (cls, OWL.deprecated, None) in graph
        ):
            continue
        supers = [
            s
            for s in graph.objects(cls, RDFS.subClassOf)
            if isinstance(s, URIRef) and str(s).startswith(CIMO_NS)
        ]
        if not supers:
            roots[str(graph.value(cls, RDFS.label))] = cls
    return roots


def assemble(
    paths: ProjectPaths,
    clock: _Clock | None = None,
    skip_evidence_check: bool = False,
    site: bool = True,
) -> Release:
    """Run every stage and return the release in memory; raises BuildError.

    ``skip_evidence_check`` builds without the source documents (quotes are then
    not compared with them); the manifest records it. ``site=False`` stops before
    the site, so ``bench/site_speed.py`` can time it alone.
    """
    clock = clock or _Clock()
    with heap.held():  # the loaded modules live to the end of the build
        return _assemble(paths, clock, skip_evidence_check, site)


def _assemble(paths: ProjectPaths, clock: _Clock, skip_evidence_check: bool, site: bool) -> Release:
    source = clock.stage("load", lambda: load.load_modules(paths.modules()))
    heap.refreeze()  # the source graph lives to the end of the build
    ledger = clock.stage("load", lambda: read_ledger(paths.ledger))
    clock.stage("identifiers", lambda: identifiers.run(source, ledger))
    clock.stage("agents", lambda: agent_module.check_fresh(paths, source.modules))
    clock.stage(
        "releases",
        lambda: releases.check_ids_kept(paths.releases, set(identifiers.declared_terms(source))),
    )
    version, _ = clock.stage("header", lambda: header.check_and_complete(source))
    seeds = None if skip_evidence_check else paths.seeds
    clock.stage("evidence", lambda: evidence.run(source, seeds))
    evidence_check = "skipped" if skip_evidence_check else "passed"

    mapping_set = clock.stage("mappings", lambda: read_sssom(paths.mappings))
    known = set(identifiers.declared_terms(source))
    problems = check_mappings(mapping_set, paths.mappings, known)
    if problems:
        raise BuildError("mappings", problems)
    graph = source.graph
    graph += to_graph(mapping_set)
    graph += obo_ids.id_annotations(graph)
    upper = {
        c
        for c in graph.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and str(c).startswith(str(OBO) + "BFO_")
    }
    imported = clock.stage("imports", lambda: imports.read_tables(paths.imports, upper))
    import_module = imports.to_graph(imported)
    import_only = {triple for triple in import_module if triple not in graph}  # not in the base
    graph += import_module

    diff: dict[str, bytes] = {}
    # HermiT runs in its own JVM; meanwhile this process puts the asserted graph in
    # canonical form and a forked child writes the base variant from it (it holds no
    # inferred axiom); the inferred superclasses name no blank node, so they are then
    # put in place without canonicalizing again (``canonical.extended``)
    reasoning = clock.stage("reason", lambda: reason.Reasoning(graph))
    try:
        asserted = clock.stage("export", lambda: canonical_form(graph))
        base_owl = Forked(
            lambda: rdfxml.write(base.from_canonical(asserted.triples, import_only, version))
        )
        if site:
            clock.stage("site", overview.preload)  # the forked pyLODE child inherits it
        classification = clock.stage("reason", reasoning.result)
    finally:
        reasoning.stop()
    graph += classification.superclasses  # the graph is final from here on
    heap.refreeze()
    canonical = clock.stage(
        "export", lambda: canonical_extended(asserted, classification.superclasses)
    )
    edge_graph = clock.stage("edges", lambda: edges.materialize(graph))
    context = clock.stage("export", lambda: jsonld.build_context(graph))
    # pyLODE's page and the term pages need the finished graph alone: forked children
    # write them while this process runs QC and writes the release files, and the OWL
    # API's JVM (started after the forks) writes the OWL forms
    overview_page = (
        Forked(lambda: overview.render(graph, canonical.triples), collect=False) if site else None
    )
    term_pages = (
        clock.stage(
            "site",
            lambda: TermRenderer(
                graph, edge_graph, paths, version, context, canonical.triples
            ).start(workers=0),
        )
        if site
        else None
    )
    results = clock.stage(
        "qc",
        lambda: qc.fail_on_errors(
            qc_engine.run_release(
                graph,
                ledger,
                classification.equivalences,
                paths.shapes / "qc",
                canonical.dataset,
            )
        ),
    )
    shapes = qc.load_shapes(paths.shapes / "data")  # released; the QC shapes stay build-only
    diff["cimo-base.owl"] = clock.stage("export", base_owl.result)  # written meanwhile
    pending = clock.stage("releases", lambda: releases.prepare_diff(paths.releases, graph, version))
    diff["reports/claims.md"] = clock.stage("claims", lambda: claims.report(graph).encode())
    started = clock.stage(
        "export",
        lambda: start_export(
            graph,
            edge_graph,
            shapes,
            paths,
            results,
            version,
            context,
            diff,
            evidence_check,
            canonical,
            pending,
        ),
    )
    files = clock.stage("export", started.finish)
    if site:
        files.update(
            clock.stage(
                "site",
                lambda: render_site(
                    graph,
                    edge_graph,
                    files,
                    paths,
                    version,
                    canonical.triples,
                    term_pages() if term_pages else None,
                    overview_page.result if overview_page else None,
                ),
            )
        )
    return Release(version, graph, edge_graph, files, results, clock.timings)


@dataclass
class StartedExport:
    """The release files written so far, and the OWL API's files being written meanwhile.

    The OWL API runs in its own process (a JVM), so the build goes on with work
    that needs no OWL form (the term pages) and calls :meth:`finish` when it does.
    """

    files: dict[str, bytes]
    version: str
    evidence_check: str
    pending: releases.PendingDiff | None  # the release diff; its OWL API jobs share the JVM
    _owlapi: Future[tuple[dict[str, bytes], list[dict[str, bytes]]]]

    def finish(self) -> dict[str, bytes]:
        """Every release file, with the manifest and checksums; re-raises the OWL API's error."""
        owlapi_files, written = self._owlapi.result()
        files = {**self.files, **owlapi_files}
        if self.pending:
            files.update(self.pending.finish(written))
        version_iri = RELEASE_IRI_TEMPLATE.format(version=self.version)
        files["manifest.json"] = manifest.manifest(
            files, self.version, version_iri, ONTOLOGY_IRI, self.evidence_check
        )
        files["SHA256SUMS"] = manifest.sha256sums(files)
        return files


def start_export(
    graph: Graph,
    edge_graph: Graph,
    shapes: Graph,
    paths: ProjectPaths,
    results: list[qc.QcResult],
    version: str,
    context: dict[str, Any],
    reports: dict[str, bytes] | None = None,
    evidence_check: str = "passed",
    canonical: CanonicalForm | None = None,
    pending: releases.PendingDiff | None = None,
) -> StartedExport:
    """Write the release files, the OWL API's in a background thread (see
    :class:`StartedExport`); ``context`` is ``jsonld.build_context(graph)``, ``canonical``
    ``canonical_form(graph)`` if the caller has it, and ``pending`` the release diff, whose
    OWL API jobs run in the release's JVM."""
    files: dict[str, bytes] = dict(reports or {})
    canonical = canonical if canonical is not None else canonical_form(graph)
    files["cimo.ttl"] = turtle.serialize(graph, triples=canonical.triples).encode()
    files["cimo.nt"] = ntriples(graph, canonical.dataset).encode()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="owlapi")
    owlapi = pool.submit(  # cimo.owl, .ofn, .obo, .json
        obo.owlapi_files,
        files["cimo.ttl"],
        read_sssom(paths.mappings).curie_map,
        RELEASE_IRI_TEMPLATE.format(version=version),
        also=pending.jobs if pending else None,
    )
    pool.shutdown(wait=False)  # the submitted job runs on; a failed build waits for it at exit
    files["cimo.context.jsonld"] = jsonld.serialize_context(context)
    files[jsonld.CONTEXT_FILE_1_0] = jsonld.serialize_context(jsonld.context_1_0(context))
    files["cimo.jsonld"] = jsonld.serialize(graph, context, canonical.triples)
    files["cimo-edges.ttl"] = turtle.serialize(edge_graph).encode()
    files["cimo-shapes.ttl"] = turtle.serialize(shapes).encode()
    files["cimo.sssom.tsv"] = paths.mappings.read_bytes()
    files["cimo-terms.tsv"] = tables.terms_tsv(graph).encode()
    files["reports/qc.tsv"] = qc.to_tsv(results).encode()
    files["reports/qc.md"] = qc.to_markdown(results).encode()
    files["reports/statistics.md"] = (
        tables.statistics(graph, edge_graph, _top_classes(graph)) + landscape_markdown(graph)
    ).encode()
    return StartedExport(files, version, evidence_check, pending, owlapi)


def timings_path(out: Path) -> Path:
    """Where a build's stage timings go: beside the release folder, never in it.

    Timings are measurements that differ run to run, and every file in the
    release folder must be byte-identical across builds of the same source.
    For the default ``build/`` this is ``.cimo-build-timings.tsv`` at the root.
    """
    return out.parent / f".cimo-{out.name}-timings.tsv"


def timings_tsv(timings: dict[str, float]) -> bytes:
    lines = ["stage\tseconds", *(f"{k}\t{v:.3f}" for k, v in timings.items())]
    lines.append(f"total\t{sum(timings.values()):.3f}")
    return ("\n".join(lines) + "\n").encode()


#: a staging folder this old is abandoned even if its PID is alive again (PIDs are reused);
#: a build takes seconds
STALE_AFTER_SECONDS = 3600


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    except OSError:
        return False
    return True


def remove_stale_staging(target: Path, now: float | None = None) -> list[Path]:
    """Remove the ``.build.tmp-PID`` / ``.build.old-PID`` folders killed builds left behind.

    A folder is stale when its PID is not running, or when it is older than
    ``STALE_AFTER_SECONDS``; a concurrent build's fresh folder is left alone.
    """
    now = time.time() if now is None else now
    removed = []
    # a retired release is kept while it is the only copy (build/ itself is missing)
    for kind in ("tmp", "old") if target.exists() else ("tmp",):
        prefix = f".{target.name}.{kind}-"
        for folder in target.parent.glob(prefix + "*"):
            pid_text = folder.name[len(prefix) :]
            if not pid_text.isdigit() or int(pid_text) == os.getpid() or folder.is_symlink():
                continue
            try:
                age = now - folder.lstat().st_mtime
            except FileNotFoundError:
                continue
            if _pid_alive(int(pid_text)) and age < STALE_AFTER_SECONDS:
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


#: smaller repeated files are written again: a link saves nothing there
LINK_AT_LEAST = 64 * 1024


def write_atomically(target: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` to a temporary sibling of ``target`` and swap it in.

    A build killed half-way leaves its staging folder behind; the next build removes it.
    A file whose bytes are the very object of a file written before (the release
    files the site and its release folder repeat) is a hard link to it: the same
    bytes, written once (60 of the 200 MB at 10 times CIMO's size).
    """
    parent = target.parent
    remove_stale_staging(target)
    staging = parent / f".{target.name}.tmp-{os.getpid()}"
    retired = parent / f".{target.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        folders: set[Path] = set()
        first: dict[int, Path] = {}  # id of the bytes -> where they were written
        for name, data in files.items():
            path = staging / name
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            if len(data) >= LINK_AT_LEAST and id(data) in first:
                try:
                    os.link(first[id(data)], path)
                    continue
                except OSError:  # a file system without hard links
                    pass
            path.write_bytes(data)
            first.setdefault(id(data), path)
        if target.exists():
            target.rename(retired)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not target.exists():
            retired.rename(target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def build(
    paths: ProjectPaths, out: Path | None = None, skip_evidence_check: bool = False
) -> Release:
    clock = _Clock()
    try:
        release = assemble(paths, clock, skip_evidence_check)
    finally:
        clock.close()
    target = out or paths.build
    write_atomically(target, release.files)
    timings_path(target).write_bytes(timings_tsv(clock.timings))
    return release
