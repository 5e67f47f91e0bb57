"""Where the shape queries run: the embedded store or a user's SPARQL endpoint.

Both answer a SELECT with rows of pyoxigraph terms, so the shape checks are
written once. The endpoint pages through large answers (``ORDER BY`` with
``LIMIT``/``OFFSET``) because public endpoints cap result sizes (Virtuoso's
``ResultSetMaxRows``), and can restrict every query to one named graph.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from cimo.linking.catalog import RDF_TYPE, Catalog
from cimo.linking.errors import InputError

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]


class QueryRunner(Protocol):
    #: whether the data also holds the rdf:type triples of CIMO's term graph
    holds_catalog_types: bool

    def select(self, query: str, order_by: str | None = None) -> list[Row]:
        """All solutions of ``query``; ``order_by`` names a variable that makes paging stable."""
        ...


class LocalStore:
    """A pyoxigraph store holding the triples the shapes can see.

    Given a ``directory`` the store lives on disk (RocksDB), so memory stays bounded
    whatever the size of the input: 10 million triples kept in memory took 2.7 GB.
    """

    holds_catalog_types = True

    def __init__(self, catalog: Catalog, directory: Path | None = None) -> None:
        self.store = ox.Store(str(directory)) if directory is not None else ox.Store()
        rdf_type = ox.NamedNode(RDF_TYPE)
        self.store.bulk_extend([ox.Quad(ox.NamedNode(iri), rdf_type, ox.NamedNode(kind))
                                for iri, kinds in catalog.types.items() for kind in kinds])

    def add(self, quads: list[ox.Quad]) -> None:
        self.store.bulk_extend(quads)

    def __len__(self) -> int:
        return len(self.store)

    def select(self, query: str, order_by: str | None = None) -> list[Row]:
        solutions = self.store.query(query)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        rows = []
        for solution in solutions:  # type: ignore[union-attr]
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = value
            rows.append(row)
        return rows


def _term(cell: dict[str, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        # Virtuoso labels blank nodes "nodeID://b10006", which is not a valid label
        return ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", value))
    if "xml:lang" in cell:
        return ox.Literal(value, language=cell["xml:lang"])
    if "datatype" in cell:
        return ox.Literal(value, datatype=ox.NamedNode(cell["datatype"]))
    return ox.Literal(value)


class Endpoint:
    """A SPARQL 1.1 endpoint over HTTP (JSON results), read only.

    Every query this package sends has one top-level ``WHERE {``, after which
    ``FROM <graph>`` is inserted when a graph is given.
    """

    holds_catalog_types = False

    def __init__(self, url: str, graph: str | None = None, page_size: int = 10_000,
                 timeout: float = 300.0) -> None:
        self.url = url
        self.graph = graph
        self.page_size = page_size
        self.timeout = timeout
        self.requests = 0

    def _dataset(self, query: str) -> str:
        if self.graph is None:
            return query
        head, _, tail = query.partition(" WHERE {")
        return f"{head} FROM <{self.graph}> WHERE {{{tail}"

    def _post(self, query: str) -> list[Row]:
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.url, data=data, headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded"})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.load(response)
        except urllib.error.HTTPError as err:
            body = err.read().decode("utf-8", "replace").strip().splitlines()
            raise InputError(f"the endpoint answered HTTP {err.code}: {' '.join(body)[:300]}",
                             "check that the URL is a SPARQL 1.1 query endpoint",
                             file=self.url) from err
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            raise InputError(f"cannot reach the endpoint: {getattr(err, 'reason', err)}",
                             "check the URL and that the server is running", file=self.url
                             ) from err
        except json.JSONDecodeError as err:
            raise InputError("the endpoint did not answer with SPARQL JSON results",
                             "check that the URL is a SPARQL endpoint, not a web page",
                             file=self.url) from err
        bindings = payload.get("results", {}).get("bindings", [])
        return [{k: _term(v) for k, v in b.items()} for b in bindings]

    def select(self, query: str, order_by: str | None = None) -> list[Row]:
        query = self._dataset(query)
        if order_by is None:
            return self._post(query)
        rows: list[Row] = []
        offset = 0
        while True:
            page = self._post(f"{query} ORDER BY ?{order_by} "
                              f"LIMIT {self.page_size} OFFSET {offset}")
            rows.extend(page)
            if len(page) < self.page_size:
                return rows
            offset += self.page_size
