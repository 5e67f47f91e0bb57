"""``cimo diff OLD NEW``: release-to-release changes as markdown."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cimo.errors import UsageError


def _run(args: argparse.Namespace) -> int:
    from cimo.diff import diff_files

    for path in (args.old, args.new):
        if not path.is_file():
            raise UsageError(f"{path} does not exist")
    text = diff_files(args.old, args.new)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("diff", help="terms and axioms changed between two releases")
    parser.add_argument("old", type=Path, help="earlier release file (.owl, .ttl, .nt, .jsonld)")
    parser.add_argument("new", type=Path, help="later release file")
    parser.add_argument("-o", "--output", type=Path, default=None, help="write markdown here")
    parser.set_defaults(func=_run)
