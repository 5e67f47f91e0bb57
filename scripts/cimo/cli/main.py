"""Entry point of the ``cimo`` command.

Errors a curator can fix (every :class:`cimo.errors.CimoError`: findings in the
source, bad arguments, unreadable input) are printed as plain messages and end
with the error's exit code (1 findings, 2 usage or unreadable input); a
traceback would only hide the fix. Anything else is a bug and keeps its
traceback. ``--debug`` shows the traceback of a ``CimoError`` too.

Every command takes ``-v``/``-q`` (more or less logging on stderr, through the
``cimo`` logger) and ``--debug``, before or after its name.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import multiprocessing
import os
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import NoReturn

from cimo import __version__
from cimo.errors import CimoError, UsageError
from cimo.paths import find_root

#: Subcommands kept in their own modules under ``cimo.cli``; each module defines
#: ``register(subparsers)``, which adds its parser and sets ``func``.
PLUGIN_SUBCOMMANDS = (
    "cimo.cli.diff",
    "cimo.cli.changelog",
    "cimo.cli.serve",
    "cimo.cli.map",
    "cimo.cli.validate",
    "cimo.cli.agents",
)

LOG = logging.getLogger("cimo")

#: One worked example per command, shown at the end of its ``--help``.
EXAMPLES = {
    "build": "cimo build                       # check the source, write build/",
    "fmt": "cimo fmt --check                 # list modules not in canonical form",
    "new-term": (
        'cimo new-term --module drug --label "bispecific antibody" \\\n'
        '    --definition "An antibody that binds two different antigens." \\\n'
        "    --parent CIMO:0000107 --source CIMO:0000013"
    ),
    "query": "cimo query queries/01-*.rq --engine rdflib",
    "release": "cimo release                     # snapshot build/ as releases/<version>/",
    "diff": "cimo diff releases/2026-11-22/cimo.ttl build/cimo.ttl -o changes.md",
    "serve": "cimo serve --port 8000           # then open http://127.0.0.1:8000/cimo/",
    "map": "cimo map DRUGBANK:DB00073 NCIT:C1702 --format json",
    "validate": "cimo validate mydata.ttl --report report.ttl",
    "agents": "cimo agents                      # write ontology/agents.ttl from the tables",
    "changelog": "cimo changelog                   # write CHANGELOG.md from the releases",
}


def _cmd_build(args: argparse.Namespace) -> int:
    from cimo.pipeline.pipeline import build, timings_path

    paths = find_root(args.root)
    release = build(paths, args.out, skip_evidence_check=args.skip_evidence_check)
    out = args.out or paths.build
    warnings = sum(r.level != "ERROR" for r in release.qc)
    total = sum(release.timings.values())
    print(
        f"built CIMO {release.version}: {len(release.graph)} triples, "
        f"{len(release.edges)} edges, {len(release.files)} files in {out} "
        f"({total:.1f} s; QC: 0 errors, {warnings} warnings/info)"
    )
    stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in release.timings.items())
    print(f"stage timings (s): {stages}; also in {timings_path(out)}")
    if args.skip_evidence_check:
        print(
            "warning: evidence quotes were NOT checked against the source documents "
            '(--skip-evidence-check); manifest.json records "evidenceCheck": "skipped"',
            file=sys.stderr,
        )
    return 0


def _cmd_fmt(args: argparse.Namespace) -> int:
    from cimo.fmt import format_files, unformatted

    paths = find_root(args.root)
    modules = paths.modules()
    if args.check:
        bad = unformatted(modules)
        for path in bad:
            print(f"{path}: not in canonical form; run `cimo fmt`", file=sys.stderr)
        return 1 if bad else 0
    for path in format_files(modules, paths.ontology):
        print(f"reformatted {path}")
    return 0


def _cmd_new_term(args: argparse.Namespace) -> int:
    from cimo.newterm import mint

    paths = find_root(args.root)
    curie = mint(
        paths, args.module, args.label, args.definition, args.parent, args.source, args.kind
    )
    print(curie)
    return 0


def _cmd_query(args: argparse.Namespace) -> int:
    from cimo import bundled
    from cimo.queries import ENGINES, QuerySyntaxError

    build = args.build
    if build is None:
        try:
            build = find_root(args.root).build
        except FileNotFoundError:
            build = bundled.release_folder()  # outside a checkout: the packaged release
            if build is None:
                raise UsageError(
                    "not inside a CIMO checkout and no release is bundled: "
                    "pass --build with a folder holding cimo.ttl"
                ) from None
    if not (build / "cimo.ttl").is_file():
        raise UsageError(f"{build}/cimo.ttl not found: run `cimo build` first")
    texts = {}
    for name in args.queries:
        try:
            texts[name] = Path(name).read_text(encoding="utf-8")
        except OSError as err:
            raise UsageError(f"cannot read the query file {name}: {err.strerror}") from err
    start = time.perf_counter()
    engine = ENGINES[args.engine](build)
    LOG.info("loaded %s into %s in %.2f s", build, args.engine, time.perf_counter() - start)
    for name, text in texts.items():
        start = time.perf_counter()
        try:
            answer = engine.answer(text)
        except QuerySyntaxError as err:
            raise QuerySyntaxError(f"{name}: {err}; fix the query") from err
        LOG.info("%s: %s in %.2f s", name, answer.summary(), time.perf_counter() - start)
        sys.stdout.write(answer.to_tsv())
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    from rdflib import Graph

    from cimo.pipeline.header import version_of
    from cimo.pipeline.releases import publish

    paths = find_root(args.root)
    graph = Graph().parse(paths.build / "cimo.ttl", format="turtle")
    target = publish(paths.releases, paths.build, version_of(graph))
    print(f"published {target}")
    return 0


def _add_common_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """-v/-q/--debug; on a subcommand they default to "not given" so the top level's value holds."""
    taken = {option for action in parser._actions for option in action.option_strings}
    default = 0 if top else argparse.SUPPRESS
    if not top:  # a command's own -v/-q (cimo validate) must not reset `cimo -v validate`
        for action in parser._actions:
            if action.dest in ("verbose", "quiet"):
                action.default = argparse.SUPPRESS
    if not {"-v", "--verbose"} & taken:
        parser.add_argument(
            "-v",
            "--verbose",
            action="count",
            default=default,
            help="more detail on stderr (-vv for debug logging)",
        )
    if not {"-q", "--quiet"} & taken:
        parser.add_argument(
            "-q",
            "--quiet",
            action="count",
            default=default,
            help="only errors on stderr; no progress bars",
        )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="show the traceback of an error",
    )


