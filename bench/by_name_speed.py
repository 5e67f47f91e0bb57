"""Speed and quality of ``cimo map --by-name``; writes bench/by-name-results.md.

Usage: .venv/bin/python bench/by_name_speed.py [--names N] [--output FILE]

Three figures:
- the matcher alone on N *distinct* names (each evaluation name with its own dose
  appended, so no name is seen twice and the per-run cache never helps);
- the matcher on N names drawn from the evaluation set with repeats, as a trial
  registry's intervention column repeats the same few names (cache on, as in the CLI);
- the command end to end (``cimo map --by-name --input FILE``: start-up, reading the
  ontology, indexing, matching and writing TSV) on the repeating file.
Precision and recall come from the evaluation set, computed, not copied.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from cimo.linking.by_name import NameIndex, NameMatcher  # noqa: E402
from cimo.linking.catalog import load_catalog  # noqa: E402
from cimo.linking.name_eval import read_cases, score  # noqa: E402

EVALUATION = REPO / "tests" / "fixtures" / "by_name" / "registry-names.tsv"


def machine() -> str:
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores shared with other work (1-minute load average "
        f"{load:.1f} at the start), {platform.python_implementation()} "
        f"{platform.python_version()}"
    )


def rate(matcher: NameMatcher, names: list[str]) -> float:
    best = 0.0
    for _ in range(3):
        matcher._cache = {} if matcher._cache is not None else None
        start = time.perf_counter()
        for name in names:
            matcher.match(name)
        best = max(best, len(names) / (time.perf_counter() - start))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=200_000)
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "by-name-results.md")
    args = parser.parse_args()
    conditions = machine()
    started = time.perf_counter()
    catalog = load_catalog(sorted((REPO / "ontology").glob("*.ttl")))
    index = NameIndex.from_catalog(catalog)
    index_seconds = time.perf_counter() - started
    cases = read_cases(EVALUATION)
    base = [c.name for c in cases]
    distinct = [f"{base[i % len(base)]} {i} mg" for i in range(args.names)]
    repeated = [base[i % len(base)] for i in range(args.names)]
    cold = rate(NameMatcher(index, cache=False), distinct)
    warm = rate(NameMatcher(index, cache=True), repeated)
    with tempfile.TemporaryDirectory() as tmp:
        names_file = Path(tmp) / "names.txt"
        names_file.write_text("\n".join(repeated) + "\n", encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "cimo.cli.main", "map", "--by-name", "--input", str(names_file)],
            cwd=REPO,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(REPO / "scripts")},
        )
        cli_seconds = time.perf_counter() - start
    quality = score(cases, NameMatcher(index))
    lines = [
        "# `cimo map --by-name`",
        "",
        f"Machine: {conditions}. Command: `.venv/bin/python bench/by_name_speed.py "
        f"--names {args.names}`.",
        "",
        f"Index: {len(index.names):,} name keys from the source ontology, read and indexed "
        f"in {index_seconds:.2f} s.",
        "",
        "| measure | names | names per second |",
        "|---|---:|---:|",
        f"| matcher, distinct names (no cache) | {len(distinct):,} | {cold:,.0f} |",
        f"| matcher, registry-like repeats (cache) | {len(repeated):,} | {warm:,.0f} |",
        f"| CLI end to end, file in, TSV out (exit {done.returncode}) | {len(repeated):,} | "
        f"{len(repeated) / cli_seconds:,.0f} |",
        "",
        f"Evaluation set ({len(cases)} names, `{EVALUATION.relative_to(REPO)}`): precision "
        f"{quality.precision:.1%} ({quality.true_positives} right, "
        f"{quality.false_positives} wrong), recall {quality.recall:.1%} "
        f"({quality.false_negatives} expected matches not found).",
        "",
    ]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
