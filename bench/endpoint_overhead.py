"""What does the HTTP endpoint cost over calling pyoxigraph in-process?

Usage: .venv/bin/python bench/endpoint_overhead.py [--repeat N] [--json FILE]

Starts `cimo serve` on a free 127.0.0.1 port (a second process) and runs every
SPARQL example both ways, alternating, after a warm-up: POSTed to /sparql
(JSON results, parsed by the client) and through an in-process pyoxigraph
store loaded with the same files. The median per query and the ratio
endpoint / in-process are reported; answers are checked to be the same.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_serve import start_server, stop_server

from cimo.queries import OxigraphEngine

REPO = Path(__file__).resolve().parents[1]


def over_http(base: str, text: str) -> list[tuple[str, ...]]:
    request = urllib.request.Request(
        f"{base}/sparql",
        data=text.encode("utf-8"),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        result = json.loads(response.read())
    names = result["head"]["vars"]
    return [
        tuple(b.get(n, {}).get("value", "") for n in names) for b in result["results"]["bindings"]
    ]


def timed(func: object, *args: object) -> tuple[float, object]:
    start = time.perf_counter()
    value = func(*args)  # type: ignore[operator]
    return time.perf_counter() - start, value


def run(build: Path, repeat: int, pattern: str = "*.rq") -> dict:
    engine = OxigraphEngine(build)
    proc, base = start_server(build, workers=2)
    rows = []
    try:
        for path in sorted((REPO / "queries").glob(pattern)):
            text = path.read_text(encoding="utf-8")
            direct_rows = sorted(engine.run(text).rows)
            if sorted(over_http(base, text)) != direct_rows:
                raise SystemExit(f"the endpoint answers {path.name} differently")
            http, direct = [], []
            for _ in range(repeat):
                http.append(timed(over_http, base, text)[0])
                direct.append(timed(engine.run, text)[0])
            h, d = statistics.median(http), statistics.median(direct)
            rows.append(
                {
                    "query": path.stem,
                    "endpoint_ms": h * 1000,
                    "in_process_ms": d * 1000,
                    "ratio": h / d,
                }
            )
    finally:
        stop_server(proc)
    total_h = sum(r["endpoint_ms"] for r in rows)
    total_d = sum(r["in_process_ms"] for r in rows)
    return {
        "queries": rows,
        "overall_ratio": total_h / total_d,
        "median_added_ms": statistics.median(r["endpoint_ms"] - r["in_process_ms"] for r in rows),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--build", type=Path, default=REPO / "build")
    parser.add_argument(
        "--queries", default="*.rq", help="which examples (a glob in queries/; --smoke takes a few)"
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    result = run(args.build, args.repeat, args.queries)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    for row in result["queries"]:
        print(
            f"{row['query']:45s} endpoint {row['endpoint_ms']:7.2f} ms  "
            f"in-process {row['in_process_ms']:7.2f} ms  x{row['ratio']:.1f}"
        )
    print(
        f"overall endpoint/in-process: {result['overall_ratio']:.1f}x; median added "
        f"{result['median_added_ms']:.2f} ms per query"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
