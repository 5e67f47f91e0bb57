"""Fuzz the readers behind ``cimo validate`` and ``cimo map`` for a bounded time.

Valid small documents in every format ``cimo validate`` reads (Turtle, N-Triples,
N-Quads, TriG, RDF/XML, JSON-LD, each also gzipped), a CSV for ``cimo map`` and a
SPARQL JSON answer for ``cimo validate --endpoint`` are
mutated (bytes flipped, inserted, deleted, blocks repeated, syntax fragments
spliced in: brackets, DOCTYPEs, entities, escapes, quotes) and read through the same
functions the commands use. A case passes when it is read or refused with an
``InputError`` (or, for CSV, a ``ValueError`` message); anything else is a finding:
another exception, a crash of the process (a signal), a hang, or running out of the
memory limit. Each finding is saved under ``--out`` with its traceback.

The cases run in a child process, restarted after a crash, so one crash does not
end the run. Not part of ``make test``:

    .venv/bin/python bench/fuzz_validate.py --seconds 180 --out tests/output/fuzz
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import random
import resource
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

MEMORY_LIMIT = 2 << 30
HANG_SECONDS = 20.0
FRAGMENTS = [
    b'<!DOCTYPE r [<!ENTITY a "aaaa">]>',
    b"&a;",
    b"<!ENTITY",
    b"{" * 300,
    b"[" * 300,
    b'"@context": ',
    b'{"@context": {"@vocab": "x:"}}',
    b"\\u0000",
    b'"""',
    b"'''",
    b"<<",
    b">>",
    b"_:b",
    b"@prefix p: <x:> .",
    b"\x00",
    b"\xff\xfe",
    b"\x1b[31m",
    b"<rdf:Description>" * 50,
    b'rdf:parseType="Literal"',
    b"^^",
    b"@en-",
    b'"\\',
    b"\n",
    b" .",
    b";",
    b",",
    b"(",
    b")",
    b"]]>",
    b"<![CDATA[",
    b'{"@id": "',
    b'"@list": [',
    b'"@graph": [',
    b'"@type": "@json"',
    b"\\U0010FFFF",
    b"<http://[::1]>",
    b"<>",
    b"a" * 70_000,
    b'{"a": ' * 1000,
    b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;'
    b'&c;&c;">]>',
    b"&d;",
]


