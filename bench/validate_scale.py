"""Measure `cimo validate` at growing sizes and against plain pyshacl.

Writes bench/validate-results.md.

Usage: .venv/bin/python bench/validate_scale.py [--sizes 10000,100000,1000000]
       [--compare-at 10000] [--repeat 3] [--output bench/validate-results.md]

The data is a synthetic but realistic linked dataset, generated with a fixed
seed: formulary products typed with CIMO drugs and keyed by DrugBank-style
IDs, indications typed with CIMO diseases, fictitious trials whose arms are
CIMO therapies linked to products and indications, plus plain literals. One
unit in 50 carries a deliberate mistake (unknown ID, deprecated term, wrong
branch, class used as an instance, literal object), so every check has work.

Each measurement is a separate `cimo validate FILE --report R -q -v` process:
wall clock from start to exit, peak RSS from the kernel (wait4), and the
phase times the command prints with -v. pyshacl is timed the same way
(`--engine pyshacl`: plain pyshacl, the same shapes, the data merged with
CIMO's term graph), and both reports are compared result by result.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from cimo.linking.catalog import TERM_PREFIX, Catalog, load_catalog  # noqa: E402

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
TITLE = "<http://purl.org/dc/terms/title>"
DRUG_CLASS = "<https://schema.org/Drug>"
DRUGBANK_ID = "<https://example.org/formulary/vocab#drugbankId>"
ENROLMENT = "<https://example.org/trial/vocab#plannedEnrolment>"
EX = "https://example.org/"
EVALUATES, AGENT, TREATS, TARGET = (f"<{TERM_PREFIX}00000{n:02d}>" for n in (9, 5, 6, 3))
ERROR_EVERY = 50
TARGETS = {"max_seconds_1m": 15.0, "max_rss_mb_1m": 1024.0, "min_speedup": 50.0}


def _below(catalog: Catalog, root: str) -> list[str]:
    """Live classes under ``root`` (a CIMO number, or the IRI of a reused class)."""
    top = root if root.startswith("http") else TERM_PREFIX + root
    classes = {iri for iri, term in catalog.terms.items() if term.is_class and not term.deprecated}
    classes |= {iri for iri in catalog.parents if not iri.startswith(TERM_PREFIX)}
    return sorted(iri for iri in classes if top in catalog.ancestors_or_self(iri))


def generate(path: Path, size: int, catalog: Catalog, seed: int = 20261122) -> None:
    """Write exactly ``size`` N-Triples lines of synthetic linked data."""
    rng = random.Random(seed)
    drugs, diseases = (
        _below(catalog, "0000106"),
        _below(catalog, "http://purl.obolibrary.org/obo/MONDO_0000001"),
    )
    therapies, antigens = _below(catalog, "0000018"), _below(catalog, "0000076")
    written = 0
    with path.open("w", encoding="utf-8") as out:
        unit = 0
        while written < size:
            lines = _unit(unit, rng, drugs, diseases, therapies, antigens)
            for line in lines[: size - written]:
                out.write(line + "\n")
            written += min(len(lines), size - written)
            unit += 1


def _unit(
    n: int,
    rng: random.Random,
    drugs: list[str],
    diseases: list[str],
    therapies: list[str],
    antigens: list[str],
) -> list[str]:
    product, indication = f"<{EX}formulary/product/{n}>", f"<{EX}indication/{n}>"
    trial, target = f"<{EX}trial/EX-{n:07d}>", f"<{EX}antigen/{n}>"
    arms = [f"<{EX}trial-arm/EX-{n:07d}-{side}>" for side in "AB"]
    drug, disease = rng.choice(drugs), rng.choice(diseases)
    lines = [
        f"{product} {RDF_TYPE} {DRUG_CLASS} .",
        f"{product} {RDF_TYPE} <{drug}> .",
        f'{product} {LABEL} "formulary product {n}"@en .',
        f'{product} {DRUGBANK_ID} "DB{n % 100000:05d}" .',
        f"{product} {TARGET} {target} .",
        f"{target} {RDF_TYPE} <{rng.choice(antigens)}> .",
        f"{indication} {RDF_TYPE} <{disease}> .",
        f'{indication} {LABEL} "indication {n}"@en .',
        f"{trial} {RDF_TYPE} <{TERM_PREFIX}0000046> .",
        f'{trial} {TITLE} "EX-{n:07d}: fictitious study {n} (synthetic data)" .',
    ]
    for arm in arms:
        lines += [
            f"{trial} {EVALUATES} {arm} .",
            f"{arm} {RDF_TYPE} <{rng.choice(therapies)}> .",
            f"{arm} {AGENT} {product} .",
            f"{arm} {TREATS} {indication} .",
            f'{arm} {ENROLMENT} "{rng.randint(10, 400)}"'
            "^^<http://www.w3.org/2001/XMLSchema#integer> .",
        ]
    if n % ERROR_EVERY == ERROR_EVERY - 1:
        lines += _mistake(n // ERROR_EVERY, arms[0], product, indication)
    return lines


def _mistake(kind: int, arm: str, product: str, indication: str) -> list[str]:
    """One deliberate mistake, cycling through what cimo validate reports."""
    mistakes = [
        f"{arm} {RDF_TYPE} <{TERM_PREFIX}00000039> .",  # unknown: extra zero
        f"{arm} {RDF_TYPE} <{TERM_PREFIX}0000177> .",  # deprecated
        f"{product} {TARGET} {indication} .",  # wrong branch
        f"{arm} {AGENT} <{TERM_PREFIX}0000110> .",  # class as instance
        f'{arm} {TREATS} "melanoma" .',  # literal object
    ]
    return [mistakes[kind % len(mistakes)]]


@dataclass
class Run:
    wall: float
    rss_mb: float
    phases: dict[str, float]
    kept: int
    summary: str
    code: int


FLOOR = (
    "import sys, pyoxigraph as ox\n"
    "n = sum(1 for _ in ox.parse(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES))\n"
    "print(f'parsed {n} triples')"
)


def _tree_rss_kb(pid: int) -> int:
    """Resident set of ``pid`` and all its descendants (the query workers), in kB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status", encoding="utf-8") as status:
                total += next(
                    (int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0
                )
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="utf-8") as kids:
                    pending.extend(int(child) for child in kids.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue  # exited between two reads
    return total


def _sample_peak(pid: int, peak: list[int], done: threading.Event) -> None:
    while not done.wait(0.05):
        peak[0] = max(peak[0], _tree_rss_kb(pid))


def measure(args: list[str], command: list[str] | None = None) -> Run:
    """Run ``cimo`` (or ``command``) as its own process; wall clock and peak RSS.

    The peak is the larger of the process's own peak (from the kernel) and the sum,
    sampled every 50 ms, of the resident sets of the process and its worker processes:
    the kernel reports the largest one process, not their sum."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            command or [sys.executable, "-m", "cimo.cli.main", *args],
            cwd=REPO,
            stdout=out,
            stderr=err,
            text=True,
        )
        peak, done = [0], threading.Event()
        sampler = threading.Thread(target=_sample_peak, args=(process.pid, peak, done))
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if code not in (0, 1):
        raise RuntimeError(f"cimo {' '.join(args)} failed ({code}): {stderr}")
    phases = {
        m.group(1): float(m.group(2))
        for m in re.finditer(r"^\s+(.+): ([\d.]+) s$", stderr, re.MULTILINE)
    }
    kept = re.search(r"^\s+store: (\d+) triples", stderr, re.MULTILINE)
    return Run(
        wall,
        max(usage.ru_maxrss, peak[0]) / 1024,
        phases,
        int(kept.group(1)) if kept else 0,
        stdout.strip().splitlines()[-1],
        code,
    )


def results_of(report: Path) -> set[tuple[str, str, str]]:
    store = ox.Store()
    store.load(path=str(report), format=ox.RdfFormat.TURTLE)
    query = """PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?shape ?component ?focus WHERE {
          ?r a sh:ValidationResult ; sh:sourceShape ?shape ;
             sh:sourceConstraintComponent ?component ; sh:focusNode ?focus }"""
    return {(str(s["shape"]), str(s["component"]), str(s["focus"])) for s in store.query(query)}  # type: ignore[union-attr]


def machine() -> str:
    memory = 0
    cpu = platform.processor() or "unknown CPU"
    with open("/proc/meminfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1])
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory / 1024 / 1024:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}, CPython {platform.python_version()}, "
        f"pyoxigraph {version('pyoxigraph')}, pyshacl {version('pyshacl')}; load average "
        f"{load:.2f} when the run started (other work on the machine slows every figure)"
    )


def _verdict(summary: str) -> str:
    """'does not conform: 9 violations (...)' -> '9 violations'; 'conforms: ...' -> 'conforms'."""
    found = re.search(r"(\d+ violations?)", summary)
    return found.group(1) if found else "conforms"


def _median(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda r: r.wall)
    return ordered[len(ordered) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="comma-separated triple counts"
    )
    parser.add_argument(
        "--compare-at",
        type=int,
        default=10_000,
        help="size at which plain pyshacl is timed too (0: skip)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (median reported)")
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "validate-results.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    catalog = load_catalog(
        sorted((REPO / "ontology").glob("*.ttl"))
        + sorted((REPO / "ontology" / "imports").glob("*.tsv"))
    )
    command = (
        f".venv/bin/python bench/validate_scale.py --sizes {args.sizes} "
        f"--compare-at {args.compare_at} --repeat {args.repeat}"
    )
    rows, agreement = [], None
    floors: dict[int, Run] = {}
    with tempfile.TemporaryDirectory(prefix="cimo-validate-bench-") as tmp:
        folder = Path(tmp)
        for size in sorted(set(sizes) | ({args.compare_at} if args.compare_at else set())):
            data = folder / f"data-{size}.nt"
            generate(data, size, catalog)
            report = folder / f"report-{size}.ttl"
            runs = [
                measure(["validate", str(data), "--report", str(report), "-q", "-v"])
                for _ in range(args.repeat)
            ]
            floor = _median(
                [measure([], [sys.executable, "-c", FLOOR, str(data)]) for _ in range(args.repeat)]
            )
            if size in sizes:
                rows.append((size, _median(runs), runs))
                floors[size] = floor
            if size == args.compare_at:
                reference = folder / f"reference-{size}.ttl"
                slow = measure(
                    [
                        "validate",
                        "--engine",
                        "pyshacl",
                        str(data),
                        "--report",
                        str(reference),
                        "-q",
                        "-v",
                    ]
                )
                same = results_of(report) == results_of(reference)
                agreement = (size, _median(runs), slow, same, len(results_of(report)))
            data.unlink()
    lines = _markdown(command, rows, agreement, floors)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0 if agreement is None or agreement[3] else 1


def _markdown(
    command: str,
    rows: list[tuple[int, Run, list[Run]]],
    agreement: tuple[int, Run, Run, bool, int] | None,
    floors: dict[int, Run],
) -> list[str]:
    lines = [
        "# `cimo validate` at scale",
        "",
        f"Machine: {machine()}.",
        "",
        f"Reproduce: `{command}`",
        "",
        "Each figure is the median of the runs of a separate `cimo validate FILE --report "
        "R -q -v` process on generated N-Triples (wall clock, start to exit, including "
        "interpreter start-up, reading the ontology and the shapes, and writing the SHACL "
        "report); peak RSS is the largest total resident set of the process and its query "
        "workers (sampled every 50 ms), or the process's own peak if that is larger.",
        "",
        "| triples | wall s (median) | all runs s | peak RSS MB | stream+load s | "
        "term checks s | shape checks s | triples in store | result |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size, run, runs in rows:
        lines.append(
            f"| {size:,} | {run.wall:.2f} | {', '.join(f'{r.wall:.2f}' for r in runs)} | "
            f"{run.rss_mb:.0f} | {run.phases.get('stream and load', 0):.2f} | "
            f"{run.phases.get('term checks', 0):.2f} | {run.phases.get('shape checks', 0):.2f} | "
            f"{run.kept:,} | {_verdict(run.summary)} |"
        )
    if rows:
        largest = rows[-1]
        lines += [
            "",
            "Growth: "
            + ", ".join(
                f"{r.wall / size * 1e6:.1f} s per million triples at {size:,}"
                for size, r, _ in rows
            )
            + ".",
        ]
        if largest[0] >= 1_000_000:
            ok = (
                largest[1].wall <= TARGETS["max_seconds_1m"]
                and largest[1].rss_mb < TARGETS["max_rss_mb_1m"]
            )
            lines += [
                "",
                "Target for 1,000,000 triples: at most "
                f"{TARGETS['max_seconds_1m']:.0f} s and under "
                f"{TARGETS['max_rss_mb_1m']:.0f} MB RSS: "
                f"{'met' if ok else 'NOT met'} ({largest[1].wall:.2f} s, "
                f"{largest[1].rss_mb:.0f} MB).",
            ]
    if floors:
        lines += [
            "",
            "## Against the floor: streaming-parsing the same file with oxigraph",
            "",
            "`pyoxigraph.parse` over the N-Triples file, counting triples, in its own "
            "process: no check can be faster than reading the data.",
            "",
            "| triples | parse only s | peak RSS MB | cimo validate s | ratio |",
            "|---|---|---|---|---|",
        ]
        for size, run, _ in rows:
            floor = floors[size]
            lines.append(
                f"| {size:,} | {floor.wall:.2f} | {floor.rss_mb:.0f} | {run.wall:.2f} "
                f"| {run.wall / floor.wall:.1f}x |"
            )
    if agreement:
        size, fast, slow, same, count = agreement
        speedup = slow.wall / fast.wall
        engine = slow.phases.get("pyshacl", 0.0)
        fast_engine = sum(fast.phases.values())
        lines += [
            "",
            f"## Against plain pyshacl at {size:,} triples",
            "",
            "Same data, same shapes (`shapes/data/*.ttl`), data merged with CIMO's term "
            "graph, no inference: `cimo validate --engine pyshacl`.",
            "",
            "| engine | wall s | validation only s | peak RSS MB |",
            "|---|---|---|---|",
            f"| cimo validate | {fast.wall:.2f} | {fast_engine:.2f} | {fast.rss_mb:.0f} |",
            f"| plain pyshacl | {slow.wall:.2f} | {engine:.2f} | {slow.rss_mb:.0f} |",
            "",
            f"Speed-up: {speedup:.0f}x wall clock, "
            f"{engine / fast_engine if fast_engine else float('inf'):.0f}x validation "
            f"only (target: at least {TARGETS['min_speedup']:.0f}x). "
            f"Results: {'identical' if same else 'DIFFERENT'} ({count} results each).",
        ]
    return lines


if __name__ == "__main__":
    sys.exit(main())
