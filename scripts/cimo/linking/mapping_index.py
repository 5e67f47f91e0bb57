"""The SSSOM mapping table, indexed both ways for ``cimo map``.

The table is read by :mod:`cimo.sssom_table`, the build's own parser, which
needs no rdflib: ``cimo map`` is called once per identifier in scripts, so its
start-up must stay small.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from cimo.linking.errors import InputError
from cimo.sssom_table import SssomFormatError, SssomRow, parse

#: One row of the table (the SSSOM columns plus its line), shared with the build.
MappingRow = SssomRow


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
        table = parse(path)
    except FileNotFoundError as err:
        raise InputError(
            f"mapping table not found: {path}",
            "pass --mappings with the release's cimo.sssom.tsv",
            file=path,
        ) from err
    except SssomFormatError as err:
        raise InputError(err.message, err.fix, file=path, line=err.line) from err
    return MappingIndex(path, table.curie_map, table.rows)
