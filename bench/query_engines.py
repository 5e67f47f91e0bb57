"""Run the SPARQL examples on pyoxigraph and rdflib, side by side in one run.

Usage: .venv/bin/python bench/query_engines.py [--repeat N] [--build build]

Each query runs N times on each engine, alternating engines, after one warm-up
run; the median per query is reported with the ratio rdflib / pyoxigraph, so the
comparison holds on a noisy shared machine. Answers are checked against the
committed expected results before any timing is trusted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from cimo.queries import OxigraphEngine, RdflibEngine, read_tsv

REPO = Path(__file__).resolve().parents[1]


def time_query(engine: OxigraphEngine | RdflibEngine, text: str) -> float:
    start = time.perf_counter()
    engine.run(text)
    return time.perf_counter() - start


def run(build: Path, repeat: int, pattern: str = "*.rq") -> dict:
    engines = {"pyoxigraph": OxigraphEngine(build), "rdflib": RdflibEngine(build)}
    rows = []
    for path in sorted((REPO / "queries").glob(pattern)):
        text = path.read_text(encoding="utf-8")
        expected = sorted(read_tsv(path.with_suffix(".tsv")).rows)
        for name, engine in engines.items():
            got = sorted(engine.run(text).rows)
            if got != expected:
                raise SystemExit(f"{name} gives a wrong answer for {path.name}")
        samples: dict[str, list[float]] = {name: [] for name in engines}
        for _ in range(repeat):
            for name, engine in engines.items():
                samples[name].append(time_query(engine, text))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        rows.append(
            {
                "query": path.stem,
                **{f"{k}_ms": v * 1000 for k, v in medians.items()},
                "ratio": medians["rdflib"] / medians["pyoxigraph"],
            }
        )
    total = {name: sum(r[f"{name}_ms"] for r in rows) for name in engines}
    return {
        "queries": rows,
        "total_ms": total,
        "overall_ratio": total["rdflib"] / total["pyoxigraph"],
        "geomean_ratio": statistics.geometric_mean(r["ratio"] for r in rows),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--build", type=Path, default=REPO / "build")
    parser.add_argument(
        "--queries", default="*.rq", help="which examples (a glob in queries/; --smoke takes a few)"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    args = parser.parse_args()
    result = run(args.build, args.repeat, args.queries)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    for row in result["queries"]:
        print(
            f"{row['query']:45s} oxigraph {row['pyoxigraph_ms']:8.2f} ms  "
            f"rdflib {row['rdflib_ms']:8.2f} ms  x{row['ratio']:.1f}"
        )
    print(
        f"overall: rdflib/pyoxigraph = {result['overall_ratio']:.1f}x "
        f"(geometric mean per query {result['geomean_ratio']:.1f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
