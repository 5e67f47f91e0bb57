"""cimo.forked: a forked child's result, its failure, and its death."""

from __future__ import annotations

import os
import signal

import pytest

from cimo.forked import Forked


def test_the_child_computes_what_the_parent_would() -> None:
    big = {"rows": list(range(100_000))}  # seen by the child through fork, not pickled in
    job = Forked(lambda: sum(big["rows"]))
    assert job.result() == sum(range(100_000))


def test_a_failure_in_the_child_is_raised_in_the_parent_with_its_traceback() -> None:
    def broken() -> int:
        raise ValueError("no such page")

    with pytest.raises(RuntimeError, match="ValueError: no such page"):
        Forked(broken).result()


def test_a_child_that_dies_is_replaced_by_running_the_job_here() -> None:
    parent = os.getpid()

    def die_in_the_child() -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return 42

    assert Forked(die_in_the_child).result() == 42


def test_a_child_can_run_without_the_cyclic_collector_and_the_parent_keeps_it() -> None:
    import gc

    assert Forked(gc.isenabled, collect=False).result() is False
    assert Forked(gc.isenabled).result() is True
    assert gc.isenabled()


def test_a_child_whose_parent_died_ends_instead_of_blocking_on_its_pipe() -> None:
    """A failed build exits without collecting its children: their results (megabytes,
    more than a pipe holds) must not keep them blocked for ever."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    script = (
        "import os\n"
        "from cimo.forked import Forked\n"
        "job = Forked(lambda: b'x' * 5_000_000)\n"
        "print(job._process.pid, flush=True)\n"
        "os._exit(3)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 3, run.stderr
    status = Path(f"/proc/{int(run.stdout)}/status")
    deadline = time.monotonic() + 20
    while (
        status.exists() and "\nState:\tZ" not in status.read_text() and time.monotonic() < deadline
    ):
        time.sleep(0.1)
    assert not status.exists() or "\nState:\tZ" in status.read_text(), "the child still runs"
