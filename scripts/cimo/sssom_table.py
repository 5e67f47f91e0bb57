"""Read the SSSOM/TSV mapping table: one parser for the build and for ``cimo map``.

Only ``csv`` and a YAML header parse, no rdflib: ``cimo map`` is called once
per identifier in scripts, so its start-up must stay small. Every format
problem is reported with the line it is on.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cimo.errors import CimoError

COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
)


class SssomFormatError(CimoError):
    """The table is not SSSOM/TSV as CIMO writes it; ``line`` is 1-based."""

    def __init__(self, message: str, fix: str, line: int | None) -> None:
        super().__init__(message)
        self.message, self.fix, self.line = message, fix, line


@dataclass(frozen=True)
class SssomRow:
    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    comment: str
    line: int

    @property
    def source(self) -> str:
        """Where the mapping was confirmed (kept in the SSSOM ``comment`` column)."""
        return self.comment

    def as_dict(self) -> dict[str, str]:
        """The standard SSSOM columns, as ``cimo map`` prints them."""
        return {column: getattr(self, column) for column in COLUMNS}


@dataclass(frozen=True)
class SssomTable:
    path: Path
    metadata: dict[str, Any]
    rows: list[SssomRow]

    @property
    def curie_map(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in dict(self.metadata.get("curie_map") or {}).items()}

    def expand(self, curie: str) -> str | None:
        prefix, _, local = curie.partition(":")
        base = self.curie_map.get(prefix)
        return base + local if base else None


def parse(path: Path) -> SssomTable:
    """Read ``path``; raises FileNotFoundError or SssomFormatError."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line[1:] for line in lines if line.startswith("#")]
    try:
        metadata = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise SssomFormatError(
            f"the '#' metadata header is not valid YAML: {err}",
            "fix the header lines (each starts with '#')",
            mark.line + 1 if mark else None,
        ) from err
    if not isinstance(metadata, dict) or not isinstance(metadata.get("curie_map"), dict):
        raise SssomFormatError(
            "the header has no curie_map", "add a curie_map block to the header", 1
        )
    body_start = len(header)
    reader = csv.DictReader(io.StringIO("\n".join(lines[body_start:])), delimiter="\t")
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as err:
        raise SssomFormatError(
            f"cannot read the column header: {err}",
            "write the column names on one line, separated by tabs",
            body_start + 1,
        ) from err
    missing = [c for c in COLUMNS if c not in fieldnames]
    if missing:
        raise SssomFormatError(
            f"missing columns {missing}", "use the SSSOM column names", body_start + 1
        )
    rows = []
    number = body_start + 1
    try:
        for number, record in enumerate(reader, start=body_start + 2):
            if any(record.get(c) is None for c in COLUMNS):
                raise SssomFormatError(
                    "row has fewer cells than the header",
                    "separate every cell with one tab",
                    number,
                )
            subject_id, subject_label, predicate_id, object_id, object_label, justification = (
                record[c].strip() for c in COLUMNS
            )
            rows.append(
                SssomRow(
                    subject_id,
                    subject_label,
                    predicate_id,
                    object_id,
                    object_label,
                    justification,
                    comment=(record.get("comment") or "").strip(),
                    line=number,
                )
            )
    except csv.Error as err:
        raise SssomFormatError(
            f"cannot read the row: {err}",
            f"keep every cell under {csv.field_size_limit()} characters",
            number + 1,
        ) from err
    return SssomTable(path, metadata, rows)
