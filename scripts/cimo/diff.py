"""``cimo diff OLD NEW``: what changed between two releases, as markdown.

Terms are compared by ID (added, removed, newly deprecated, relabelled,
redefined, moved in the hierarchy); axioms are compared as OWL Functional
Syntax lines, the same canonical form as ``cimo.ofn``, so a reordering or a
blank-node relabelling is never reported as a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cimo.errors import UsageError
from cimo.export.ofn import serialize as to_ofn
from cimo.vocab import DEFINITION, TERM_IRI_RE, curie_of

FORMATS = {".ttl": "turtle", ".owl": "xml", ".rdf": "xml", ".nt": "nt", ".jsonld": "json-ld"}


@dataclass(frozen=True)
class Snapshot:
    """One release, reduced to what a diff compares."""

    terms: dict[str, dict[str, object]]
    axioms: set[str]


def load(path: Path) -> Snapshot:
    if path.suffix == ".ofn":
        raise UsageError(f"{path}: give an RDF release file (.owl, .ttl, .nt, .jsonld); the "
                         "diff derives axioms itself")
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise UsageError(f"{path}: unknown format; use one of {sorted(FORMATS)}")
    graph = Graph().parse(path, format=fmt)
    return snapshot(graph)


def snapshot(graph: Graph) -> Snapshot:
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
    lines = to_ofn(graph, lenient=True).decode("utf-8").splitlines()
    axioms = {line for line in lines if line and not line.startswith(("Prefix(", "Ontology(", ")"))}
    return Snapshot(terms, axioms)


def report(old: Snapshot, new: Snapshot, old_name: str, new_name: str) -> str:
    added = sorted(set(new.terms) - set(old.terms))
    removed = sorted(set(old.terms) - set(new.terms))
    common = sorted(set(old.terms) & set(new.terms))
    deprecated = [t for t in common
                  if new.terms[t]["deprecated"] and not old.terms[t]["deprecated"]]
    changed = [(t, k) for t in common for k in ("label", "definition", "parents")
               if old.terms[t][k] != new.terms[t][k]]
    axioms_added = sorted(new.axioms - old.axioms)
    axioms_removed = sorted(old.axioms - new.axioms)
    out = [f"# CIMO diff: {old_name} → {new_name}", "",
           "| change | count |", "|---|---|",
           f"| terms added | {len(added)} |", f"| terms removed | {len(removed)} |",
           f"| terms deprecated | {len(deprecated)} |", f"| term fields changed | {len(changed)} |",
           f"| axioms added | {len(axioms_added)} |", f"| axioms removed | {len(axioms_removed)} |",
           ""]

    def section(title: str, rows: list[str]) -> None:
        out.extend([f"## {title}", ""] + (rows or ["none"]) + [""])

    section("Terms added", [f"- {t} {new.terms[t]['label']}" for t in added])
    section("Terms removed", [f"- **{t} {old.terms[t]['label']}** (IDs must never be removed)"
                              for t in removed])
    section("Terms deprecated", [f"- {t} {new.terms[t]['label']}" for t in deprecated])
    section("Terms changed", [f"- {t} {key}: `{old.terms[t][key]}` → `{new.terms[t][key]}`"
                              for t, key in changed])
    section("Axioms added", [f"- `{a}`" for a in axioms_added])
    section("Axioms removed", [f"- `{a}`" for a in axioms_removed])
    return "\n".join(out)


def diff_files(old: Path, new: Path) -> str:
    return report(load(old), load(new), str(old), str(new))
