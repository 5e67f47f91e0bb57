"""Release safety: published IDs never disappear, and every build is diffed against
the previous release.

Published releases are snapshotted in ``releases/<version>/cimo.ttl`` (by
``cimo release``). A build fails if any ID of any snapshot is no longer
declared in the source, and writes ``reports/diff.md`` against the newest
snapshot, so a reviewer sees what the next release will change.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from cimo.diff import from_converted, load_graph, report, snapshot_jobs
from cimo.errors import BuildError, Problem, UsageError
from cimo.export import owlapi
from cimo.paths import snapshots
from cimo.vocab import TERM_IRI_RE, curie_of

_RDF_TYPE = ox.NamedNode(str(RDF.type))


def check_ids_kept(releases: Path, declared: set[URIRef]) -> None:
    problems: list[Problem] = []
    for path in snapshots(releases):
        # Oxigraph's parser: only the typed IRIs are needed, not an rdflib graph
        typed = ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        for term in sorted(
            {
                URIRef(t.subject.value)
                for t in typed
                if t.predicate == _RDF_TYPE
                and isinstance(t.subject, ox.NamedNode)
                and TERM_IRI_RE.match(t.subject.value)
            }
        ):
            if term not in declared:
                problems.append(
                    Problem(
                        f"{curie_of(str(term))} was published in release {path.parent.name} "
                        "and is gone from the source",
                        "IDs are never deleted: restore the term, or deprecate it in "
                        "deprecated.ttl",
                        file=path,
                        term=curie_of(str(term)),
                    )
                )
    if problems:
        raise BuildError("releases", problems)


@dataclass(frozen=True)
class PendingDiff:
    """The diff against the newest snapshot, waiting for its OWL API conversions.

    ``jobs`` go to ``cimo.export.owlapi.convert``; the build runs them in the JVM that
    writes the release's own OWL API files, since starting Java costs more than
    converting. :meth:`finish` takes what they wrote.
    """

    graphs: tuple[Graph, Graph]  # the snapshot's, this build's
    names: tuple[str, str]
    jobs: list[tuple[bytes, list[str]]]

    def finish(self, written: list[dict[str, bytes]]) -> dict[str, bytes]:
        before, after = from_converted(self.graphs, written)
        text = report(before, after, *self.names)
        return {"reports/diff.md": (text + "\n").encode("utf-8")}


def prepare_diff(releases: Path, graph: Graph, version: str) -> PendingDiff | None:
    """The diff of ``graph`` against the newest snapshot, if there is one."""
    found = snapshots(releases)
    if not found:
        return None
    latest = found[-1]
    graphs = (load_graph(latest), graph)
    names = (f"release {latest.parent.name}", f"this build ({version})")
    return PendingDiff(graphs, names, snapshot_jobs(*graphs))


def diff_against_latest(releases: Path, graph: Graph, version: str) -> dict[str, bytes]:
    pending = prepare_diff(releases, graph, version)
    if pending is None:
        return {}
    return pending.finish(owlapi.convert(pending.jobs) if pending.jobs else [])


def publish(releases: Path, build: Path, version: str) -> Path:
    """Snapshot ``build/cimo.ttl`` as release ``version``; never overwrite a different one."""
    source = build / "cimo.ttl"
    if not source.is_file():
        raise UsageError(f"{source} not found: run `cimo build` first")
    target = releases / version / "cimo.ttl"
    if target.exists():
        if target.read_bytes() == source.read_bytes():
            return target
        raise UsageError(
            f"release {version} is already published with different content "
            f"({target}); bump owl:versionInfo in ontology/header.ttl"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
