"""MIREOT imports: reference-ontology classes CIMO reuses, from confirmed tables.

CIMO reuses cells, anatomy, proteins, processes, diseases, organisms,
phenotypes and roles by their own IRIs instead of minting duplicates. Each
reused class is one row of ``ontology/imports/<prefix>.tsv`` (columns ``id``,
``label``, ``definition``, ``parent``, ``source``), copied from the reference
ontology's file named in ``source``. The build turns the rows into the import
module: the class, its label, its textual definition, its parent and
``rdfs:isDefinedBy`` the ontology's PURL. Only the minimum is imported, as
MIREOT prescribes, so the release stays small and never drifts silently: a row
changes only when a curator re-checks it against the source.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cimo.errors import BuildError, Problem
from cimo.vocab import DEFINITION, OBO

COLUMNS = ("id", "label", "definition", "parent", "source")
HEADER = "\t".join(COLUMNS)

#: Table file stem -> the CURIE prefix its rows must use.
PREFIXES: dict[str, str] = {
    "bfo": "BFO",
    "chebi": "CHEBI",
    "cl": "CL",
    "go": "GO",
    "hp": "HP",
    "iao": "IAO",
    "mondo": "MONDO",
    "ncbitaxon": "NCBITaxon",
    "obi": "OBI",
    "omo": "OMO",
    "pr": "PR",
    "ro": "RO",
    "uberon": "UBERON",
}
_LOCAL_ID = re.compile(r"^[A-Za-z0-9_]+$")
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9]*):([A-Za-z0-9_]+)$")
_SOURCE = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class ImportRow:
    """One reused class, with the file and line it was read from."""

    id: str
    label: str
    definition: str
    parent: str
    source: str
    file: Path
    line: int

    @property
    def iri(self) -> URIRef:
        return curie_to_iri(self.id)


def curie_to_iri(curie: str) -> URIRef:
    """OBO CURIE -> PURL, e.g. ``CL:0000084`` -> ``http://purl.obolibrary.org/obo/CL_0000084``."""
    prefix, local = curie.split(":", 1)
    return URIRef(f"{OBO}{prefix}_{local}")


def ontology_purl(prefix: str) -> URIRef:
    """The reference ontology's PURL (``rdfs:isDefinedBy``), e.g. ``obo:cl.owl``."""
    return URIRef(f"{OBO}{prefix.lower()}.owl")


def table_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.tsv")) if folder.is_dir() else []