def _add_example(parser: argparse.ArgumentParser, command: str) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    example = f"example:\n  {EXAMPLES[command]}"
    parser.epilog = f"{parser.epilog}\n\n{example}" if parser.epilog else example


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="cimo",
        description="Build, check and publish CIMO.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  cimo build && cimo query queries/01-*.rq\n\n"
        "Run `cimo COMMAND --help` for a command's options and an example.",
    )
    top.add_argument("--version", action="version", version=f"cimo {__version__}")
    top.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the checkout to work on (default: found from the current folder)",
    )
    _add_common_options(top, top=True)
    sub = top.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="check the source and write the release to build/")
    build.add_argument("--out", type=Path, default=None, help="write here instead of build/")
    build.add_argument(
        "--skip-evidence-check",
        action="store_true",
        help="build without the source documents ($CIMO_SEEDS or ../shared/seeds): "
        "quotes are not checked, and manifest.json records that",
    )
    build.set_defaults(func=_cmd_build)

    fmt = sub.add_parser("fmt", help="rewrite ontology/*.ttl in canonical form")
    fmt.add_argument("--check", action="store_true", help="only report unformatted modules")
    fmt.set_defaults(func=_cmd_fmt)

    new = sub.add_parser("new-term", help="mint the next free CIMO ID and add the term")
    new.add_argument("--module", required=True, help="module name, e.g. drug (ontology/drug.ttl)")
    new.add_argument("--label", required=True)
    new.add_argument("--definition", required=True, help="genus-differentia definition")
    new.add_argument("--parent", help="superclass, e.g. CIMO:0000123 or NCIT:C1234")
    new.add_argument(
        "--source",
        required=True,
        help="definition source: a source document's CIMO ID, a URL or a CURIE",
    )
    new.add_argument(
        "--kind", choices=("class", "object-property", "annotation-property"), default="class"
    )
    new.set_defaults(func=_cmd_new_term)
    query = sub.add_parser(
        "query",
        help="run SPARQL files on the release",
        description="Run SPARQL 1.1 query files on build/cimo.ttl and build/cimo-edges.ttl. "
        "SELECT prints TSV, ASK prints true or false, CONSTRUCT and DESCRIBE "
        "print sorted N-Triples.",
    )
    query.add_argument("queries", nargs="+", help="SPARQL files, e.g. queries/01-*.rq")
    query.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph")
    query.add_argument(
        "--build",
        type=Path,
        default=None,
        help="release folder (default: build/ of the checkout, else the "
        "release bundled in the package)",
    )
    query.set_defaults(func=_cmd_query)
    release = sub.add_parser("release", help="snapshot build/cimo.ttl as releases/<version>/")
    release.set_defaults(func=_cmd_release)

    for module_name in PLUGIN_SUBCOMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                raise
            continue
        module.register(sub)
    for command, subparser in sub.choices.items():
        _add_common_options(subparser, top=False)
        if command in EXAMPLES:
            _add_example(subparser, command)
    return top


def configure_logging(verbosity: int) -> None:
    """WARNING by default; -v INFO, -vv DEBUG, -q ERROR. Messages go to stderr."""
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(
        max(-1, min(verbosity, 2)), logging.DEBUG
    )
    logger = logging.getLogger("cimo")
    logger.setLevel(level)
    if not any(getattr(h, "cimo_cli", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.cimo_cli = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    configure_logging(int(args.verbose) - int(args.quiet))
    try:
        return int(args.func(args))
    except CimoError as err:
        if args.debug:
            traceback.print_exc()
        print(err.render(), file=sys.stderr)
        return err.exit_code


def nothing_left_running() -> bool:
    """No thread that Python would wait for at exit (daemon threads, such as the progress
    bar's monitor, it would not) and no child process."""
    main_thread = threading.main_thread()
    waited_for = [t for t in threading.enumerate() if t is not main_thread and not t.daemon]
    return not waited_for and not multiprocessing.active_children()


def run() -> NoReturn:
    """The ``cimo`` command: :func:`main`, then, after a success, the process ends at once.

    A build leaves the release on the heap, millions of Python objects, and the
    interpreter would free them one by one on the way out (0.7 s after a build 10
    times CIMO's size, longer than QC). Once a command has succeeded with nothing
    left running (:func:`nothing_left_running`), nothing needs that teardown:
    every file is written and closed, and temporary folders are removed by their
    ``with`` blocks. A failure exits normally, so the exit handlers stop what is
    still running (a forked child, the OWL API's JVM and its thread).
    """
    code = main()
    if code != 0 or not nothing_left_running():
        sys.exit(code)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (``cimo query ... | head``)
        sys.exit(1)
    sys.stderr.flush()
    logging.shutdown()
    os._exit(0)


if __name__ == "__main__":
    run()
