"""``cimo fmt``: rewrite the edited modules in the one canonical Turtle form.

One form means a diff shows what changed in meaning, never what an editor or
a serializer happened to reorder. A module is only replaced once its new text
has been parsed back and found to hold the same graph (isomorphic) as the
old one, so a writer fault can never silently change the ontology.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

from cimo import turtle
from cimo.errors import BuildError, Problem, UsageError
from cimo.pipeline.load import parse_module

_PREFIX_RE = re.compile(r"^@prefix\s+([A-Za-z][\w.-]*|):\s*<([^>]*)>\s*\.", re.MULTILINE)


def declared_prefixes(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in _PREFIX_RE.finditer(text)}


def canonical_text(path: Path) -> str:
    graph, text = parse_module(path)
    return turtle.serialize(graph, declared_prefixes(text))


def same_graph_or_raise(path: Path, before: Graph, text: str) -> None:
    """Refuse a rewrite whose text does not read back as the graph it was written from."""
    after = Graph().parse(data=text, format="turtle")
    if not isomorphic(before, after):
        raise BuildError(
            "fmt",
            [
                Problem(
                    "the canonical text does not read back as the same graph "
                    f"({len(before)} statements before, {len(after)} after); "
                    "the module was left as it is",
                    "report this as a bug in the Turtle writer",
                    file=path,
                )
            ],
        )


def unformatted(paths: list[Path]) -> list[Path]:
    """The modules whose text differs from their canonical form."""
    return [p for p in paths if p.read_text(encoding="utf-8") != canonical_text(p)]


def outside(paths: list[Path], folder: Path) -> list[Path]:
    """The modules that are links to files outside ``folder``.

    ``cimo fmt`` writes through a link to its target, so a module linked to a file
    elsewhere (another checkout, a home directory, /etc) would have that file rewritten.
    """
    home = folder.resolve()
    return [p for p in paths if not p.resolve().is_relative_to(home)]


def write_checked(path: Path, graph: Graph, text: str) -> None:
    """Replace ``path`` with ``text`` once ``text`` is shown to hold ``graph``."""
    same_graph_or_raise(path, graph, text)
    path.write_text(text, encoding="utf-8")


def format_files(paths: list[Path], folder: Path | None = None) -> list[Path]:
    """Rewrite ``paths`` in canonical form; refuses if any links out of ``folder``."""
    escaping = outside(paths, folder) if folder is not None else []
    if escaping:
        listed = ", ".join(f"{p} -> {p.resolve()}" for p in escaping)
        raise UsageError(
            f"refusing to rewrite modules that link outside {folder}: {listed}; "
            "replace each link with a copy of the file, or format the target "
            "where it lives"
        )
    changed: list[Path] = []
    for path in paths:
        graph, old = parse_module(path)
        new = turtle.serialize(graph, declared_prefixes(old))
        if new != old:
            write_checked(path, graph, new)
            changed.append(path)
    return changed
