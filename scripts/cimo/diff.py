"""``cimo diff OLD NEW``: what changed between two releases, as markdown.

Terms are compared by ID (added, removed, newly deprecated, relabelled,
redefined, moved in the hierarchy); axioms are compared as OWL Functional
Syntax lines written by the OWL API, the same form as ``cimo.ofn``, so a
reordering or a blank-node relabelling is never reported as a change. Both
releases go through one JVM run.

Release files are read as untrusted input: nothing is fetched (a JSON-LD
``@context`` is CIMO's own, loaded from the local copy beside the file, or the
file is refused), and RDF/XML and JSON pass the same checks as ``cimo
validate``'s input (no DOCTYPE or entities, bounded nesting).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cimo.errors import UsageError
from cimo.export import owlapi
from cimo.jsonld_loader import document_loader
from cimo.linking.input_guard import read_all
from cimo.paths import find_root
from cimo.vocab import DEFINITION, STANDARD_PREFIXES, TERM_IRI_RE, curie_of

FORMATS = {".ttl": "turtle", ".owl": "xml", ".rdf": "xml", ".nt": "nt", ".jsonld": "json-ld"}


@dataclass(frozen=True)
class Snapshot:
    """One release, reduced to what a diff compares."""

    terms: dict[str, dict[str, object]]
    axioms: set[str]


def _context_folders(path: Path) -> list[Path]:
    """Where CIMO's JSON-LD context may be found locally: beside the file, then build/."""
    folders = [path.parent]
    with contextlib.suppress(FileNotFoundError):
        folders.append(find_root(path.parent).build)
    return folders


def _innermost(err: BaseException) -> str:
    """pyld wraps the loader's refusal in two more errors; the first message is the one."""
    while err.__cause__ is not None or err.__context__ is not None:
        err = err.__cause__ or err.__context__  # type: ignore[assignment]
    message = err.args[0] if err.args else err
    return str(message)


def _jsonld_graph(path: Path, data: bytes) -> Graph:
    """JSON-LD through pyld with the local-only loader, so no context is fetched."""
    from pyld import jsonld

    options = {
        "documentLoader": document_loader(_context_folders(path)),
        "base": path.resolve().as_uri(),
        "format": "application/n-quads",
    }
    try:
        nquads = jsonld.to_rdf(json.loads(data), options)
    except RecursionError as err:
        raise UsageError(f"{path}: nested too deeply to read") from err
    except (ValueError, jsonld.JsonLdError) as err:
        raise UsageError(f"{path}: cannot read the JSON-LD: {_innermost(err)}") from err
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    graph = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def load_graph(path: Path) -> Graph:
    if path.suffix == ".ofn":
        raise UsageError(
            f"{path}: give an RDF release file (.owl, .ttl, .nt, .jsonld); the "
            "diff derives axioms itself"
        )
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise UsageError(f"{path}: unknown format; use one of {sorted(FORMATS)}")
    kind = {"xml": "xml", "json-ld": "json"}.get(fmt)
    with path.open("rb") as stream:
        data = read_all(stream, path, kind)
    if fmt == "json-ld":
        return _jsonld_graph(path, data)
    return Graph().parse(data=data, format=fmt, publicID=path.resolve().as_uri())


def load(path: Path) -> Snapshot:
    return snapshot(load_graph(path))


def _terms(graph: Graph) -> dict[str, dict[str, object]]:
    terms: dict[str, dict[str, object]] = {}
    for subject in set(graph.subjects(RDF.type, None)):
        if not isinstance(subject, URIRef) or not TERM_IRI_RE.match(str(subject)):
            continue
        terms[curie_of(str(subject)) or str(subject)] = {
            "label": str(graph.value(subject, RDFS.label) or ""),
            "definition": str(graph.value(subject, DEFINITION) or ""),
            "deprecated": (subject, OWL.deprecated, Literal(True)) in graph,
            "parents": sorted(
                curie_of(str(p)) or str(p)
                for p in graph.objects(subject, RDFS.subClassOf)
                if isinstance(p, URIRef)
            ),
        }
    return terms


