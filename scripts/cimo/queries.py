"""Run the SPARQL examples on the release, with pyoxigraph or rdflib.

Both engines load the same files (``cimo.ttl`` and ``cimo-edges.ttl``) into
one default graph, and results are normalized to plain strings (an IRI as
itself, a literal as its lexical form) so the two engines can be compared
cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import Graph
from rdflib.term import Node

RELEASE_FILES = ("cimo.ttl", "cimo-edges.ttl")


@dataclass(frozen=True)
class Result:
    variables: list[str]
    rows: list[tuple[str, ...]]

    def to_tsv(self) -> str:
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        lines += ["\t".join(_escape(cell) for cell in row) for row in self.rows]
        return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def read_tsv(path: Path) -> Result:
    lines = path.read_text(encoding="utf-8").splitlines()
    variables = [v.removeprefix("?") for v in lines[0].split("\t")]
    rows = [tuple(_unescape(c) for c in line.split("\t")) for line in lines[1:]]
    return Result(variables, rows)


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"t": "\t", "n": "\n", "\\": "\\"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def question(query: str) -> str:
    for line in query.splitlines():
        if line.startswith("# Question:"):
            return line.removeprefix("# Question:").strip()
    return ""


class OxigraphEngine:
    def __init__(self, build: Path) -> None:
        self.store = pyoxigraph.Store()
        for name in RELEASE_FILES:
            self.store.bulk_load(path=str(build / name), format=pyoxigraph.RdfFormat.TURTLE)

    def run(self, query: str) -> Result:
        solutions = self.store.query(query)
        variables = [v.value for v in solutions.variables]
        rows = [tuple(_oxi_cell(solution[v]) for v in variables) for solution in solutions]
        return Result(variables, rows)


def _oxi_cell(term: object) -> str:
    if term is None:
        return ""
    return str(term.value)  # type: ignore[attr-defined]


class RdflibEngine:
    def __init__(self, build: Path) -> None:
        self.graph = Graph()
        for name in RELEASE_FILES:
            self.graph.parse(build / name, format="turtle")

    def run(self, query: str) -> Result:
        result = self.graph.query(query)
        variables = [str(v) for v in result.vars or []]
        rows = [tuple(_rdflib_cell(row[i]) for i in range(len(variables))) for row in result]
        return Result(variables, rows)


def _rdflib_cell(term: Node | None) -> str:
    return "" if term is None else str(term)


ENGINES = {"oxigraph": OxigraphEngine, "rdflib": RdflibEngine}
