"""cimo.heap: the build's objects leave the collector's view for the build, and come back."""

from __future__ import annotations

import gc

import pytest

from cimo import heap
from cimo.forked import Forked


def test_a_held_block_freezes_what_is_alive_and_thaws_it_at_its_end() -> None:
    assert gc.get_freeze_count() == 0
    kept = [[n] for n in range(1000)]
    with heap.held():
        assert gc.get_freeze_count() >= len(kept)
        made = [[n] for n in range(1000)]
        heap.refreeze()  # the objects made since join the frozen ones
        assert gc.get_freeze_count() >= len(kept) + len(made)
    assert gc.get_freeze_count() == 0


def test_holds_left_open_inside_a_block_end_with_it() -> None:
    """A failed build never collects its term pages (whose hold stays open); the build's
    own block still thaws everything when it ends, so a later build in the same process
    starts from a collectable heap."""
    with pytest.raises(RuntimeError), heap.held():
        heap.hold()  # what TermRenderer does; its release never comes
        raise RuntimeError("QC failed")
    assert gc.get_freeze_count() == 0
    heap.hold()
    heap.release()
    assert gc.get_freeze_count() == 0


def test_the_collector_is_off_inside_a_held_block_and_as_before_after_it() -> None:
    assert gc.isenabled()
    with heap.held():
        assert not gc.isenabled()
        assert Forked(gc.isenabled).result() is True  # a child that collects, collects
    assert gc.isenabled()
    gc.disable()
    try:
        with heap.held():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
