"""``cimo map ID...``: translate identifiers to and from CIMO.

Every input is handled on its own: a malformed line is reported on stderr
(with its file and line) and the others are still translated. Exit status:
0 when every input was mapped, 1 when some were well-formed but have no
mapping (or name a deprecated term), 2 when some could not be read at all.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from cimo.linking.errors import InputError
from cimo.terminal import printable

TSV_COLUMNS = (
    "input",
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
)


def _column(text: str) -> str:
    """Column numbers are 1-based: 0 (or -1) would silently read the last column."""
    if text.lstrip("+-").isdigit() and int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: columns are numbered from 1")
    return text


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "map",
        help="translate IDs to CIMO terms and CIMO terms to external IDs",
        description="Translate identifiers through CIMO's SSSOM mappings. Accepts CURIEs in any "
        "prefix spelling (DRUGBANK:DB00073, NCIT:C1702), IRIs "
        "(https://go.drugbank.com/drugs/DB00073), OBO-style IDs (NCIT_C1702), "
        "CIMO IDs, and bare IDs with --prefix.",
    )
    parser.add_argument(
        "ids", nargs="*", help="identifiers to translate (with --by-name: names; '-' reads stdin)"
    )
    parser.add_argument(
        "--by-name",
        action="store_true",
        help="read drug and therapy names as registries write them (brand "
        "names, codes, doses, combinations) and give the CIMO terms",
    )
    parser.add_argument(
        "--input",
        "-i",
        dest="input_file",
        type=Path,
        help="read identifiers from this file ('-' for stdin), one per row",
    )
    parser.add_argument(
        "--column",
        default="1",
        type=_column,
        help="column holding the IDs: a 1-based number, or a header name "
        "(then the first row is the header). Default: 1",
    )
    parser.add_argument(
        "--delimiter",
        default=None,
        help="column separator of --input (default: ',' for .csv, else tab)",
    )
    parser.add_argument("--prefix", help="prefix for bare IDs, e.g. --prefix drugbank DB00073")
    parser.add_argument("--format", choices=("tsv", "json"), default="tsv")
    parser.add_argument(
        "--mappings",
        type=Path,
        help="SSSOM table (default: the checkout's ontology/mappings/cimo.sssom.tsv)",
    )
    parser.add_argument(
        "--ontology",
        type=Path,
        action="append",
        help="ontology file for CIMO labels and deprecations (repeatable; "
        "default: the checkout's ontology/*.ttl)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="rebuild the prefix table from bioregistry instead of the cache",
    )
    parser.set_defaults(func=run)


def _column_reader(
    rows: Iterator[list[str]], column: str, source: str
) -> Iterator[tuple[str, str]]:
    """(where, value) for each data row, skipping blank rows and '#' comments."""
    index: int | None = None
    if column.isdigit():
        index = int(column) - 1
    number = 0
    try:
        for number, row in enumerate(rows, start=1):
            if index is None:
                if column not in row:
                    raise InputError(
                        f"no column named {column!r} in the header {row}",
                        "pass --column with one of these names or a number",
                        file=source,
                        line=number,
                    )
                index = row.index(column)
                continue
            if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                continue
            value = row[index] if index < len(row) else ""
            yield f"{source}:{number}", value
    except csv.Error as err:
        raise InputError(
            f"cannot read this row: {err}",
            f"one identifier per row, each field under {csv.field_size_limit()} characters",
            file=source,
            line=number + 1,
        ) from err


def _inputs(args: argparse.Namespace) -> Iterator[tuple[str, str]]:
    for number, value in enumerate(args.ids, start=1):
        yield f"argument {number}", value
    if args.input_file is None:
        return
    path: Path = args.input_file
    delimiter = args.delimiter or ("," if path.suffix.lower() == ".csv" else "\t")
    if str(path) == "-":
        yield from _column_reader(csv.reader(sys.stdin, delimiter=delimiter), args.column, "stdin")
        return
    with path.open(encoding="utf-8", newline="") as handle:
        yield from _column_reader(csv.reader(handle, delimiter=delimiter), args.column, str(path))


def _tsv_cell(text: str) -> str:
    return printable(text.replace("\t", " ").replace("\n", " "))


def run(args: argparse.Namespace) -> int:
    if args.by_name:
        from cimo.cli import map_by_name

        return map_by_name.run(args)
    from cimo.linking import locate
    from cimo.linking.catalog import load_catalog
    from cimo.linking.errors import quiet_broken_pipe
    from cimo.linking.mapping_index import read_index
    from cimo.linking.prefixes import load_table
    from cimo.linking.translate import ERROR, MAPPED, Translator

    if not args.ids and args.input_file is None:
        print("cimo map: give identifiers, or --input FILE ('-' for stdin)", file=sys.stderr)
        return 2
    try:
        index = read_index(locate.mapping_table(args.root, args.mappings))
        ontology = args.ontology
        translator = Translator(
            index,
            load_table(index.curie_map, use_cache=not args.no_cache),
            lambda: load_catalog(locate.ontology_files(args.root, ontology)),
            args.prefix,
        )
        results = []
        if args.format == "tsv":
            print("\t".join(TSV_COLUMNS))
        for where, text in _inputs(args):
            result = translator.translate(text, where)
            results.append(result)
            if result.status != MAPPED:
                print(
                    printable(f"{where}: {text.strip()!r}: {result.message}")
                    + f"\n    fix: {printable(result.fix)}",
                    file=sys.stderr,
                )
            if args.format == "tsv":
                for row in result.rows:
                    cells = (
                        text.strip(),
                        row.subject_id,
                        row.subject_label,
                        row.predicate_id,
                        row.object_id,
                        row.object_label,
                        row.mapping_justification,
                    )
                    print("\t".join(_tsv_cell(c) for c in cells))
                sys.stdout.flush()
        if args.format == "json":
            json.dump([r.as_dict() for r in results], sys.stdout, indent=2)
            print()
    except InputError as err:
        print(f"cimo map: {err.problem}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return quiet_broken_pipe()
    except OSError as err:
        print(f"cimo map: {printable(err)}", file=sys.stderr)
        return 2
    statuses = {r.status for r in results}
    if ERROR in statuses:
        return 2
    return 0 if statuses <= {MAPPED} else 1
