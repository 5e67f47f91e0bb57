"""Progress on long work (build stages, large validations, benchmarks), for a person at a terminal.

Shown with tqdm on stderr only when stderr is a terminal and ``-q`` was not
given, so logs, pipes and CI output stay clean. Timings of each step also go to
the ``cimo`` logger at INFO level (``-v``).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
LOG = logging.getLogger("cimo")


def shown() -> bool:
    """Whether progress bars are drawn: stderr is a terminal and output is not quieted."""
    return sys.stderr.isatty() and LOG.getEffectiveLevel() <= logging.WARNING


def bar(description: str, total: int | None = None, unit: str = "step") -> tqdm:  # type: ignore[type-arg]
    """A progress bar that disappears when done; inert when :func:`shown` is false."""
    return tqdm(
        total=total,
        desc=description,
        unit=unit,
        leave=False,
        file=sys.stderr,
        disable=not shown(),
        dynamic_ncols=True,
    )


def track(
    items: Iterable[T], description: str, total: int | None = None, unit: str = "item"
) -> Iterator[T]:
    """Iterate ``items`` with a progress bar."""
    with bar(description, total, unit) as progress:
        for item in items:
            yield item
            progress.update(1)
