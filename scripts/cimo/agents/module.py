"""``ontology/agents.ttl``: the module generated from the agent tables.

As with ODK pattern modules, the generated module is committed beside its
tables, so that every reader of ``ontology/*.ttl`` (the build, ``cimo map``,
``cimo validate``, Protégé) sees the agents without running anything. ``cimo
agents`` writes it; the build regenerates it in memory and fails when the
committed file differs, so the two can never drift apart silently.
"""

from __future__ import annotations

import csv
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from cimo import turtle
from cimo.agents.owl import PREFIXES, iri, to_graph
from cimo.agents.tables import Known, Tables, read_tables
from cimo.errors import BuildError, Problem
from cimo.paths import ProjectPaths
from cimo.vocab import TERM_IRI_RE

MODULE = "agents.ttl"


def tables_folder(paths: ProjectPaths) -> Path:
    return paths.ontology / "agents"


def module_path(paths: ProjectPaths) -> Path:
    return paths.ontology / MODULE


def imported_classes(folder: Path) -> dict[str, str]:
    """CURIE -> label of every row of ``ontology/imports/*.tsv`` (checked by the import stage)."""
    found: dict[str, str] = {}
    for table in sorted(folder.glob("*.tsv")):
        with table.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row.get("id"):
                    found[row["id"].strip()] = (row.get("label") or "").strip()
    return found


def declared_cimo(graphs: list[Graph]) -> frozenset[str]:
    """CIMO CURIEs that some module declares with an OWL entity type."""
    found = set()
    for graph in graphs:
        for subject in graph.subjects(RDF.type, None):
            match = TERM_IRI_RE.match(str(subject))
            if match:
                found.add(f"CIMO:{match.group(1)}")
    return frozenset(found)


def known(paths: ProjectPaths, other_modules: list[Graph]) -> Known:
    return Known(declared_cimo(other_modules), imported_classes(paths.ontology / "imports"))


def generate(paths: ProjectPaths, other_modules: list[Graph]) -> tuple[Tables, str]:
    """The module text for the tables; BuildError (stage 'agents') on bad rows."""
    tables, problems = read_tables(tables_folder(paths), known(paths, other_modules))
    if problems:
        raise BuildError("agents", problems)
    graph = to_graph(tables)
    for curie in sorted(
        {t.target for t in tables.targets if not t.target.startswith("CIMO:")}
        | {i.disease for i in tables.indications}
        | {r.event for r in tables.risks if not r.event.startswith("CIMO:")}
    ):
        # referenced imported classes are declared, so the module is OWL 2 DL on its own
        graph.add((iri(curie), RDF.type, OWL.Class))
    return tables, turtle.serialize(graph, PREFIXES)


def check_fresh(paths: ProjectPaths, modules: dict[Path, Graph]) -> Tables:
    """Fail the build when the committed module is not what the tables give.

    A tree without ``ontology/agents/`` (a derived tree, such as the synthetic ones the
    scaling benchmark builds) has no tables to check the module against.
    """
    if not tables_folder(paths).is_dir():
        return Tables()
    target = module_path(paths)
    others = [g for p, g in modules.items() if p.name != MODULE]
    tables, text = generate(paths, others)
    current = target.read_text(encoding="utf-8") if target.exists() else None
    if current != text:
        state = "missing" if current is None else "out of date with ontology/agents/*.tsv"
        raise BuildError(
            "agents",
            [
                Problem(
                    f"{MODULE} is {state}",
                    "run `cimo agents` to regenerate it from the tables, and commit both",
                    file=target,
                )
            ],
        )
    return tables


def write(paths: ProjectPaths, modules: dict[Path, Graph]) -> Path:
    """Write the agent module; ``modules`` are the parsed source modules (the caller
    parses them, so this package stays below the pipeline that imports it)."""
    target = module_path(paths)
    others = [graph for path, graph in modules.items() if path.name != MODULE]
    _, text = generate(paths, others)
    target.write_text(text, encoding="utf-8")
    return target
