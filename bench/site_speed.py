"""Time the site alone (term pages per second) at 1x, 10x and 100x CIMO's size.

Usage: .venv/bin/python bench/site_speed.py [--factors 1 10 100] [--workers 2] [--profile FILE]

Each size is a synthetic source tree from bench/synthetic.py. The release is
assembled in memory without the site; then the term pages are written alone
(``TermRenderer``, in ``--workers`` processes), then the rest of the site
(``render_site``, pyLODE's overview page included). Each is timed by wall clock
and by CPU time (user+sys of this process and its forked children), which is
what other work on a shared machine inflates least. Prints one JSON line per factor.
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

from cimo.export.canonical import canonical_form
from cimo.export.jsonld import CONTEXT_FILE
from cimo.paths import ProjectPaths
from cimo.pipeline.pipeline import assemble
from cimo.site import render_site
from cimo.site.render import TermRenderer

REPO = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    """User+sys seconds of this process and of its finished children (the forked writers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(tree: ProjectPaths, workers: int, profile: Path | None = None) -> dict:
    """Term pages (every term's HTML page and its four RDF forms) timed alone, from
    gathering what they read to the last file, then the rest of the site (pyLODE's
    overview page, the index pages, the examples run on Oxigraph, the release folders).
    The release's canonical statements are made first, as the build makes them once for
    every writer."""
    release = assemble(tree, site=False)
    context = json.loads(release.files[CONTEXT_FILE])
    canonical = canonical_form(release.graph).triples
    profiler = cProfile.Profile() if profile else None
    start, cpu = time.perf_counter(), _cpu()
    if profiler:
        profiler.enable()
    pages = TermRenderer(
        release.graph, release.edges, tree, release.version, context, canonical
    ).start(workers)()
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    wall, cpu = time.perf_counter() - start, _cpu() - cpu
    terms = len(pages.terms)
    rest_start, rest_cpu = time.perf_counter(), _cpu()
    files = render_site(
        release.graph, release.edges, release.files, tree, release.version, canonical, pages
    )
    rest_wall, rest_cpu = time.perf_counter() - rest_start, _cpu() - rest_cpu
    return {
        "terms": terms,
        "workers": workers,
        "term_files": len(pages.files),
        "term_pages_wall_s": round(wall, 3),
        "term_pages_cpu_s": round(cpu, 3),
        "pages_per_s_wall": round(terms / wall),
        "pages_per_s_cpu": round(terms / cpu),
        "rest_of_site_wall_s": round(rest_wall, 3),
        "rest_of_site_cpu_s": round(rest_cpu, 3),
        "site_files": len(files),
        "load_avg": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="processes writing the term pages (this one and forked children; default 2)",
    )
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
            figures = measure(tree, args.workers, profile)
            print(json.dumps({"factor": factor, **figures}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
