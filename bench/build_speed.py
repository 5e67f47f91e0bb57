"""Time warm full builds of CIMO and write bench/build-speed.md.

Usage: .venv/bin/python bench/build_speed.py [--runs N]

A "warm" build is any build after the first one in the same machine session
(Python bytecode and the JVM's files are in the page cache). Each run is a
separate `cimo build` process, timed end to end (wall clock, including
interpreter start-up and the JVM that runs HermiT); per-stage times come from
the timings each build writes beside its output folder
(``.cimo-<folder>-timings.tsv``, see ``cimo.pipeline.pipeline.timings_path``).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cimo.pipeline.pipeline import timings_path

REPO = Path(__file__).resolve().parents[1]
#: user+sys seconds of each build process, in run order
CPU: list[float] = []


def machine() -> str:
    mem_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return (
        f"{os.cpu_count()} cores, {mem_kb / 1024 / 1024:.0f} GiB, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(out: Path) -> tuple[float, dict[str, float]]:
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(
        [sys.executable, "-m", "cimo.cli.main", "build", "--out", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - start
    CPU.append(_children_cpu() - cpu)
    stages = {}
    for line in timings_path(out).read_text().splitlines()[1:]:
        name, seconds = line.split("\t")
        stages[name] = float(seconds)
    return wall, stages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="unreported builds first, so the timed ones are warm (0 for a smoke run)",
    )
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "build-speed.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cimo-bench-") as tmp:
        out = Path(tmp) / "build"
        for _ in range(args.warmup):
            run(out)  # cold run, not reported
        CPU.clear()
        results = [run(out) for _ in range(args.runs)]
    walls = [wall for wall, _ in results]
    stage_names = list(results[0][1])
    lines = [
        "# Build speed",
        "",
        f"Machine: {machine()}. Command: `.venv/bin/python bench/build_speed.py "
        f"--runs {args.runs}`.",
        "",
        f"Warm full build, wall clock over {args.runs} runs: median "
        f"{statistics.median(walls):.2f} s, min {min(walls):.2f} s, max {max(walls):.2f} s "
        "(target: at most 10 s).",
        "",
        f"CPU time (user+sys of the build process): median {statistics.median(CPU):.2f} s; "
        f"load average {os.getloadavg()[0]:.2f} after the runs (other work on the machine "
        "inflates wall clock, CPU time far less).",
        "",
        "| stage | median seconds |",
        "|---|---|",
    ]
    for name in stage_names:
        lines.append(f"| {name} | {statistics.median(r[1][name] for r in results):.3f} |")
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