def _axioms(functional_syntax: bytes) -> set[str]:
    lines = functional_syntax.decode("utf-8").splitlines()
    return {
        line for line in lines if line and not line.startswith(("Prefix(", "Ontology(", ")", "#"))
    }


def snapshot_jobs(*graphs: Graph) -> list[tuple[bytes, list[str]]]:
    """The OWL API conversions :func:`snapshots` needs, one per non-empty graph."""
    # N-Triples under one fixed prefix block: the axiom lines abbreviate IRIs the same way
    # (CIMO:0000110, obo:RO_0002606) whatever prefixes each release happened to bind.
    header = "".join(
        f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(STANDARD_PREFIXES.items()) if p != "cimo"
    )  # else the OWL API writes cimo:CIMO_0000110
    return [
        (header.encode() + graph.serialize(format="nt", encoding="utf-8"), ["axioms.ofn"])
        for graph in graphs
        if len(graph)
    ]


def from_converted(graphs: Sequence[Graph], written: list[dict[str, bytes]]) -> list[Snapshot]:
    """Snapshots of ``graphs`` from ``owlapi.convert(snapshot_jobs(*graphs))``."""
    converted = iter(written)
    return [
        Snapshot(_terms(graph), _axioms(next(converted)["axioms.ofn"]))
        if len(graph)
        else Snapshot({}, set())
        for graph in graphs
    ]


def snapshots(*graphs: Graph) -> list[Snapshot]:
    """Snapshots of the graphs; the non-empty ones go through one OWL API run."""
    jobs = snapshot_jobs(*graphs)
    return from_converted(graphs, owlapi.convert(jobs) if jobs else [])


def snapshot(graph: Graph) -> Snapshot:
    return snapshots(graph)[0]


def report(
    old: Snapshot,
    new: Snapshot,
    old_name: str,
    new_name: str,
    title: str | None = None,
    level: int = 1,
    axioms: bool = True,
) -> str:
    """The diff as markdown; ``title``, ``level`` and ``axioms`` let the changelog
    reuse it as one entry (its own heading, deeper sections, counts of axioms only)."""
    added = sorted(set(new.terms) - set(old.terms))
    removed = sorted(set(old.terms) - set(new.terms))
    common = sorted(set(old.terms) & set(new.terms))
    deprecated = [
        t for t in common if new.terms[t]["deprecated"] and not old.terms[t]["deprecated"]
    ]
    changed = [
        (t, k)
        for t in common
        for k in ("label", "definition", "parents")
        if old.terms[t][k] != new.terms[t][k]
    ]
    axioms_added = sorted(new.axioms - old.axioms)
    axioms_removed = sorted(old.axioms - new.axioms)
    head = "#" * level
    out = [
        f"{head} {title or f'CIMO diff: {old_name} → {new_name}'}",
        "",
        "| change | count |",
        "|---|---|",
        f"| terms added | {len(added)} |",
        f"| terms removed | {len(removed)} |",
        f"| terms deprecated | {len(deprecated)} |",
        f"| term fields changed | {len(changed)} |",
        f"| axioms added | {len(axioms_added)} |",
        f"| axioms removed | {len(axioms_removed)} |",
        "",
    ]

    def section(title: str, rows: list[str]) -> None:
        out.extend([f"{head}# {title}", ""] + (rows or ["none"]) + [""])

    section("Terms added", [f"- {t} {new.terms[t]['label']}" for t in added])
    section(
        "Terms removed",
        [f"- **{t} {old.terms[t]['label']}** (IDs must never be removed)" for t in removed],
    )
    section("Terms deprecated", [f"- {t} {new.terms[t]['label']}" for t in deprecated])
    section(
        "Terms changed",
        [f"- {t} {key}: `{old.terms[t][key]}` → `{new.terms[t][key]}`" for t, key in changed],
    )
    if axioms:
        section("Axioms added", [f"- `{a}`" for a in axioms_added])
        section("Axioms removed", [f"- `{a}`" for a in axioms_removed])
    return "\n".join(out)


def diff_files(old: Path, new: Path) -> str:
    before, after = snapshots(load_graph(old), load_graph(new))
    return report(before, after, str(old), str(new))
