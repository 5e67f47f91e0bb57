"""A pool of confined query workers with a time limit, a memory limit and a quick lane.

Each request thread borrows an idle worker, sends it the query and waits for
the answer until the deadline. A worker that misses the deadline is killed
(the only way to stop a running pyoxigraph query) and a fresh one is started
in the background, so one runaway query costs the client a 503 with a clear
message and costs the server nothing. A worker that passes its memory limit
aborts; the server tells the client so (503) and replaces it the same way,
as it does a worker that dies for any other reason. Every such event goes to
the event log. When every worker is busy for longer than the time limit the
request is refused with 503 rather than queued without bound.

Slow queries must not starve quick ones, so the pool has two lanes: the main
workers take any query, and the quick lane (one worker by default) takes a
query only when the main workers are all busy, only from a client that has
no other query running and none stopped at the time limit lately, and only
for a short time limit. Two clients that keep the main workers busy with slow
queries therefore leave a worker free for everybody else's short ones. On two
cores the slow queries would still take the CPU from the quick one, so a
query that has run for ``SLOW_AFTER`` seconds has its worker's priority
lowered (``nice``) until it finishes.
"""

from __future__ import annotations

import collections
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cimo.errors import CimoError
from cimo.serve.frames import FrameTimeout, PipeClosed, read_frame, write_frame
from cimo.serve.log import Log
from cimo.serve.protocol import QueryRequest
from cimo.serve.worker import READY

START_TIMEOUT = 60.0
MAIN, QUICK = "main", "quick"
SLOW_AFTER = 0.2  # seconds after which a running query counts as slow and yields the CPU
SLOW_NICE = 10
SLOW_MEMORY = 60.0  # seconds a client whose query hit the time limit stays off the quick lane


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds per query on a main worker
    max_bytes: int = 10 << 20  # size of a serialized answer
    max_memory: int = 1 << 30  # address space of one worker, bytes (0: no limit)
    quick_workers: int = 1
    quick_timeout: float = 1.0  # seconds per query in the quick lane


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    message: str = ""
    headers: tuple[tuple[str, str], ...] = ()


class WorkerFailed(CimoError):
    """A worker could not be started."""


def _mib(size: int) -> str:
    return f"{size / (1 << 30):g} GiB" if size >= 1 << 30 else f"{size >> 20} MiB"


class _Worker:
    def __init__(self, files: list[Path], limits: Limits, lane: str, log: Log) -> None:
        command = [
            sys.executable,
            "-m",
            "cimo.serve.worker",
            *map(str, files),
            "--max-bytes",
            str(limits.max_bytes),
            "--max-memory",
            str(limits.max_memory),
        ]
        env = {**os.environ, "RUST_BACKTRACE": "0"}
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
            env=env,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.to_worker = self.proc.stdin.fileno()
        self.from_worker = self.proc.stdout.fileno()
        self.lane = lane
        self.network = "unknown"
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=20)
        self._log = log
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self) -> None:
        """Keep the worker's last messages (and log them): they say why it died."""
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                self.stderr_tail.append(line)
                self._log.event("worker-stderr", pid=self.proc.pid, line=line)

    def wait_ready(self) -> _Worker:
        """Block until the worker has loaded the release; returns itself."""
        try:
            greeting = json.loads(read_frame(self.from_worker, time.monotonic() + START_TIMEOUT))
        except (FrameTimeout, PipeClosed, ValueError):
            self.kill()
            raise WorkerFailed("a query worker did not start (see the messages above)") from None
        if not isinstance(greeting, dict) or greeting.get("greeting") != READY:
            self.kill()
            raise WorkerFailed("a query worker sent an unexpected greeting")
        self.network = str(greeting.get("network"))
        return self

    def ask(self, payload: bytes, deadline: float) -> tuple[dict[str, Any], bytes]:
        write_frame(self.to_worker, payload)
        ready, _, _ = select.select([self.from_worker], [], [], SLOW_AFTER)
        niced = not ready and self._renice(SLOW_NICE)
        header = json.loads(read_frame(self.from_worker, deadline))
        body = read_frame(self.from_worker, deadline)
        if niced:
            self._renice(0)  # needs privilege; otherwise the worker stays nice, harmlessly
        return header, body

    def _renice(self, value: int) -> bool:
        try:
            os.setpriority(os.PRIO_PROCESS, self.proc.pid, value)
        except OSError:
            return False
        return True

    def ran_out_of_memory(self) -> bool:
        """After the pipe closed: did the worker abort on a failed allocation?"""
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return False
        self._reader.join(timeout=1)
        said = " ".join(self.stderr_tail)
        return code == -signal.SIGABRT and ("memory allocation" in said or "MemoryError" in said)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


