"""Time the site stage alone (term pages per second) at 1x, 10x and 100x CIMO's size.

Usage: .venv/bin/python bench/site_speed.py [--factors 1 10 100] [--profile FILE]

Each size is a synthetic source tree from bench/synthetic.py. The release is
assembled in memory without the site; then ``render_site`` runs alone, timed
by wall clock and by this process's CPU time (user+sys), which is what other
work on a shared machine inflates least. Prints one JSON line per factor.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make

from cimo.paths import ProjectPaths
from cimo.pipeline.pipeline import assemble
from cimo.site import render_site
from cimo.site.terms import term_iris

REPO = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(tree: ProjectPaths, profile: Path | None = None) -> dict:
    release = assemble(tree, site=False)
    terms = len(term_iris(release.graph))
    profiler = cProfile.Profile() if profile else None
    start, cpu = time.perf_counter(), _cpu()
    if profiler:
        profiler.enable()
    files = render_site(release.graph, release.edges, release.files, tree, release.version)
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    wall, cpu = time.perf_counter() - start, _cpu() - cpu
    return {
        "terms": terms,
        "files": len(files),
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "pages_per_s_wall": round(terms / wall),
        "pages_per_s_cpu": round(terms / cpu),
        "load_avg": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="write a cProfile of the largest factor's site stage here",
    )
    args = parser.parse_args()
    os.environ.setdefault("CIMO_SEEDS", str(ProjectPaths(REPO).seeds))
    with tempfile.TemporaryDirectory(prefix="cimo-site-bench-") as tmp:
        for factor in args.factors:
            tree = make(ProjectPaths(REPO), Path(tmp) / f"x{factor}", factor)
            profile = args.profile if factor == max(args.factors) else None
            print(json.dumps({"factor": factor, **measure(tree, profile)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
