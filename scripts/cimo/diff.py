"""``cimo diff OLD NEW``: what changed between two releases, as markdown.

Terms are compared by ID (added, removed, newly deprecated, relabelled,
redefined, moved in the hierarchy); axioms are compared as OWL Functional
Syntax lines written by the OWL API, the same form as ``cimo.ofn``, so a
reordering or a blank-node relabelling is never reported as a change. Both
releases go through one JVM run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cimo.export import owlapi
from cimo.vocab import DEFINITION, STANDARD_PREFIXES, TERM_IRI_RE, curie_of

FORMATS = {".ttl": "turtle", ".owl": "xml", ".rdf": "xml", ".nt": "nt", ".jsonld": "json-ld"}


@dataclass(frozen=True)
class Snapshot:
    """One release, reduced to what a diff compares."""

    terms: dict[str, dict[str, object]]
    axioms: set[str]


def load_graph(path: Path) -> Graph:
    if path.suffix == ".ofn":
        raise ValueError(f"{path}: give an RDF release file (.owl, .ttl, .nt, .jsonld); the "
                         "diff derives axioms itself")
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise ValueError(f"{path}: unknown format; use one of {sorted(FORMATS)}")
    return Graph().parse(path, format=fmt)


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
            "parents": sorted(curie_of(str(p)) or str(p) for p in graph.objects(subject,
                              RDFS.subClassOf) if isinstance(p, URIRef)),
        }
    return terms


def _axioms(functional_syntax: bytes) -> set[str]:
    lines = functional_syntax.decode("utf-8").splitlines()
    return {line for line in lines
            if line and not line.startswith(("Prefix(", "Ontology(", ")", "#"))}


def snapshots(*graphs: Graph) -> list[Snapshot]:
    """Snapshots of the graphs; the non-empty ones go through one OWL API run."""
    filled = [graph for graph in graphs if len(graph)]
    # N-Triples under one fixed prefix block: the axiom lines abbreviate IRIs the same way
    # (CIMO:0000110, obo:RO_0002606) whatever prefixes each release happened to bind.
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(STANDARD_PREFIXES.items())
                     if p != "cimo")  # else the OWL API writes cimo:CIMO_0000110
    jobs = [(header.encode() + graph.serialize(format="nt", encoding="utf-8"), ["axioms.ofn"])
            for graph in filled]
    written = iter(owlapi.convert(jobs) if jobs else [])
    return [Snapshot(_terms(graph), _axioms(next(written)["axioms.ofn"]))
            if len(graph) else Snapshot({}, set()) for graph in graphs]


def snapshot(graph: Graph) -> Snapshot:
    return snapshots(graph)[0]


def report(old: Snapshot, new: Snapshot, old_name: str, new_name: str,
           title: str | None = None, level: int = 1, axioms: bool = True) -> str:
    """The diff as markdown; ``title``, ``level`` and ``axioms`` let the changelog
    reuse it as one entry (its own heading, deeper sections, counts of axioms only)."""
    added = sorted(set(new.terms) - set(old.terms))
    removed = sorted(set(old.terms) - set(new.terms))
    common = sorted(set(old.terms) & set(new.terms))
    deprecated = [t for t in common
                  if new.terms[t]["deprecated"] and not old.terms[t]["deprecated"]]
    changed = [(t, k) for t in common for k in ("label", "definition", "parents")
               if old.terms[t][k] != new.terms[t][k]]
    axioms_added = sorted(new.axioms - old.axioms)
    axioms_removed = sorted(old.axioms - new.axioms)
    head = "#" * level
    out = [f"{head} {title or f'CIMO diff: {old_name} → {new_name}'}", "",
           "| change | count |", "|---|---|",
           f"| terms added | {len(added)} |", f"| terms removed | {len(removed)} |",
           f"| terms deprecated | {len(deprecated)} |", f"| term fields changed | {len(changed)} |",
           f"| axioms added | {len(axioms_added)} |", f"| axioms removed | {len(axioms_removed)} |",
           ""]

    def section(title: str, rows: list[str]) -> None:
        out.extend([f"{head}# {title}", ""] + (rows or ["none"]) + [""])

    section("Terms added", [f"- {t} {new.terms[t]['label']}" for t in added])
    section("Terms removed", [f"- **{t} {old.terms[t]['label']}** (IDs must never be removed)"
                              for t in removed])
    section("Terms deprecated", [f"- {t} {new.terms[t]['label']}" for t in deprecated])
    section("Terms changed", [f"- {t} {key}: `{old.terms[t][key]}` → `{new.terms[t][key]}`"
                              for t, key in changed])
    if axioms:
        section("Axioms added", [f"- `{a}`" for a in axioms_added])
        section("Axioms removed", [f"- `{a}`" for a in axioms_removed])
    return "\n".join(out)


def diff_files(old: Path, new: Path) -> str:
    before, after = snapshots(load_graph(old), load_graph(new))
    return report(before, after, str(old), str(new))
