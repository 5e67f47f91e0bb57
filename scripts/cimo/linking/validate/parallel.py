"""Answer many queries on an on-disk store with one process per core.

Above a few million triples the shape checks are CPU-bound in the SPARQL
engine, one query after another, and threads do not help (pyoxigraph holds the
interpreter while it evaluates). RocksDB lets other processes open the same
folder read-only, so worker processes each open it and take the next query as
they finish one; the answers come back in the order the queries were given,
so the report is the same as from one process. The workers are started fresh
(``spawn``), not forked: a child forked from a process with RocksDB's
background threads running died now and then when it opened the store.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox

#: answer rows: variable name to term, unbound variables left out
Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]

_store: ox.Store | None = None


def workers_available() -> int:
    """The cores this process may run on (a container's CPU set, not the host's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def rows_of(store: ox.Store, query: str) -> list[Row]:
    solutions = store.query(query)
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


def _open(directory: str) -> None:
    global _store
    _store = ox.Store.read_only(directory)


def _answer(query: str) -> list[Row]:
    assert _store is not None, "worker started without its store"
    return rows_of(_store, query)


def select_in_workers(directory: Path, queries: list[str], workers: int) -> list[list[Row]]:
    """The rows of each query, in order, from ``workers`` processes reading ``directory``.

    The caller must have flushed its writes: a read-only opening sees only what
    is on disk. A query that fails raises here, and a worker that dies raises
    ``BrokenProcessPool`` rather than leaving the run waiting.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_open, initargs=(str(directory),)
    ) as pool:
        return list(pool.map(_answer, queries))
