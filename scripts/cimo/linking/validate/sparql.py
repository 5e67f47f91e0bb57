"""Where the shape queries run: the embedded store or a user's SPARQL endpoint.

Both answer a SELECT with rows of pyoxigraph terms, so the shape checks are
written once. The endpoint pages through large answers (``ORDER BY`` with
``LIMIT``/``OFFSET``) because public endpoints cap result sizes (Virtuoso's
``ResultSetMaxRows``), and can restrict every query to one named graph.
Every answer is checked against the endpoint's own COUNT of the same query,
so a cap or a broken OFFSET ends the run instead of shortening the results.
"""

from __future__ import annotations

import json
import logging
import re
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from cimo.linking.catalog import RDF_TYPE, Catalog
from cimo.linking.errors import InputError
from cimo.linking.validate.http_client import DEFAULT_HTTP_LIMITS, HttpLimits, http_answer
from cimo.linking.validate.parallel import Row, rows_of, select_in_workers, workers_available

LOG = logging.getLogger(__name__)


class QueryRunner(Protocol):
    #: whether the data also holds the rdf:type triples of CIMO's term graph
    holds_catalog_types: bool

    def select(self, query: str, order_by: str | None = None) -> list[Row]:
        """All solutions of ``query``; ``order_by`` names a variable that makes paging stable."""
        ...

    def select_each(self, queries: list[str], order_by: str | None = None) -> list[list[Row]]:
        """The solutions of each query, in order (a runner may answer them side by side)."""
        ...


class LocalStore:
    """A pyoxigraph store holding the triples the shapes can see.

    Given a ``directory`` the store lives on disk (RocksDB), so memory stays bounded
    whatever the size of the input: 10 million triples kept in memory took 2.7 GB.
    There the queries are answered by ``workers`` processes (default: one per core).
    """

    holds_catalog_types = True

    def __init__(
        self, catalog: Catalog, directory: Path | None = None, workers: int | None = None
    ) -> None:
        self.store = ox.Store(str(directory)) if directory is not None else ox.Store()
        self.directory = directory
        self.workers = workers_available() if workers is None else workers
        self._settled = False
        rdf_type = ox.NamedNode(RDF_TYPE)
        self.store.bulk_extend(
            [
                ox.Quad(ox.NamedNode(iri), rdf_type, ox.NamedNode(kind))
                for iri, kinds in catalog.types.items()
                for kind in kinds
            ]
        )

    def add(self, quads: list[ox.Quad]) -> None:
        self.store.bulk_extend(quads)
        self._settled = False

    def _settle(self) -> None:
        """Write everything to disk and compact it, once after the last ``add``.

        Bulk loading leaves many overlapping files that RocksDB compacts in the
        background; queries started before that read all of them and compete with it
        for the cores. At 10 million triples, compacting first took the shape checks
        from 148 s to 70 s.
        """
        if not self._settled:
            self.store.flush()
            self.store.optimize()
            self._settled = True

    def __len__(self) -> int:
        return len(self.store)

    def select(self, query: str, order_by: str | None = None) -> list[Row]:
        return rows_of(self.store, query)

    def select_each(self, queries: list[str], order_by: str | None = None) -> list[list[Row]]:
        """On disk, one reader process per core; in memory, one query after another.

        An in-memory store only exists for inputs small enough that the checks take
        seconds, where starting workers would cost more than it saves.
        """
        if self.directory is not None:
            self._settle()
            if self.workers >= 2 and len(queries) >= 2:
                try:
                    return select_in_workers(
                        self.directory, queries, min(self.workers, len(queries))
                    )
                except BrokenProcessPool as err:  # a worker could not start or died
                    LOG.warning("query workers failed (%s); answering in this process", err)
        return [self.select(query) for query in queries]


