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
