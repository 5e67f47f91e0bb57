"""A query worker: a child process that answers SPARQL queries with pyoxigraph.

Queries run in child processes, not threads, because a thread cannot be
stopped: a query that runs past the time limit is ended by killing its
worker (see :mod:`cimo.serve.engine`). Each worker holds the release in an
in-memory pyoxigraph store, reads one request frame at a time from stdin and
writes a header frame and a body frame to stdout. It negotiates the result
format itself, because only after running the query does it know whether the
answer is a table (SELECT, ASK) or a graph (CONSTRUCT, DESCRIBE), and it stops
serializing as soon as the answer passes the size cap.

Before loading, the worker confines itself (:mod:`cimo.serve.sandbox`): no
network, and an address-space limit. Its greeting tells the server whether
the network could be cut off.

Run as ``python -m cimo.serve.worker FILE... --max-bytes N --max-memory M``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Any, cast

import pyoxigraph

from cimo.errors import CimoError
from cimo.serve.conneg import negotiate
from cimo.serve.formats import GRAPH_FORMATS, RESULT_FORMATS, offered, with_charset
from cimo.serve.frames import PipeClosed, read_frame, write_frame
from cimo.serve.protocol import READ_ONLY, looks_like_update
from cimo.serve.sandbox import isolate_network, limit_memory

READY = "ready"


class TooLarge(CimoError):
    """The serialized answer passed the cap."""


class CappedBuffer:
    """A binary file-like sink that refuses to grow beyond ``cap`` bytes."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.size = 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.cap:
            raise TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered beyond ``parts``; present for the file protocol."""

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def load_store(files: list[str]) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for path in files:
        store.bulk_load(
            path=path,
            format=pyoxigraph.RdfFormat.from_extension(path.rsplit(".", 1)[-1])
            or pyoxigraph.RdfFormat.TURTLE,
        )
    return store


def answer(
    store: pyoxigraph.Store, request: dict[str, Any], max_bytes: int
) -> tuple[dict[str, Any], bytes]:
    """Run one query; returns the response header (status, type, message) and body."""
    query = request["query"]
    options: dict[str, Any] = {}
    try:
        if request.get("default_graphs"):
            options["default_graph"] = [pyoxigraph.NamedNode(g) for g in request["default_graphs"]]
        if request.get("named_graphs"):
            options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in request["named_graphs"]]
        result = store.query(query, **options)
    except SyntaxError as err:
        if looks_like_update(query):
            return {"status": 403, "message": READ_ONLY}, b""
        return {"status": 400, "message": f"Malformed query: {err}"}, b""
    except (ValueError, TypeError) as err:
        return {"status": 400, "message": f"Bad request: {err}"}, b""
    except OSError as err:  # an evaluation error raised before the first result
        return {"status": 400, "message": f"The query failed: {err}"}, b""
    triples = isinstance(result, pyoxigraph.QueryTriples)
    table: dict[str, Any] = GRAPH_FORMATS if triples else RESULT_FORMATS
    media = negotiate(request.get("accept"), list(table))
    if media is None:
        return {
            "status": 406,
            "message": "None of the requested media types can be sent for "
            f"this query. Available: {offered(table)}.",
        }, b""
    sink = CappedBuffer(max_bytes)
    try:
        result.serialize(cast("IO[bytes]", sink), table[media])  # only .write is used
    except TooLarge:
        return {
            "status": 422,
            "message": f"The answer is larger than this endpoint's cap of "
            f"{max_bytes:,} bytes. Add a LIMIT, or select "
            "fewer variables.",
        }, b""
    except MemoryError:
        return {"status": 503, "memory": True}, b""
    except (OSError, ValueError) as err:  # evaluation errors surface while iterating
        return {"status": 400, "message": f"The query failed: {err}"}, b""
    return {"status": 200, "content_type": with_charset(media)}, sink.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cimo.serve.worker")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--max-bytes", type=int, required=True)
    parser.add_argument("--max-memory", type=int, default=0, help="bytes; 0 for no limit")
    args = parser.parse_args(argv)
    network = isolate_network()
    if args.max_memory:
        limit_memory(args.max_memory)
    store = load_store(args.files)
    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    write_frame(stdout, json.dumps({"greeting": READY, "network": network}).encode())
    while True:
        try:
            request = json.loads(read_frame(stdin))
        except PipeClosed:
            return 0  # the server closed the pipe: it is shutting down
        try:
            header, body = answer(store, request, args.max_bytes)
        except MemoryError:
            header, body = {"status": 503, "memory": True}, b""
        except Exception as err:  # keep serving: one odd query must not end the worker
            header, body = (
                {"status": 500, "message": f"The query engine failed ({type(err).__name__})."},
                b"",
            )
        write_frame(stdout, json.dumps(header).encode())
        write_frame(stdout, body)


if __name__ == "__main__":
    sys.exit(main())
