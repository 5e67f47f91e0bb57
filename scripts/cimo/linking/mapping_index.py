"""The SSSOM mapping table, indexed both ways for ``cimo map``.

The table is read with ``csv`` and a YAML header parse only: the build's
reader (``cimo.mappings``) pulls in rdflib, which would triple the start-up
time of a command that is meant to be called once per identifier in scripts.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from cimo.linking.errors import InputError

COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification")


@dataclass(frozen=True)
class MappingRow:
    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    line: int

    def as_dict(self) -> dict[str, str]:
        data = asdict(self)
        data.pop("line")
        return data


@dataclass
class MappingIndex:
    """Rows of the table by CIMO subject and by external object."""

    path: Path
    curie_map: dict[str, str]
    rows: list[MappingRow]

    def __post_init__(self) -> None:
        self.by_subject: dict[str, list[MappingRow]] = defaultdict(list)
        self.by_object: dict[str, list[MappingRow]] = defaultdict(list)
        for row in self.rows:
            self.by_subject[row.subject_id].append(row)
            self.by_object[row.object_id].append(row)

    def for_subject(self, curie: str) -> list[MappingRow]:
        return list(self.by_subject.get(curie, ()))

    def for_object(self, curie: str) -> list[MappingRow]:
        return list(self.by_object.get(curie, ()))


def read_index(path: Path) -> MappingIndex:
    """Read an SSSOM/TSV file; every problem names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise InputError(f"mapping table not found: {path}",
                         "pass --mappings with the release's cimo.sssom.tsv", file=path) from err
    lines = text.splitlines()
    header = [line[1:] for line in lines if line.startswith("#")]
    try:
        metadata = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputError(f"the '#' metadata header is not valid YAML: {err}",
                         "fix the header lines (each starts with '#')", file=path,
                         line=mark.line + 1 if mark else None) from err
    curie_map = metadata.get("curie_map") if isinstance(metadata, dict) else None
    if not isinstance(curie_map, dict):
        raise InputError("the header has no curie_map", "add a curie_map block to the header",
                         file=path, line=1)
    body_start = len(header)
    reader = csv.DictReader(io.StringIO("\n".join(lines[body_start:])), delimiter="\t")
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"missing columns {missing}", "use the SSSOM column names",
                         file=path, line=body_start + 1)
    rows = []
    for number, record in enumerate(reader, start=body_start + 2):
        if any(record.get(c) is None for c in COLUMNS):
            raise InputError("row has fewer cells than the header",
                             "separate every cell with one tab", file=path, line=number)
        rows.append(MappingRow(*(record[c].strip() for c in COLUMNS), line=number))
    return MappingIndex(path, {str(k): str(v) for k, v in curie_map.items()}, rows)
