"""Run SPARQL on the release, with pyoxigraph or rdflib.

Both engines load the same files (``cimo.ttl`` and ``cimo-edges.ttl``) into
one default graph, and results are normalized so the two engines can be
compared: SELECT rows as plain strings (an IRI as itself, a literal as its
lexical form), ASK as ``true``/``false``, CONSTRUCT and DESCRIBE as sorted
N-Triples. A query that does not parse raises :class:`QuerySyntaxError`, which
the CLI reports with exit status 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph
from pyparsing import ParseException
from rdflib import Graph
from rdflib.term import Node

from cimo.errors import UsageError

RELEASE_FILES = ("cimo.ttl", "cimo-edges.ttl")


@dataclass(frozen=True)
class Result:
    variables: list[str]
    rows: list[tuple[str, ...]]

    def summary(self) -> str:
        return f"{len(self.rows)} rows"

    def to_tsv(self) -> str:
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        lines += ["\t".join(_escape(cell) for cell in row) for row in self.rows]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Verdict:
    """The answer to an ASK query."""

    value: bool

    def summary(self) -> str:
        return f"answer {str(self.value).lower()}"

    def to_tsv(self) -> str:
        return "true\n" if self.value else "false\n"


@dataclass(frozen=True)
class Triples:
    """The graph a CONSTRUCT or DESCRIBE query returns, as sorted N-Triples lines."""

    lines: list[str]

    def summary(self) -> str:
        return f"{len(self.lines)} triples"

    def to_tsv(self) -> str:
        return "".join(line + "\n" for line in self.lines)


#: What a query form returns: SELECT rows, an ASK verdict, or CONSTRUCT/DESCRIBE triples.
Answer = Result | Verdict | Triples


class QuerySyntaxError(UsageError):
    """The query text is not SPARQL 1.1; says where the parser stopped."""


class Engine(Protocol):
    def run(self, query: str) -> Result: ...

    def answer(self, query: str) -> Answer: ...


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
        answer = self.answer(query)
        if not isinstance(answer, Result):
            raise UsageError("expected a SELECT query")
        return answer

    def answer(self, query: str) -> Answer:
        try:
            outcome = self.store.query(query)
        except SyntaxError as err:
            raise QuerySyntaxError(f"the query does not parse: {err}") from err
        if isinstance(outcome, pyoxigraph.QueryBoolean):
            return Verdict(bool(outcome))
        if isinstance(outcome, pyoxigraph.QueryTriples):
            text = pyoxigraph.serialize(list(outcome), format=pyoxigraph.RdfFormat.N_TRIPLES)
            return Triples(sorted((text or b"").decode().splitlines()))
        variables = [v.value for v in outcome.variables]
        rows = [tuple(_oxi_cell(solution[v]) for v in variables) for solution in outcome]
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
        answer = self.answer(query)
        if not isinstance(answer, Result):
            raise UsageError("expected a SELECT query")
        return answer

    def answer(self, query: str) -> Answer:
        try:
            result = self.graph.query(query)
        except ParseException as err:
            raise QuerySyntaxError(f"the query does not parse: {err}") from err
        if result.type == "ASK":
            return Verdict(bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = result.graph if result.graph is not None else Graph()
            lines = graph.serialize(format="nt").splitlines()
            return Triples(sorted(line for line in lines if line))
        variables = [str(v) for v in result.vars or []]
        rows = [
            tuple(_rdflib_cell(row[i]) for i in range(len(variables)))  # type: ignore[index]
            for row in result
        ]
        return Result(variables, rows)


def _rdflib_cell(term: Node | None) -> str:
    return "" if term is None else str(term)


ENGINES: dict[str, type[OxigraphEngine] | type[RdflibEngine]] = {
    "oxigraph": OxigraphEngine,
    "rdflib": RdflibEngine,
}