def _term(cell: object, url: str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if not isinstance(cell, dict) or not isinstance(cell.get("value", ""), str):
        raise _malformed(url, f"a binding is not a SPARQL JSON term: {str(cell)[:80]}")
    kind, value = cell.get("type"), cell.get("value", "")
    try:
        if kind == "uri":
            return ox.NamedNode(value)
        if kind == "bnode":
            # Virtuoso labels blank nodes "nodeID://b10006", which is not a valid label
            return ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", value) or "b")
        if kind not in ("literal", "typed-literal"):
            raise _malformed(url, f"a binding has the unknown type {str(kind)[:40]!r}")
        if "xml:lang" in cell:
            return ox.Literal(value, language=str(cell["xml:lang"]))
        if "datatype" in cell:
            return ox.Literal(value, datatype=ox.NamedNode(str(cell["datatype"])))
        return ox.Literal(value)
    except (ValueError, TypeError) as err:
        raise _malformed(url, f"a binding is not a valid RDF term ({err})") from err


def _malformed(url: str, what: str) -> InputError:
    return InputError(
        f"the endpoint's answer is not valid SPARQL JSON results: {what}",
        "check that the URL is a SPARQL 1.1 query endpoint",
        file=url,
    )


def _rows(payload: object, url: str) -> list[Row]:
    """Check the shape of a SPARQL JSON answer as strictly as we read it."""
    results = payload.get("results") if isinstance(payload, dict) else None
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise _malformed(url, "no results.bindings list")
    rows = []
    for binding in bindings:
        if not isinstance(binding, dict):
            raise _malformed(url, "a solution is not a JSON object")
        rows.append({str(k): _term(v, url) for k, v in binding.items()})
    return rows


def parse_answer(body: bytes, url: str) -> list[Row]:
    """The rows of a SPARQL JSON answer; anything else is an ``InputError`` naming ``url``."""
    try:
        payload = json.loads(body)
    except RecursionError as err:
        raise _malformed(url, "JSON nested too deeply") from err
    except ValueError as err:
        start = body.lstrip()[:1]
        what = "it answered XML, not JSON" if start == b"<" else f"not JSON ({err})"
        raise InputError(
            f"the endpoint did not answer with SPARQL JSON results: {what}",
            "check that the URL is a SPARQL endpoint, not a web page, and "
            "that it can answer application/sparql-results+json",
            file=url,
        ) from err
    return _rows(payload, url)


class Endpoint:
    """A SPARQL 1.1 endpoint over HTTP (JSON results), read only, and not trusted.

    Every query this package sends has one top-level ``WHERE {``, after which
    ``FROM <graph>`` is inserted when a graph is given. The endpoint is a
    stranger's server: its answers are size-limited and time-limited (see
    ``http_answer``), checked for shape, and a paged answer is compared with the
    endpoint's own COUNT of the same query, so a server that caps its rows or
    ignores OFFSET stops the run (exit 2) instead of giving a wrong, short result.
    """

    holds_catalog_types = False

    def __init__(
        self,
        url: str,
        graph: str | None = None,
        page_size: int = 10_000,
        limits: HttpLimits = DEFAULT_HTTP_LIMITS,
    ) -> None:
        self.url = url
        self.graph = graph
        self.page_size = page_size
        self.limits = limits
        self.requests = 0

    def _dataset(self, query: str) -> str:
        if self.graph is None:
            return query
        head, _, tail = query.partition(" WHERE {")
        return f"{head} FROM <{self.graph}> WHERE {{{tail}"

    def _post(self, query: str) -> list[Row]:
        self.requests += 1
        return parse_answer(http_answer(self.url, query, self.limits), self.url)

    def _count(self, query: str) -> int:
        counting = f"SELECT (COUNT(*) AS ?cimo_rows) WHERE {{ {{ {query} }} }}"
        rows = self._post(self._dataset(counting))
        value = rows[0].get("cimo_rows") if len(rows) == 1 else None
        try:
            count = int(value.value) if isinstance(value, ox.Literal) else -1
        except ValueError:
            count = -1
        if count < 0:
            raise _untrusted(self.url, "it did not answer a COUNT query with one number")
        return count

    def select_each(self, queries: list[str], order_by: str | None = None) -> list[list[Row]]:
        """One query after another: a stranger's server is not to be loaded in parallel."""
        return [self.select(query, order_by) for query in queries]

    def select(self, query: str, order_by: str | None = None) -> list[Row]:
        expected = self._count(query)
        if order_by is None:
            rows = self._post(self._dataset(query))
            if len(rows) != expected:
                raise _untrusted(
                    self.url,
                    f"it answered {len(rows)} rows but its COUNT of the "
                    f"same query is {expected}: it caps the rows it "
                    "returns",
                )
            return rows
        ordered = f"{self._dataset(query)} ORDER BY ?{order_by}"
        rows = []
        previous: list[Row] | None = None
        while True:
            page = self._post(f"{ordered} LIMIT {self.page_size} OFFSET {len(rows)}")
            if page and page == previous:
                raise _untrusted(
                    self.url,
                    f"it returned the same page again at offset {len(rows)}: it ignores OFFSET",
                )
            rows.extend(page)
            if len(rows) > expected:
                raise _untrusted(
                    self.url, f"it returned more rows ({len(rows)}) than its own COUNT ({expected})"
                )
            if len(page) < self.page_size:
                break
            previous = page
        if len(rows) != expected:
            raise _untrusted(
                self.url,
                f"paging gave {len(rows)} rows but its COUNT of the same "
                f"query is {expected}: it caps the rows it returns "
                f"(try --page-size {max(1, len(page))} or lower)",
            )
        return rows


def _untrusted(url: str, what: str) -> InputError:
    return InputError(
        f"the endpoint's paged answers cannot be trusted, so no result is reported: {what}",
        "use an endpoint that pages correctly, or validate a dump of the data as files",
        file=url,
    )
