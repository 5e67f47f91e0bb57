"""``cimo serve``: publish the built release locally, as https://w3id.org/cimo/ would.

Kept out of ``cimo.cli.main`` (which imports it when present) so the server's
options live beside the command that uses them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from cimo.paths import find_root
from cimo.serve.screen import DEFAULT_MAX_DEPTH


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0: {text}")
        return value

    return parse


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text}")
    return value


def _cmd_serve(args: argparse.Namespace) -> int:
    from cimo.serve.engine import Limits
    from cimo.serve.run import Settings, serve_until_stopped

    build = args.build or find_root(args.root).build
    limits = Limits(
        timeout=args.timeout,
        max_bytes=args.max_result_bytes,
        max_memory=args.max_memory_mib << 20,
        quick_workers=args.quick_workers,
        quick_timeout=args.quick_timeout,
    )
    settings = Settings(
        build=build,
        host=args.host,
        port=args.port,
        releases=tuple(args.release),
        workers=args.workers,
        limits=limits,
        max_depth=args.max_query_depth,
        header_timeout=args.header_timeout,
        access_log=args.access_log,
        json_log=args.log_format == "json",
    )
    return serve_until_stopped(settings)  # WorkerFailed is a CimoError: a plain message


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="publish build/ locally: term IRIs, the site, SPARQL, VoID",
        description="Serve the release in build/ as https://w3id.org/cimo/ would: "
        "/cimo/CIMO_nnnnnnn by content negotiation, /cimo/releases/<version>/, "
        "/sparql (SPARQL 1.1 Protocol) and /.well-known/void.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port",
        type=int,
        default=8000,
        help="port (default 8000; 0 picks a free one and prints it)",
    )
    serve.add_argument(
        "--build",
        type=Path,
        default=None,
        help="the release folder made by `cimo build` (default build/)",
    )
    serve.add_argument(
        "--release",
        type=Path,
        action="append",
        default=[],
        help="an earlier release folder to serve under /cimo/releases/<version>/ (repeatable)",
    )
    serve.add_argument(
        "--workers", type=_positive(int), default=2, help="SPARQL worker processes (default 2)"
    )
    serve.add_argument(
        "--timeout",
        type=_positive(float),
        default=10.0,
        help="time limit per SPARQL query in seconds (default 10)",
    )
    serve.add_argument(
        "--max-result-bytes",
        type=_positive(int),
        default=10 << 20,
        help="cap on the size of a SPARQL answer (default 10 MiB)",
    )
    serve.add_argument(
        "--max-memory-mib",
        type=_non_negative,
        default=1024,
        help="memory (address space) limit of each SPARQL worker in MiB; a query "
        "that reaches it gets a 503 and the worker is replaced "
        "(default 1024; 0 for none)",
    )
    serve.add_argument(
        "--quick-workers",
        type=_non_negative,
        default=1,
        help="workers kept for short queries while the others are busy "
        "(default 1; 0 turns the quick lane off)",
    )
    serve.add_argument(
        "--quick-timeout",
        type=_positive(float),
        default=1.0,
        help="time limit in seconds for a query in the quick lane (default 1)",
    )
    serve.add_argument(
        "--max-query-depth",
        type=_positive(int),
        default=DEFAULT_MAX_DEPTH,
        help="deepest nesting of groups and brackets in a query; deeper is "
        f"refused with 400 (default {DEFAULT_MAX_DEPTH})",
    )
    serve.add_argument(
        "--header-timeout",
        type=_positive(float),
        default=10.0,
        help="seconds a client has to send a whole request, once it has begun (default 10)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request to stderr")
    serve.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="events (always) and the access log on stderr as text or as JSON lines (default text)",
    )
    serve.set_defaults(func=_cmd_serve)
