"""Release safety: published IDs never disappear, and every build is diffed against
the previous release.

Published releases are snapshotted in ``releases/<version>/cimo.ttl`` (by
``cimo release``). A build fails if any ID of any snapshot is no longer
declared in the source, and writes ``reports/diff.md`` against the newest
snapshot, so a reviewer sees what the next release will change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from cimo.diff import load_graph, report
from cimo.diff import snapshots as axiom_snapshots
from cimo.errors import BuildError, Problem, UsageError
from cimo.paths import snapshots
from cimo.vocab import TERM_IRI_RE, curie_of


def check_ids_kept(releases: Path, declared: set[URIRef]) -> None:
    problems: list[Problem] = []
    for path in snapshots(releases):
        published = Graph().parse(path, format="turtle")
        for term in sorted(
            {
                s
                for s in published.subjects(RDF.type, None)
                if isinstance(s, URIRef) and TERM_IRI_RE.match(str(s))
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


def diff_against_latest(releases: Path, graph: Graph, version: str) -> dict[str, bytes]:
    found = snapshots(releases)
    if not found:
        return {}
    latest = found[-1]
    before, after = axiom_snapshots(load_graph(latest), graph)
    text = report(before, after, f"release {latest.parent.name}", f"this build ({version})")
    return {"reports/diff.md": (text + "\n").encode("utf-8")}


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
