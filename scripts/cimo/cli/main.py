"""Entry point of the ``cimo`` command.

Errors a curator can fix (``BuildError``, bad arguments) are printed as plain
messages with a non-zero exit; a traceback would only hide the fix.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from cimo.errors import BuildError
from cimo.linking.errors import InputError
from cimo.paths import find_root
from cimo.terminal import printable

#: Subcommands kept in their own modules under ``cimo.cli``; each module defines
#: ``register(subparsers)``, which adds its parser and sets ``func``.
PLUGIN_SUBCOMMANDS = ("cimo.cli.diff", "cimo.cli.changelog", "cimo.cli.serve", "cimo.cli.map",
                      "cimo.cli.validate", "cimo.cli.agents")


def _cmd_build(args: argparse.Namespace) -> int:
    from cimo.pipeline.pipeline import build, timings_path

    paths = find_root(args.root)
    release = build(paths, args.out, skip_evidence_check=args.skip_evidence_check)
    out = args.out or paths.build
    warnings = sum(r.level != "ERROR" for r in release.qc)
    total = sum(release.timings.values())
    print(f"built CIMO {release.version}: {len(release.graph)} triples, "
          f"{len(release.edges)} edges, {len(release.files)} files in {out} "
          f"({total:.1f} s; QC: 0 errors, {warnings} warnings/info)")
    stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in release.timings.items())
    print(f"stage timings (s): {stages}; also in {timings_path(out)}")
    if args.skip_evidence_check:
        print("warning: evidence quotes were NOT checked against the source documents "
              "(--skip-evidence-check); manifest.json records \"evidenceCheck\": \"skipped\"",
              file=sys.stderr)
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
    curie = mint(paths, args.module, args.label, args.definition, args.parent, args.source,
                 args.kind)
    print(curie)
    return 0


def _cmd_query(args: argparse.Namespace) -> int:
    from cimo import bundled
    from cimo.queries import ENGINES

    build = args.build
    if build is None:
        try:
            build = find_root(args.root).build
        except FileNotFoundError:
            build = bundled.release_folder()  # outside a checkout: the packaged release
            if build is None:
                raise
    if not (build / "cimo.ttl").is_file():
        raise FileNotFoundError(f"{build}/cimo.ttl not found: run `cimo build` first")
    engine = ENGINES[args.engine](build)
    for path in args.queries:
        result = engine.run(Path(path).read_text(encoding="utf-8"))
        sys.stdout.write(result.to_tsv())
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


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="cimo", description="Build, check and publish CIMO.")
    top.add_argument("--root", type=Path, default=None,
                     help="the checkout to work on (default: found from the current folder)")
    sub = top.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="check the source and write the release to build/")
    build.add_argument("--out", type=Path, default=None, help="write here instead of build/")
    build.add_argument("--skip-evidence-check", action="store_true",
                       help="build without the source documents ($CIMO_SEEDS or ../shared/seeds): "
                            "quotes are not checked, and manifest.json records that")
    build.set_defaults(func=_cmd_build)

    fmt = sub.add_parser("fmt", help="rewrite ontology/*.ttl in canonical form")
    fmt.add_argument("--check", action="store_true", help="only report unformatted modules")
    fmt.set_defaults(func=_cmd_fmt)

    new = sub.add_parser("new-term", help="mint the next free CIMO ID and add the term")
    new.add_argument("--module", required=True, help="module name, e.g. drug (ontology/drug.ttl)")
    new.add_argument("--label", required=True)
    new.add_argument("--definition", required=True, help="genus-differentia definition")
    new.add_argument("--parent", help="superclass, e.g. CIMO:0000123 or NCIT:C1234")
    new.add_argument("--source", required=True,
                     help="definition source: a source document's CIMO ID, a URL or a CURIE")
    new.add_argument("--kind", choices=("class", "object-property", "annotation-property"),
                     default="class")
    new.set_defaults(func=_cmd_new_term)
    query = sub.add_parser("query", help="run SPARQL files on the release; prints TSV")
    query.add_argument("queries", nargs="+", help="SPARQL files, e.g. queries/01-*.rq")
    query.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph")
    query.add_argument("--build", type=Path, default=None,
                       help="release folder (default: build/ of the checkout, else the "
                            "release bundled in the package)")
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
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BuildError as err:
        print(err.render(), file=sys.stderr)
        return 1
    except InputError as err:
        print(f"cimo: error: {err.problem}", file=sys.stderr)
        return 2
    except (ValueError, FileNotFoundError) as err:
        print(f"cimo: error: {printable(err)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
