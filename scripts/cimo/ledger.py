"""The ID ledger: every CIMO ID ever minted, with its status.

IDs are never reused and never deleted, so the ledger is append-only. The
build checks the source against it; ``cimo new-term`` is the one writer.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from cimo.errors import BuildError, Problem
from cimo.ids import ID_DIGITS, LOCAL_PREFIX, TERM_ID_RE, format_term_id, id_number

COLUMNS = ("id", "status", "label")
STATUSES = ("active", "deprecated")
HEADER = "\t".join(COLUMNS)


@dataclass(frozen=True)
class LedgerEntry:
    id: str
    status: str
    label: str
    line: int


def read_ledger(path: Path) -> list[LedgerEntry]:
    """Read and check the ledger; every malformed row is reported with its line."""
    if not path.exists():
        raise BuildError(
            "ledger", [Problem("the ID ledger is missing", "restore it from git", file=path)]
        )
    problems: list[Problem] = []
    entries: list[LedgerEntry] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise BuildError(
            "ledger",
            [
                Problem(
                    f"the header must be {HEADER!r}", "restore the header row", file=path, line=1
                )
            ],
        )
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS):
            problems.append(
                Problem(
                    f"expected {len(COLUMNS)} tab-separated columns, got {len(row)}",
                    "fix the row",
                    file=path,
                    line=number,
                )
            )
            continue
        term_id, status, label = row
        if not TERM_ID_RE.match(term_id):
            problems.append(
                Problem(
                    f"malformed ID {term_id!r}",
                    f"IDs are {LOCAL_PREFIX} plus {ID_DIGITS} digits",
                    file=path,
                    line=number,
                    term=term_id,
                )
            )
        elif term_id in seen:
            problems.append(
                Problem(
                    f"ID {term_id} is listed twice (first at line {seen[term_id]})",
                    "remove the duplicate row",
                    file=path,
                    line=number,
                    term=term_id,
                )
            )
        if status not in STATUSES:
            problems.append(
                Problem(
                    f"unknown status {status!r}",
                    f"use one of {STATUSES}",
                    file=path,
                    line=number,
                    term=term_id,
                )
            )
        seen.setdefault(term_id, number)
        entries.append(LedgerEntry(term_id, status, label, number))
    if problems:
        raise BuildError("ledger", problems)
    return entries


def next_free_id(entries: list[LedgerEntry]) -> str:
    """One past the highest ID ever minted: gaps are never refilled."""
    highest = max((id_number(e.id) for e in entries), default=0)
    return format_term_id(highest + 1)


def entry_line(term_id: str, label: str) -> str:
    """The ledger row of a newly minted, active term."""
    return f"{term_id}\tactive\t{label}\n"
