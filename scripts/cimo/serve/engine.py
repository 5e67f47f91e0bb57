"""A pool of query workers with a per-query time limit.

Each request thread borrows an idle worker, sends it the query and waits for
the answer until the deadline. A worker that misses the deadline is killed
(the only way to stop a running pyoxigraph query) and a fresh one is started
in the background, so one runaway query costs the client a 503 with a clear
message and costs the server nothing. A worker that dies for any other reason
is replaced the same way. When every worker is busy for longer than the time
limit the request is refused with 503 rather than queued without bound.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cimo.errors import CimoError
from cimo.serve.frames import FrameTimeout, PipeClosed, read_frame, write_frame
from cimo.serve.protocol import QueryRequest
from cimo.serve.worker import READY

START_TIMEOUT = 60.0


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    message: str = ""


class WorkerFailed(CimoError):
    """A worker could not be started."""


class _Worker:
    def __init__(self, files: list[Path], max_bytes: int) -> None:
        command = [sys.executable, "-m", "cimo.serve.worker", *map(str, files),
                   "--max-bytes", str(max_bytes)]
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     bufsize=0)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.to_worker = self.proc.stdin.fileno()
        self.from_worker = self.proc.stdout.fileno()

    def wait_ready(self) -> _Worker:
        """Block until the worker has loaded the release; returns itself."""
        try:
            ready = read_frame(self.from_worker, time.monotonic() + START_TIMEOUT)
        except (FrameTimeout, PipeClosed):
            self.kill()
            raise WorkerFailed("a query worker did not start (see the messages above)") \
                from None
        if ready != READY:
            self.kill()
            raise WorkerFailed("a query worker sent an unexpected greeting")
        return self

    def ask(self, payload: bytes, deadline: float) -> tuple[dict[str, Any], bytes]:
        write_frame(self.to_worker, payload)
        header = json.loads(read_frame(self.from_worker, deadline))
        body = read_frame(self.from_worker, deadline)
        return header, body

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


class QueryEngine:
    """Runs SPARQL queries on the release in ``size`` worker processes."""

    def __init__(self, files: list[Path], *, size: int = 2, timeout: float = 10.0,
                 max_bytes: int = 10 << 20) -> None:
        self.files = files
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        starting = [_Worker(files, max_bytes) for _ in range(size)]  # load in parallel
        try:
            for worker in starting:
                self._add(worker.wait_ready())
        except WorkerFailed:
            for worker in starting:
                worker.kill()
            raise

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

        def start() -> None:
            try:
                self._add(_Worker(self.files, self.max_bytes).wait_ready())
            except WorkerFailed as err:
                print(f"cimo serve: {err}", file=sys.stderr)

        threading.Thread(target=start, daemon=True).start()

    def run(self, request: QueryRequest, accept: str | None) -> Reply:
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Reply(503, "", b"", "Every query worker is busy; try again shortly.")
        deadline = time.monotonic() + self.timeout
        payload = json.dumps({"query": request.query, "accept": accept,
                              "default_graphs": list(request.default_graphs),
                              "named_graphs": list(request.named_graphs)}).encode()
        try:
            header, body = worker.ask(payload, deadline)
        except FrameTimeout:
            self._replace(worker)
            return Reply(503, "", b"", f"The query ran longer than this endpoint's time limit "
                                       f"of {self.timeout:g} s and was stopped. Narrow it "
                                       "down or add a LIMIT.")
        except (PipeClosed, OSError):
            self._replace(worker)
            return Reply(500, "", b"", "The query engine stopped unexpectedly; it has been "
                                       "restarted.")
        self._idle.put(worker)
        return Reply(header["status"], header.get("content_type", ""), body,
                     header.get("message", ""))

    def close(self) -> None:
        """Stop every worker (also those started in the background later)."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
