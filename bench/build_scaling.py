"""Build synthetic ontologies 1x, 10x and 100x CIMO's size and time every stage.

Usage: .venv/bin/python bench/build_scaling.py [--factors 1 10 100] [--timeout 600]

Each synthetic source tree comes from bench/synthetic.py (CIMO's own axioms,
copied under fresh IDs). Each build is a separate `cimo build` process, bounded
by --timeout; a build that does not finish in time is reported as such, never
dropped. Besides wall clock, each line gives the build's CPU time (user+sys of
the child process) and the load average, since other work on a shared machine
inflates wall clock but hardly CPU time. Growth is reported per stage as
time per 1,000 triples, which is constant when a stage is linear.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make

from cimo.paths import ProjectPaths
from cimo.pipeline.pipeline import timings_path

REPO = Path(__file__).resolve().parents[1]


def _children_cpu() -> float:
    """User+sys seconds of finished child processes: what a busy machine inflates least."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_once(tree: ProjectPaths, timeout: float) -> dict:
    out = tree.root / "build"
    env = {**os.environ, "CIMO_SEEDS": str(ProjectPaths(REPO).seeds)}
    start, cpu = time.perf_counter(), _children_cpu()
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "cimo.cli.main",
                "--root",
                str(tree.root),
                "build",
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"finished": False, "wall_s": timeout, "why": f"did not finish in {timeout:.0f} s"}
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if result.returncode != 0:
        return {"finished": False, "wall_s": wall, "why": result.stderr[-500:]}
    stages = {}
    for line in timings_path(out).read_text().splitlines()[1:]:
        name, seconds = line.split("\t")
        stages[name] = float(seconds)
    triples = sum(1 for line in (out / "cimo.nt").open() if line.strip())
    return {
        "finished": True,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "load_avg": round(os.getloadavg()[0], 2),
        "stages": stages,
        "triples": triples,
    }


def run(factors: list[int], timeout: float) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="cimo-scaling-") as tmp:
        for factor in factors:
            tree = make(ProjectPaths(REPO), Path(tmp) / f"x{factor}", factor)
            row = {"factor": factor, **build_once(tree, timeout)}
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "stages"}), flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    rows = run(args.factors, args.timeout)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")
    return 0 if all(r["finished"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
