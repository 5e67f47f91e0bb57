"""``cimo map --by-name``: the command-line side of ``cimo.linking.by_name``.

Names come from arguments, from ``--input FILE`` (one name per line for a
``.txt`` file, or the ``--column`` of a CSV/TSV file) and from stdin (``-`` as an
argument or as the file). Output is one row per match; a name that matches
nothing gets one row with an empty ``subject_id``. Exit status: 0 when every
name matched, 1 when some did not, 2 when the input could not be read.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from cimo.linking.by_name import NameResult

TSV_COLUMNS = (
    "input",
    "subject_id",
    "subject_label",
    "match",
    "name_type",
    "matched_name",
    "ambiguous",
    "unmatched_parts",
)


class BadInput(Exception):
    """Input that cannot be read as names: exit status 2."""


def _lines(handle: TextIO, source: str) -> Iterator[tuple[str, str]]:
    for number, line in enumerate(handle, start=1):
        text = line.rstrip("\r\n")
        if text.strip() and not text.lstrip().startswith("#"):
            yield f"{source}:{number}", text


def _column(handle: TextIO, source: str, column: str, delimiter: str) -> Iterator[tuple[str, str]]:
    reader = csv.reader(handle, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise BadInput(
            f"{source}: the file is empty; fix: give a header row naming the column {column!r}"
        )
    if column not in header:
        raise BadInput(
            f"{source}:1: no column named {column!r} in the header {header}; "
            f"fix: pass --column with one of these names"
        )
    index = header.index(column)
    for number, row in enumerate(reader, start=2):
        value = row[index] if index < len(row) else ""
        if value.strip():
            yield f"{source}:{number}", value


def _read(
    handle: TextIO, source: str, suffix: str, args: argparse.Namespace
) -> Iterator[tuple[str, str]]:
    named_column = args.column not in (None, "1")
    if not named_column and suffix in (".csv", ".tsv"):
        raise BadInput(
            f"{source}: a {suffix} file needs --column NAME (the header of the "
            f"column holding the names); fix: add --column, or use a .txt file "
            f"with one name per line"
        )
    if not named_column:
        yield from _lines(handle, source)
        return
    delimiter = args.delimiter or ("," if suffix == ".csv" else "\t")
    yield from _column(handle, source, args.column, delimiter)


def names(args: argparse.Namespace) -> Iterator[tuple[str, str]]:
    """(where, name) for every name given, in order."""
    files: list[Path] = [Path("-")] if "-" in args.ids else []
    for number, value in enumerate(args.ids, start=1):
        if value == "-":
            continue
        if not value.strip():
            raise BadInput(f"argument {number} is empty; fix: give a name, or leave it out")
        yield f"argument {number}", value
    if args.input_file is not None:
        files.append(args.input_file)
    for path in files:
        if str(path) == "-":
            yield from _read(sys.stdin, "stdin", ".txt", args)
            continue
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                yield from _read(handle, str(path), path.suffix.lower(), args)
        except FileNotFoundError:
            raise BadInput(f"{path}: no such file; fix: check the path given to --input") from None
        except UnicodeDecodeError as err:
            raise BadInput(
                f"{path}: not UTF-8 text ({err.reason} at byte {err.start}); "
                f"fix: save the file as UTF-8"
            ) from None


def rows(result: NameResult) -> list[dict[str, str]]:
    leftover = "; ".join(result.unmatched)
    if not result.matches:
        return [
            {
                "input": result.input,
                "subject_id": "",
                "subject_label": "",
                "match": "",
                "name_type": "",
                "matched_name": "",
                "ambiguous": "",
                "unmatched_parts": leftover,
            }
        ]
    return [
        {
            "input": result.input,
            "subject_id": m.name.curie,
            "subject_label": m.name.label,
            "match": m.how,
            "name_type": m.name.kind,
            "matched_name": m.name.text,
            "ambiguous": "true" if m.ambiguous else "false",
            "unmatched_parts": leftover,
        }
        for m in result.matches
    ]


def _cell(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def write(results: Iterable[NameResult], fmt: str, out: TextIO) -> tuple[int, int]:
    """Write the rows; return (names, names without a match)."""
    total = unmatched = 0
    records: list[dict[str, str]] = []
    if fmt == "tsv":
        out.write("\t".join(TSV_COLUMNS) + "\n")
    for result in results:
        total += 1
        if result.ambiguous:
            names = ", ".join(
                f"{m.name.curie} ({m.name.label})" for m in result.matches if m.ambiguous
            )
            print(
                f"cimo map --by-name: {result.input!r} is ambiguous: it names {names}",
                file=sys.stderr,
            )
        found = rows(result)
        unmatched += not found[0]["subject_id"]
        if fmt == "tsv":
            out.writelines("\t".join(_cell(r[c]) for c in TSV_COLUMNS) + "\n" for r in found)
        else:
            records.extend(found)
    if fmt == "json":
        json.dump(records, out, indent=2, ensure_ascii=False)
        out.write("\n")
    return total, unmatched


def run(args: argparse.Namespace) -> int:
    from cimo.linking import locate
    from cimo.linking.by_name import NameIndex, NameMatcher
    from cimo.linking.catalog import load_catalog
    from cimo.linking.errors import InputError, quiet_broken_pipe

    if not args.ids and args.input_file is None:
        print("cimo map --by-name: give names, --input FILE, or '-' for stdin", file=sys.stderr)
        return 2
    try:
        catalog = load_catalog(locate.ontology_files(args.root, args.ontology))
        matcher = NameMatcher(NameIndex.from_catalog(catalog))
        given = list(names(args))
        total, unmatched = write(
            (matcher.match(name) for _, name in given), args.format, sys.stdout
        )
        sys.stdout.flush()
    except BadInput as err:
        print(f"cimo map --by-name: {err}", file=sys.stderr)
        return 2
    except InputError as err:
        print(f"cimo map --by-name: {err.problem}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return quiet_broken_pipe()
    if unmatched:
        print(
            f"cimo map --by-name: {unmatched} of {total} names matched no CIMO drug or therapy",
            file=sys.stderr,
        )
        return 1
    return 0
