"""Run one pure function in a forked child process and collect its result later.

The build has work that needs nothing but the finished graph and takes seconds
at scale (pyLODE's overview page): a forked child sees the graph as it is, with
nothing to copy or pickle on the way in, and runs on the machine's other core
while the parent writes the term pages. Only the result (text) crosses back.
Where ``fork`` is not available, or the child dies, the function simply runs
in the parent when the result is asked for, so the output never depends on it.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")
LOG = logging.getLogger(__name__)


class Forked(Generic[T]):
    """``func()`` started in a child process; :meth:`result` waits for it.

    ``collect=False`` runs the child without the cyclic garbage collector: for a job
    that builds one large structure of objects and then ends (pyLODE's page at 100
    times CIMO's size: 49 s of CPU with the collector, 33 s without, 0.5 GB more
    memory), since each of the collector's passes walks the whole structure again.
    """

    def __init__(self, func: Callable[[], T], collect: bool = True) -> None:
        self._func = func
        self._receiver: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
        process = multiprocessing.get_context("fork").Process(
            target=_run, args=(func, sender, receiver, collect), daemon=True
        )
        process.start()
        sender.close()
        self._receiver, self._process = receiver, process

    def result(self) -> T:
        """The function's value; its exception is raised here, as if it ran in this process."""
        if self._receiver is None or self._process is None:
            return self._func()
        try:
            ok, value = self._receiver.recv()
        except EOFError:  # the child died without answering (killed, out of memory)
            LOG.warning("forked job died (exit %s); running it here", self._process.exitcode)
            ok, value = True, self._func()
        finally:
            self._receiver.close()
            self._process.join()
        if not ok:
            raise RuntimeError(f"forked job failed:\n{value}")
        return value  # type: ignore[no-any-return]


def _run(
    func: Callable[[], object], sender: Connection, receiver: Connection, collect: bool
) -> None:
    # The child's copy of the reading end is closed, so that if the parent dies the
    # child's write fails instead of blocking forever on a pipe nobody reads.
    receiver.close()
    # What the child inherited is the parent's and lives as long as the child: out of
    # the collector's passes, which would also copy every memory page they touch.
    gc.freeze()
    if collect:  # even if the parent's build has the collector off (``cimo.heap``)
        gc.enable()
    else:
        gc.disable()
    try:
        sender.send((True, func()))
    except BaseException:  # reported to the parent, which raises it
        sender.send((False, traceback.format_exc()))
    finally:
        sender.close()
        os._exit(0)  # skip the parent's exit handlers (its thread pool, its temp folders)
