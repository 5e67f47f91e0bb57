"""``cimo validate DATA... [--endpoint URL] [--report FILE]``: check a dataset against CIMO.

Exit status: 0 when the data conforms, 1 on violations, 2 when an input (a
data file, the ontology, the shapes or the endpoint) cannot be read; the
message then names the file and line and says what to do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cimo.linking.input_guard import DEFAULT_LIMITS, HARD_MAX_DEPTH, Limits
from cimo.linking.validate.http_client import DEFAULT_HTTP_LIMITS, HttpLimits
from cimo.terminal import printable


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def _depth(text: str) -> int:
    value = _positive(text)
    if value > HARD_MAX_DEPTH:
        raise argparse.ArgumentTypeError(
            f"at most {HARD_MAX_DEPTH}: deeper nesting can crash the JSON-LD parser"
        )
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 86_400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a dataset that uses CIMO terms against CIMO",
        description="Report CIMO IRIs that do not exist (with a suggestion), deprecated terms "
        "(with their replacement), and misuse caught by the data shapes "
        "(shapes/data/*.ttl). Input: RDF files of any format by extension (.ttl .nt "
        ".nq .rdf .owl .jsonld .trig, optionally .gz), or --endpoint.",
    )
    parser.add_argument("data", nargs="*", type=Path, help="RDF files, validated as one graph")
    parser.add_argument("--endpoint", help="SPARQL 1.1 endpoint URL holding the data instead")
    parser.add_argument("--graph", help="with --endpoint: only this named graph")
    parser.add_argument(
        "--page-size",
        type=_positive,
        default=10_000,
        help="with --endpoint: rows per request (default 10000)",
    )
    limits = parser.add_argument_group(
        "limits on untrusted input (exceeding one exits 2; see docs/security.md)"
    )
    limits.add_argument(
        "--max-decompressed",
        type=_positive,
        default=DEFAULT_LIMITS.max_decompressed,
        metavar="BYTES",
        help=f"bytes a .gz file may decompress to (default {DEFAULT_LIMITS.max_decompressed})",
    )
    limits.add_argument(
        "--max-literal",
        type=_positive,
        default=DEFAULT_LIMITS.max_literal,
        metavar="CHARS",
        help=f"characters in one literal (default {DEFAULT_LIMITS.max_literal})",
    )
    limits.add_argument(
        "--max-depth",
        type=_depth,
        default=DEFAULT_LIMITS.max_depth,
        help="nesting of JSON and of XML elements (default "
        f"{DEFAULT_LIMITS.max_depth}, at most {HARD_MAX_DEPTH})",
    )
    limits.add_argument(
        "--max-context-depth",
        type=_depth,
        default=DEFAULT_LIMITS.max_context_depth,
        help="nesting of JSON-LD @context definitions "
        f"(default {DEFAULT_LIMITS.max_context_depth})",
    )
    limits.add_argument(
        "--connect-timeout",
        type=_seconds,
        default=DEFAULT_HTTP_LIMITS.connect_timeout,
        metavar="SECONDS",
        help="with --endpoint: seconds to connect "
        f"(default {DEFAULT_HTTP_LIMITS.connect_timeout:g})",
    )
    limits.add_argument(
        "--read-timeout",
        type=_seconds,
        default=DEFAULT_HTTP_LIMITS.read_timeout,
        metavar="SECONDS",
        help="with --endpoint: seconds for one whole answer "
        f"(default {DEFAULT_HTTP_LIMITS.read_timeout:g})",
    )
    limits.add_argument(
        "--max-response",
        type=_positive,
        default=DEFAULT_HTTP_LIMITS.max_response,
        metavar="BYTES",
        help=f"with --endpoint: bytes of one answer (default {DEFAULT_HTTP_LIMITS.max_response})",
    )
    parser.add_argument("--report", type=Path, help="write a SHACL validation report (Turtle)")
    parser.add_argument(
        "--ontology",
        type=Path,
        action="append",
        help="CIMO release file to check against (repeatable; default: the "
        "checkout's ontology/*.ttl)",
    )
    parser.add_argument(
        "--shapes",
        type=Path,
        action="append",
        help="data shapes (repeatable; default: the checkout's shapes/data/*.ttl)",
    )
    parser.add_argument(
        "--engine",
        choices=("cimo", "pyshacl"),
        default="cimo",
        help="cimo: streaming + embedded SPARQL (fast); pyshacl: the same shapes "
        "in plain pyshacl, as a slow second opinion (files only)",
    )
    parser.add_argument(
        "--max-results",
        type=int,
        default=50,
        help="print at most this many results per check (0: all; the report always has all)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print only the summary")
    parser.add_argument("--verbose", "-v", action="store_true", help="also print timings")
    parser.set_defaults(func=run)


def _sources(args: argparse.Namespace) -> str:
    if args.endpoint:
        return str(args.endpoint) + (f" (graph {args.graph})" if args.graph else "")
    return ", ".join(str(p) for p in args.data)


def run(args: argparse.Namespace) -> int:
    from cimo.linking import locate
    from cimo.linking.catalog import load_catalog
    from cimo.linking.errors import InputError, quiet_broken_pipe
    from cimo.linking.validate import report
    from cimo.linking.validate.runner import validate_endpoint, validate_files
    from cimo.linking.validate.shapes import load_shapes
    from cimo.linking.validate.sparql import Endpoint

    if bool(args.data) == bool(args.endpoint):
        print("cimo validate: give data files or --endpoint URL (one of the two)", file=sys.stderr)
        return 2
    if args.graph and not args.endpoint:
        print("cimo validate: --graph needs --endpoint", file=sys.stderr)
        return 2
    if args.engine == "pyshacl" and args.endpoint:
        print("cimo validate: --engine pyshacl reads files, not endpoints", file=sys.stderr)
        return 2
    limits = Limits(args.max_decompressed, args.max_literal, args.max_depth, args.max_context_depth)
    try:
        catalog = load_catalog(locate.ontology_files(args.root, args.ontology))
        shape_files = locate.data_shapes(args.root, args.shapes)
        shapes = load_shapes(shape_files)
        if args.engine == "pyshacl":
            from cimo.linking.validate.reference import validate_with_pyshacl

            outcome = validate_with_pyshacl(list(args.data), catalog, shape_files, limits)
        elif args.endpoint:
            endpoint = Endpoint(
                args.endpoint,
                args.graph,
                args.page_size,
                HttpLimits(args.connect_timeout, args.read_timeout, args.max_response),
            )
            outcome = validate_endpoint(endpoint, catalog, shapes)
        else:
            outcome = validate_files(list(args.data), catalog, shapes, limits)
        if args.report:
            report.write_report(outcome.findings, args.report)
    except InputError as err:
        print(f"cimo validate: cannot read input\n  {err.problem}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"cimo validate: {printable(err)}", file=sys.stderr)
        return 2
    except (MemoryError, RecursionError) as err:
        print(
            f"cimo validate: the input needs more memory or nesting than is available "
            f"({type(err).__name__}); lower the limits or split the input",
            file=sys.stderr,
        )
        return 2
    size = f"{outcome.triples} triples, " if not args.endpoint else ""
    try:
        if not args.quiet:
            for line in report.text(outcome.findings, args.max_results):
                print(line)
        print(
            f"{printable(_sources(args))}: {size}{report.summary(outcome.findings)}"
            + (f"; report: {args.report}" if args.report else "")
        )
        sys.stdout.flush()
    except BrokenPipeError:
        return quiet_broken_pipe()
    if args.verbose:
        for phase, seconds in outcome.timings.items():
            print(f"  {phase}: {seconds:.2f} s", file=sys.stderr)
        if outcome.kept:
            print(f"  store: {outcome.kept} triples of {outcome.triples}", file=sys.stderr)
    return 0 if outcome.conforms else 1
