"""Do the SPARQL examples give identical answers on pyoxigraph, rdflib and Virtuoso?

Usage: .venv/bin/python bench/virtuoso_answers.py [--build build] [--json FILE]

Loads cimo.ttl and cimo-edges.ttl into a private Virtuoso 7 on 127.0.0.1 (one
named graph, queried as the default graph), runs every example there and on
the two embedded engines, and compares the answers cell by cell with the
committed expected results. Disagreements are listed, never hidden.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import virtuoso_harness as virtuoso
from cimo.queries import OxigraphEngine, RdflibEngine, read_tsv

REPO = Path(__file__).resolve().parents[1]
GRAPH = "https://w3id.org/cimo/cimo.owl"


def virtuoso_rows(server: virtuoso.Virtuoso, text: str) -> list[tuple[str, ...]]:
    result = server.select(text, GRAPH)
    names = result["head"]["vars"]
    return sorted(
        tuple(b.get(n, {}).get("value", "") for n in names) for b in result["results"]["bindings"]
    )


def run(build: Path, pattern: str = "*.rq") -> dict:
    engines = {"pyoxigraph": OxigraphEngine(build), "rdflib": RdflibEngine(build)}
    rows = []
    start = time.perf_counter()
    with virtuoso.running() as server:
        started = time.perf_counter() - start
        server.load([build / "cimo.ttl", build / "cimo-edges.ttl"], GRAPH)
        for path in sorted((REPO / "queries").glob(pattern)):
            text = path.read_text(encoding="utf-8")
            expected = sorted(read_tsv(path.with_suffix(".tsv")).rows)
            answers = {name: sorted(e.run(text).rows) for name, e in engines.items()}
            answers["virtuoso"] = virtuoso_rows(server, text)
            differing = {
                name: {
                    "extra": sorted(set(a) - set(expected))[:5],
                    "missing": sorted(set(expected) - set(a))[:5],
                }
                for name, a in answers.items()
                if a != expected
            }
            rows.append({"query": path.stem, "identical": not differing, "differing": differing})
    return {
        "virtuoso_start_s": started,
        "queries": rows,
        "identical": sum(r["identical"] for r in rows),
        "total": len(rows),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=REPO / "build")
    parser.add_argument(
        "--queries", default="*.rq", help="which examples (a glob in queries/; --smoke takes a few)"
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if not virtuoso.available():
        print("virtuoso-opensource-7-bin is not installed (make test installs it)", file=sys.stderr)
        return 2
    result = run(args.build, args.queries)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    for row in result["queries"]:
        print(f"{row['query']:45s} {'identical' if row['identical'] else row['differing']}")
    print(f"{result['identical']}/{result['total']} examples identical on all three engines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
