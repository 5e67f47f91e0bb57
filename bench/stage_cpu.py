"""CPU time (user+sys, this process and its children: the JVMs) of each build stage.

Usage: .venv/bin/python bench/stage_cpu.py ROOT [--runs N]

Wall clock on the shared 2-core machine moves with everyone else's work; CPU time
moves much less, so before/after comparisons of stages use it. Runs ``assemble``
(the whole build in memory, site included, nothing written) on the tree at ROOT
(the repository, or a ``bench/synthetic.py`` tree) and prints one JSON line per
run: each stage's CPU seconds and wall seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from cimo.paths import ProjectPaths
from cimo.pipeline.pipeline import _Clock, assemble

T = TypeVar("T")


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class CpuClock(_Clock):
    """The build's own clock, also adding up CPU seconds per stage."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: dict[str, float] = {}

    def stage(self, name: str, func: Callable[[], T]) -> T:
        start = _cpu()
        try:
            return super().stage(name, func)
        finally:
            self.cpu[name] = self.cpu.get(name, 0.0) + _cpu() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.runs):
        clock = CpuClock()
        start, cpu = time.perf_counter(), _cpu()
        assemble(ProjectPaths(args.root), clock)
        clock.close()
        row = {
            "cpu_s": round(_cpu() - cpu, 2),
            "wall_s": round(time.perf_counter() - start, 2),
            "stage_cpu_s": {k: round(v, 2) for k, v in clock.cpu.items() if v >= 0.005},
            "stage_wall_s": {k: round(v, 2) for k, v in clock.timings.items() if v >= 0.005},
            "load_avg": round(os.getloadavg()[0], 2),
        }
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
