"""Read the SSSOM mapping table and turn it into release statements.

External identifiers live only in ``ontology/mappings/cimo.sssom.tsv``; the
build projects each row into ``skos:*Match`` (to the target's canonical IRI,
expanded with the table's own ``curie_map``) and ``oboInOwl:hasDbXref`` (the
CURIE), so users of the OWL file see the mappings without reading SSSOM.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from cimo.errors import BuildError, Problem
from cimo.vocab import CIMO_NS, OBOINOWL

PREDICATES = {
    "skos:exactMatch": SKOS.exactMatch,
    "skos:closeMatch": SKOS.closeMatch,
    "skos:broadMatch": SKOS.broadMatch,
    "skos:narrowMatch": SKOS.narrowMatch,
    "skos:relatedMatch": SKOS.relatedMatch,
}
REQUIRED_COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
                    "mapping_justification")


@dataclass(frozen=True)
class Mapping:
    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    justification: str
    source: str
    line: int


@dataclass(frozen=True)
class MappingSet:
    metadata: dict
    rows: list[Mapping]

    @property
    def curie_map(self) -> dict[str, str]:
        return dict(self.metadata.get("curie_map", {}))

    def expand(self, curie: str) -> str | None:
        prefix, _, local = curie.partition(":")
        base = self.curie_map.get(prefix)
        return base + local if base else None


def read_sssom(path: Path) -> MappingSet:
    text = path.read_text(encoding="utf-8")
    header_lines = [line[1:] for line in text.splitlines() if line.startswith("#")]
    body_start = len(header_lines)
    metadata = yaml.safe_load("\n".join(header_lines)) or {}
    reader = csv.DictReader(io.StringIO("\n".join(text.splitlines()[body_start:])),
                            delimiter="\t")
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BuildError("mappings", [Problem(f"missing columns {missing}",
                                              "add them to the table header",
                                              file=path, line=body_start + 1)])
    rows = [
        Mapping(r["subject_id"], r["subject_label"], r["predicate_id"], r["object_id"],
                r["object_label"], r["mapping_justification"], r.get("comment", "") or "",
                body_start + 2 + i)
        for i, r in enumerate(reader)
    ]
    return MappingSet(metadata, rows)


def check(mappings: MappingSet, path: Path, known_terms: set[URIRef]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str, str]] = set()
    for row in mappings.rows:
        where = {"file": path, "line": row.line, "term": row.subject_id}
        subject = mappings.expand(row.subject_id)
        if subject is None or URIRef(subject) not in known_terms:
            problems.append(Problem(f"subject {row.subject_id} is not a CIMO term",
                                    "use the CURIE of an existing term (CIMO:nnnnnnn)", **where))
        if row.predicate_id not in PREDICATES:
            problems.append(Problem(f"predicate {row.predicate_id!r} is not a SKOS match",
                                    f"use one of {sorted(PREDICATES)}", **where))
        if mappings.expand(row.object_id) is None:
            problems.append(Problem(f"object prefix of {row.object_id!r} is not in curie_map",
                                    "add the prefix to the curie_map in the table header",
                                    **where))
        key = (row.subject_id, row.predicate_id, row.object_id)
        if key in seen:
            problems.append(Problem("duplicate mapping row", "remove the duplicate", **where))
        seen.add(key)
    return problems


def to_graph(mappings: MappingSet) -> Graph:
    graph = Graph()
    for row in mappings.rows:
        subject = URIRef(mappings.expand(row.subject_id) or "")
        obj = mappings.expand(row.object_id)
        if not str(subject).startswith(CIMO_NS) or obj is None:
            continue
        graph.add((subject, PREDICATES[row.predicate_id], URIRef(obj)))
        graph.add((subject, OBOINOWL.hasDbXref, Literal(row.object_id)))
    return graph
