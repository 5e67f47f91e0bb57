"""``cimo changelog``: regenerate CHANGELOG.md from the published releases."""

from __future__ import annotations

import argparse
import sys


def _run(args: argparse.Namespace) -> int:
    from cimo.changelog import generate
    from cimo.paths import find_root

    paths = find_root(args.root)
    target = paths.root / "CHANGELOG.md"
    text = generate(paths.releases)
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            print(f"{target}: out of date with releases/; run `cimo changelog`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "changelog", help="write CHANGELOG.md from `cimo diff` of the releases"
    )
    parser.add_argument(
        "--check", action="store_true", help="only check that CHANGELOG.md is up to date"
    )
    parser.set_defaults(func=_run)
