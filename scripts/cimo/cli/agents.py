"""``cimo agents``: regenerate ``ontology/agents.ttl`` from ``ontology/agents/*.tsv``."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "agents",
        help="write ontology/agents.ttl from the agent tables",
        description="Check every row of ontology/agents/*.tsv and write the agent module "
        "ontology/agents.ttl from them (--check: only report whether it is "
        "up to date).",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when ontology/agents.ttl differs from the tables",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from cimo.agents import module
    from cimo.errors import BuildError
    from cimo.paths import find_root
    from cimo.pipeline.load import parse_module

    paths = find_root(args.root)
    try:
        modules = {p: parse_module(p)[0] for p in paths.modules()}
        if args.check:
            module.check_fresh(paths, modules)
            print(f"{module.module_path(paths)} is up to date")
            return 0
        target = module.write(paths, modules)
    except BuildError as err:
        print(err.render(), file=sys.stderr)
        return 1
    print(f"wrote {target}")
    return 0