def seeds() -> dict[str, bytes]:
    import pyoxigraph as ox

    text = (ROOT / "examples" / "invalid" / "class-instance-mixups.ttl").read_bytes()
    triples = list(ox.parse(text, format=ox.RdfFormat.TURTLE))
    graph = ox.NamedNode("https://example.org/g")
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    out: dict[str, bytes] = {}
    for name, fmt, data in (
        ("ttl", ox.RdfFormat.TURTLE, triples),
        ("nt", ox.RdfFormat.N_TRIPLES, triples),
        ("nq", ox.RdfFormat.N_QUADS, quads),
        ("trig", ox.RdfFormat.TRIG, quads),
        ("rdf", ox.RdfFormat.RDF_XML, triples),
        ("jsonld", ox.RdfFormat.JSON_LD, triples),
    ):
        out[name] = ox.serialize(data, format=fmt) or b""
    out["srj"] = json.dumps(
        {
            "head": {"vars": ["x", "n"]},
            "results": {
                "bindings": [
                    {
                        "x": {"type": "uri", "value": "https://w3id.org/cimo/CIMO_0000001"},
                        "n": {
                            "type": "literal",
                            "value": "3",
                            "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                        },
                    },
                    {
                        "x": {"type": "bnode", "value": "nodeID://b1"},
                        "n": {"type": "literal", "value": "x", "xml:lang": "en"},
                    },
                ]
            },
        }
    ).encode()
    out["csv"] = b'id,label\nNCIT:C1702,x\nDRUGBANK:DB00073,y\n# comment\n\n"a,b",c\n'
    return out


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        action = rng.randrange(6)
        at = rng.randrange(len(buf) + 1) if rng.random() < 0.9 else buf.find(b"\n") + 1
        if action == 0 and buf:
            buf[min(at, len(buf) - 1)] = rng.randrange(256)
        elif action == 1:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif action == 2:
            del buf[at : at + rng.randint(1, 64)]
        elif action == 3 and buf:
            start = rng.randrange(len(buf))
            block = buf[start : start + rng.randint(1, 256)]
            buf[at:at] = block * rng.randint(1, 200)
        else:
            buf[at:at] = rng.choice(FRAGMENTS) * rng.choice((1, 1, 2, 10))
    return bytes(buf)


def run_case(path: Path, kind: str) -> None:
    """Read one case the way the commands do; raise only on a finding."""
    import csv

    import pyoxigraph as ox

    from cimo.cli.map import _column_reader
    from cimo.linking.errors import InputError
    from cimo.linking.validate.stream import scan

    if kind == "srj":
        from cimo.linking.validate.sparql import parse_answer

        with contextlib.suppress(InputError):
            parse_answer(path.read_bytes(), "http://127.0.0.1/sparql")
        return
    if kind == "csv":
        text = path.read_bytes().decode("utf-8", "replace")
        try:
            for column in ("1", "2", "id"):
                list(_column_reader(csv.reader(io.StringIO(text, newline="")), column, "x"))
        except ValueError:
            pass
        return
    store = ox.Store()
    with contextlib.suppress(InputError):
        scan([path], {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}, store.extend)


def worker(directory: Path, seed: int, deadline: float) -> None:
    """Run cases until the deadline; the current case is on disk in case we crash."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    rng = random.Random(seed)
    base = seeds()
    progress = directory / "progress"
    count = 0
    while time.time() < deadline:
        kind = rng.choice(sorted(base))
        data = mutate(base[kind], rng)
        compressed = kind not in ("csv", "srj") and rng.random() < 0.2
        name = f"case.{kind}" + (".gz" if compressed else "")
        path = directory / name
        path.write_bytes(gzip.compress(data) if compressed else data)
        (directory / "current").write_text(name)
        try:
            run_case(path, kind)
        except Exception:  # a finding: keep the input and the traceback
            kept = directory / f"finding-{seed}-{count}.{name}"
            kept.write_bytes(path.read_bytes())
            kept.with_name(kept.name + ".txt").write_text(traceback.format_exc())
        count += 1
        progress.write_text(str(count))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "output" / "fuzz-validate")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.worker:
        worker(args.out, args.seed, args.deadline)
        return 0
    for old in [*args.out.glob("finding-*"), *args.out.glob("crash-*")]:
        old.unlink()
    deadline = time.time() + args.seconds
    seed, cases, crashes = args.seed, 0, 0
    while time.time() < deadline:
        progress = args.out / "progress"
        progress.write_text("0")
        child = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                "--seed",
                str(seed),
                "--deadline",
                str(deadline),
                "--out",
                str(args.out),
            ]
        )
        last, last_change = "0", time.time()
        while child.poll() is None:
            time.sleep(0.5)
            now_text = progress.read_text() if progress.exists() else last
            if now_text != last:
                last, last_change = now_text, time.time()
            elif time.time() - last_change > HANG_SECONDS:
                child.kill()
                child.wait()
                break
        cases += int(last or 0)
        if child.returncode != 0:  # a crash, a hang or the memory limit: keep the case
            crashes += 1
            name = (args.out / "current").read_text()
            kept = args.out / f"crash-{seed}.{name}"
            kept.write_bytes((args.out / name).read_bytes())
            kept.with_name(kept.name + ".txt").write_text(
                f"worker ended with status {child.returncode} on this case\n"
            )
            cases += 1
        seed += 1
    findings = sorted(p.name for p in args.out.glob("*.txt"))
    print(
        json.dumps(
            {
                "seconds": args.seconds,
                "cases": cases,
                "crashes_or_hangs": crashes,
                "findings": findings,
            },
            indent=1,
        )
    )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