def read_table(path: Path) -> tuple[list[ImportRow], list[Problem]]:
    """Read one table, reporting every malformed row with its file and line."""
    problems: list[Problem] = []
    stem = path.stem
    prefix = PREFIXES.get(stem)
    if prefix is None:
        known = ", ".join(f"{s}.tsv" for s in PREFIXES)
        return [], [
            Problem(
                f"no reference ontology is known for the table name {path.name!r}",
                f"name the table after its ontology: one of {known}",
                file=path,
            )
        ]
    with path.open(encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines()
    if not lines or lines[0] != HEADER:
        return [], [
            Problem(
                f"the header must be {HEADER!r}",
                "restore the header row (tab-separated)",
                file=path,
                line=1,
            )
        ]
    rows: list[ImportRow] = []
    for number, text in enumerate(lines[1:], start=2):
        if not text.strip():
            problems.append(Problem("blank line", "delete the blank line", file=path, line=number))
            continue
        cells = next(csv.reader([text], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(cells) != len(COLUMNS):
            problems.append(
                Problem(
                    f"expected {len(COLUMNS)} tab-separated columns ({', '.join(COLUMNS)}), "
                    f"got {len(cells)}",
                    "separate the columns with single tabs; leave an empty "
                    "definition or parent as an empty cell",
                    file=path,
                    line=number,
                )
            )
            continue
        ident, label, definition, parent, source = (c.strip() for c in cells)
        row = ImportRow(ident, label, definition, parent, source, file=path, line=number)
        problems.extend(_check_row(row, prefix))
        rows.append(row)
    for earlier, later in pairwise(rows):
        if later.id < earlier.id:
            problems.append(
                Problem(
                    f"{later.id} comes after {earlier.id}: rows are not sorted by id",
                    "sort the rows by id (e.g. `sort -t$'\\t' -k1,1`) below the header",
                    file=path,
                    line=later.line,
                    term=later.id,
                )
            )
            break
    seen: dict[str, int] = {}
    for row in rows:
        if row.id in seen:
            problems.append(
                Problem(
                    f"{row.id} is listed twice (also line {seen[row.id]})",
                    "keep one row per class",
                    file=path,
                    line=row.line,
                    term=row.id,
                )
            )
        seen.setdefault(row.id, row.line)
    return rows, problems


def _check_row(row: ImportRow, prefix: str) -> list[Problem]:
    problems: list[Problem] = []
    match = _CURIE.match(row.id)
    if not match or match.group(1) != prefix or not _LOCAL_ID.match(match.group(2)):
        problems.append(
            Problem(
                f"id {row.id!r} is not a {prefix} CURIE",
                f"write the class as {prefix}:<local id>, e.g. as in the OBO PURL "
                f"http://purl.obolibrary.org/obo/{prefix}_<local id>",
                file=row.file,
                line=row.line,
                term=row.id or None,
            )
        )
    if not row.label:
        problems.append(
            Problem(
                "the label is empty",
                "copy the class's rdfs:label verbatim from the source file",
                file=row.file,
                line=row.line,
                term=row.id or None,
            )
        )
    if row.parent and not _CURIE.match(row.parent):
        problems.append(
            Problem(
                f"parent {row.parent!r} is not a CURIE",
                "write the superclass as PREFIX:ID, e.g. CL:0000542",
                file=row.file,
                line=row.line,
                term=row.id or None,
            )
        )
    if row.parent == row.id and row.id:
        problems.append(
            Problem(
                "the class is its own parent",
                "give the superclass the source file asserts",
                file=row.file,
                line=row.line,
                term=row.id or None,
            )
        )
    if not _SOURCE.match(row.source):
        problems.append(
            Problem(
                f"source {row.source!r} is not a URL",
                "name the record the row was confirmed in: the ontology file at a commit "
                "(https://github.com/<org>/<repo>/blob/<commit>/<path>) or the term's OBO PURL",
                file=row.file,
                line=row.line,
                term=row.id or None,
            )
        )
    return problems


def read_tables(folder: Path, known_classes: set[URIRef]) -> list[ImportRow]:
    """Read and check every table; raise one BuildError listing every problem.

    ``known_classes`` are the classes a parent may also point to outside the
    tables (the BFO classes declared in ``ontology/upper.ttl``).
    """
    rows: list[ImportRow] = []
    problems: list[Problem] = []
    for path in table_paths(folder):
        table_rows, table_problems = read_table(path)
        rows.extend(table_rows)
        problems.extend(table_problems)
    imported = {r.iri for r in rows if _CURIE.match(r.id)}
    first: dict[str, ImportRow] = {}
    for row in rows:
        if row.id in first and first[row.id].file != row.file:
            problems.append(
                Problem(
                    f"{row.id} is also listed in {first[row.id].file.name}",
                    "keep the class in its own ontology's table",
                    file=row.file,
                    line=row.line,
                    term=row.id,
                )
            )
        first.setdefault(row.id, row)
        if row.parent and _CURIE.match(row.parent):
            parent = curie_to_iri(row.parent)
            if parent not in imported and parent not in known_classes:
                problems.append(
                    Problem(
                        f"parent {row.parent} is neither imported nor declared in "
                        "ontology/upper.ttl",
                        f"add a confirmed row for {row.parent} to its table, or use an ancestor "
                        "that is already imported",
                        file=row.file,
                        line=row.line,
                        term=row.id,
                    )
                )
    if problems:
        raise BuildError("imports", problems)
    return rows


def to_graph(rows: list[ImportRow]) -> Graph:
    """The import module: one class per row, with its label, definition and parent."""
    graph = Graph()
    for row in rows:
        iri = row.iri
        graph.add((iri, RDF.type, OWL.Class))
        graph.add((iri, RDFS.label, Literal(row.label, lang="en")))
        if row.definition:
            graph.add((iri, DEFINITION, Literal(row.definition, lang="en")))
        if row.parent:
            graph.add((iri, RDFS.subClassOf, curie_to_iri(row.parent)))
        graph.add((iri, RDFS.isDefinedBy, ontology_purl(row.id.split(":", 1)[0])))
    return graph