class QueryEngine:
    """Runs SPARQL queries on the release in ``size`` main workers plus the quick lane."""

    def __init__(
        self,
        files: list[Path],
        *,
        size: int = 2,
        limits: Limits | None = None,
        log: Log | None = None,
    ) -> None:
        self.files = files
        self.limits = limits or Limits()
        self.log = log or Log()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._running: collections.Counter[str] = collections.Counter()
        self._timed_out: dict[str, float] = {}  # client -> when its last query was stopped
        self._cond = threading.Condition()
        self._closed = False
        lanes = [MAIN] * size + [QUICK] * self.limits.quick_workers
        starting = [_Worker(files, self.limits, lane, self.log) for lane in lanes]  # in parallel
        try:
            for worker in starting:
                self._add(worker.wait_ready())
        except WorkerFailed:
            for worker in starting:
                worker.kill()
            raise
        isolated = {w.network for w in starting}
        if isolated != {"isolated"}:
            self.log.event(
                "warning",
                message="query workers could not be cut off from the "
                "network; SERVICE is still refused before a query runs",
                detail=", ".join(sorted(isolated)),
            )

    @property
    def timeout(self) -> float:
        return self.limits.timeout

    def _add(self, worker: _Worker) -> None:
        with self._cond:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
            self._idle.append(worker)
            self._wake_for(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._cond:
            self._all.discard(worker)
        worker.kill()

        def start() -> None:
            try:
                self._add(_Worker(self.files, self.limits, worker.lane, self.log).wait_ready())
            except WorkerFailed as err:
                self.log.event("worker-failed", message=str(err))

        threading.Thread(target=start, daemon=True).start()

    def _take(self, client: str) -> _Worker | None:
        """An idle worker for ``client``: main lane first, quick lane if allowed."""

        def pick() -> _Worker | None:
            quick = None
            for worker in self._idle:
                if worker.lane == MAIN:
                    return worker
                quick = quick or worker
            if quick is None or self._running[client] or self._recently_slow(client):
                return None
            return quick

        with self._cond:
            chosen = self._cond.wait_for(pick, timeout=self.limits.timeout)
            if chosen is None:
                return None
            self._idle.remove(chosen)
            self._running[client] += 1
            return chosen

    def _wake_for(self, worker: _Worker) -> None:
        """Wake one waiting request for a main worker (anyone may take it), but all of them
        for the quick lane, which only some may take; waking every thread for every
        query would cost more than the queries under load. Called with the lock held."""
        if worker.lane == MAIN:
            self._cond.notify()
        else:
            self._cond.notify_all()

    def _recently_slow(self, client: str) -> bool:
        stopped = self._timed_out.get(client)
        return stopped is not None and time.monotonic() - stopped < SLOW_MEMORY

    def _note_time_out(self, client: str) -> None:
        with self._cond:
            now = time.monotonic()
            if len(self._timed_out) > 10_000:  # forget old entries, keep memory bounded
                self._timed_out = {
                    c: t for c, t in self._timed_out.items() if now - t < SLOW_MEMORY
                }
            self._timed_out[client] = now

    def _give_back(self, worker: _Worker, client: str, *, healthy: bool) -> None:
        with self._cond:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]
            if healthy:
                self._idle.append(worker)
                self._wake_for(worker)
        if not healthy:
            self._replace(worker)

    def run(self, request: QueryRequest, accept: str | None, client: str = "-") -> Reply:
        worker = self._take(client)
        if worker is None:
            self.log.event("busy", client=client)
            return Reply(
                503,
                "",
                b"",
                "Every query worker is busy; try again shortly.",
                (("Retry-After", "1"),),
            )
        limit = self.limits.timeout if worker.lane == MAIN else self.limits.quick_timeout
        deadline = time.monotonic() + limit
        payload = json.dumps(
            {
                "query": request.query,
                "accept": accept,
                "default_graphs": list(request.default_graphs),
                "named_graphs": list(request.named_graphs),
            }
        ).encode()
        try:
            header, body = worker.ask(payload, deadline)
        except FrameTimeout:
            self._give_back(worker, client, healthy=False)
            self._note_time_out(client)
            self.log.event(
                "timeout", client=client, lane=worker.lane, pid=worker.proc.pid, seconds=limit
            )
            if worker.lane == QUICK:
                return Reply(
                    503,
                    "",
                    b"",
                    "The endpoint is busy with long queries, and this "
                    f"one needed more than the {limit:g} s allowed while it is; it "
                    "was stopped. Try again shortly.",
                    (("Retry-After", "5"),),
                )
            return Reply(
                503,
                "",
                b"",
                f"The query ran longer than this endpoint's time limit "
                f"of {limit:g} s and was stopped. Narrow it "
                "down or add a LIMIT.",
            )
        except (PipeClosed, OSError, ValueError):
            out_of_memory = worker.ran_out_of_memory()
            self._give_back(worker, client, healthy=False)
            if out_of_memory:
                return self._memory_reply(client, worker)
            self.log.event(
                "worker-crash",
                client=client,
                pid=worker.proc.pid,
                exit=worker.proc.returncode,
                query=request.query,
            )
            return Reply(
                500, "", b"", "The query engine stopped unexpectedly; it has been restarted."
            )
        self._give_back(worker, client, healthy=True)
        if header.get("memory"):
            return self._memory_reply(client, worker)
        return Reply(
            header["status"], header.get("content_type", ""), body, header.get("message", "")
        )

    def _memory_reply(self, client: str, worker: _Worker) -> Reply:
        limit = _mib(self.limits.max_memory)
        self.log.event("memory-limit", client=client, pid=worker.proc.pid, limit=limit)
        return Reply(
            503,
            "",
            b"",
            f"The query needed more memory than this endpoint's limit "
            f"of {limit} per query worker and was stopped. Narrow it "
            "down or add a LIMIT.",
        )

    def close(self) -> None:
        """Stop every worker (also those started in the background later)."""
        with self._cond:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
        for worker in workers:
            worker.kill()
