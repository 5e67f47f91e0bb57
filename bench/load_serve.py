"""Load test of ``cimo serve`` on 127.0.0.1: term dereferences, then SPARQL lookups.

Starts ``cimo serve`` on a free port (the server process, with its query
workers), then drives it from this process with 32 concurrent keep-alive
clients (asyncio over raw sockets, so the generator is cheap and the numbers
measure the server): first term dereferences (HTML, Turtle and JSON-LD by
content negotiation, over every term), then simple SPARQL lookups (the label
of a term, JSON results, GET and POST). Every answer is checked (status,
media type, and that it is about the term asked for); any failure counts as
an error. Writes ``bench/serve-results.md`` with throughput, p50/p99 latency,
the CPU each process used, and whether the targets were met.

    python bench/load_serve.py [--duration 30] [--clients 32] [--out bench/serve-results.md]

Only 127.0.0.1 is contacted, the run is bounded by ``--duration``, and the
server is stopped at the end, also on error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"terms": 1000.0, "sparql": 500.0}
TERM_FORMS = (
    ("text/html", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
)
LABEL_QUERY = (
    "SELECT ?label WHERE {{ <https://w3id.org/cimo/{local}> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
)
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


# -- the server ------------------------------------------------------------------
def start_server(build: Path, workers: int) -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable,
        "-m",
        "cimo.cli.main",
        "serve",
        "--port",
        "0",
        "--build",
        str(build),
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"at (http://127\.0\.0\.1:\d+)/cimo/", line)
    if not match:
        stop_server(proc)
        raise SystemExit(f"cimo serve did not start: {line!r}")
    return proc, match.group(1)


def stop_server(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def tree_cpu(pid: int) -> float:
    """CPU seconds used by a process and its children (the query workers)."""
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


# -- the clients -------------------------------------------------------------------
async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


def term_request(host: str, terms: list[str], rnd: random.Random) -> tuple[bytes, object]:
    local = rnd.choice(terms)
    accept, expected = rnd.choice(TERM_FORMS)
    request = (
        f"GET /cimo/{local} HTTP/1.1\r\nHost: {host}\r\nAccept: {accept}\r\n"
        "Accept-Encoding: identity\r\n\r\n"
    ).encode()
    # JSON-LD compacts the IRI to a CURIE; HTML and Turtle name the term's file or IRI.
    return request, (expected, (local.encode(), local.replace("_", ":").encode()))


def sparql_request(host: str, terms: list[str], rnd: random.Random) -> tuple[bytes, object]:
    local = rnd.choice(terms)
    query = LABEL_QUERY.format(local=local)
    if rnd.random() < 0.5:
        request = (
            f"GET /sparql?query={quote(query)} HTTP/1.1\r\nHost: {host}\r\n"
            "Accept: application/sparql-results+json\r\n\r\n"
        ).encode()
    else:
        body = query.encode()
        request = (
            f"POST /sparql HTTP/1.1\r\nHost: {host}\r\n"
            "Accept: application/sparql-results+json\r\n"
            f"Content-Type: application/sparql-query\r\nContent-Length: {len(body)}"
            "\r\n\r\n"
        ).encode() + body
    return request, ("application/sparql-results+json", (b'"bindings":[{"label"',))


def check(status: int, headers: dict[str, str], body: bytes, expected: object) -> str | None:
    media, markers = expected  # type: ignore[misc]
    if status != 200:
        return f"status {status}: {body[:120]!r}"
    if not headers.get("content-type", "").startswith(media):
        return f"content type {headers.get('content-type')} (wanted {media})"
    if not any(marker in body for marker in markers):
        return f"answer lacks {markers[0]!r}"
    return None


async def client(
    url: str, make: object, terms: list[str], stop_at: float, phase: Phase, seed: int
) -> None:
    host_port = url.removeprefix("http://")
    host, port = host_port.split(":")
    rnd = random.Random(seed)
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        while time.perf_counter() < stop_at:
            request, expected = make(host_port, terms, rnd)  # type: ignore[operator]
            start = time.perf_counter()
            writer.write(request)
            status, headers, body = await read_response(reader)
            phase.latencies.append(time.perf_counter() - start)
            problem = check(status, headers, body, expected)
            if problem:
                phase.errors.append(problem)
    except (OSError, asyncio.IncompleteReadError) as err:
        phase.errors.append(f"connection failed: {err!r}")
    finally:
        writer.close()


async def run_phase(
    url: str,
    make: object,
    terms: list[str],
    clients: int,
    seconds: float,
    phase: Phase,
    server_pid: int,
) -> None:
    cpu_server, cpu_client = tree_cpu(server_pid), time.process_time()
    start = time.perf_counter()
    stop_at = start + seconds
    await asyncio.gather(
        *(client(url, make, terms, stop_at, phase, seed) for seed in range(clients))
    )
    phase.seconds = time.perf_counter() - start
    phase.server_cpu = tree_cpu(server_pid) - cpu_server
    phase.client_cpu = time.process_time() - cpu_client


# -- the report --------------------------------------------------------------------
def explain(phase: Phase, target: float) -> str:
    if phase.errors:
        return f"{len(phase.errors)} errors, first: {phase.errors[0]}"
    if phase.throughput >= target:
        return "met"
    server = phase.server_cpu / phase.seconds * 100
    client = phase.client_cpu / phase.seconds * 100
    cores = os.cpu_count() or 1
    if server + client >= 90 * cores:
        why = (
            f"the machine's {cores} cores were saturated (server {server:.0f}% CPU, load "
            f"generator {client:.0f}%): the server and the generator compete for them"
        )
    elif server >= 90:
        why = (
            f"the server process was CPU-bound ({server:.0f}% CPU): Python's HTTP handling "
            "runs under one interpreter lock"
        )
    else:
        why = f"neither process was CPU-bound (server {server:.0f}%, generator {client:.0f}%)"
    return f"MISSED (target {target:,.0f}/s): {why}"


def report(phases: list[Phase], args: argparse.Namespace, terms: int) -> str:
    lines = [
        "# `cimo serve` under load",
        "",
        f"Generated by `python bench/load_serve.py --duration {args.duration:g} "
        f"--clients {args.clients}`: {args.clients} concurrent keep-alive clients on "
        "127.0.0.1, the load generator in its own process. Machine: "
        f"{os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}; server: {args.workers} SPARQL workers; load "
        f"average before the run {args.load_before:.2f} (other work on the machine "
        "takes CPU from both processes).",
        "",
        f"- **terms**: `GET /cimo/CIMO_nnnnnnn` over all {terms} terms, Accept "
        "`text/html`, `text/turtle` or `application/ld+json` (content negotiation).",
        "- **sparql**: the label of a random term, `application/sparql-results+json`, "
        "half GET (`?query=`), half POST (`application/sparql-query`).",
        "",
        "| load | requests | errors | seconds | requests/s | p50 ms | p99 ms | "
        "server CPU | generator CPU | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for phase in phases:
        target = TARGETS[phase.name]
        lines.append(
            f"| {phase.name} | {len(phase.latencies):,} | {len(phase.errors)} | "
            f"{phase.seconds:.1f} | {phase.throughput:,.0f} | {phase.percentile(50):.2f} | "
            f"{phase.percentile(99):.2f} | {phase.server_cpu / phase.seconds * 100:.0f}% | "
            f"{phase.client_cpu / phase.seconds * 100:.0f}% | "
            f"{explain(phase, target)} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration",
        type=float,
        default=30.0,
        help="seconds of load in all, split between the two loads",
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="SPARQL workers of the server")
    parser.add_argument("--build", type=Path, default=REPO / "build")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "serve-results.md")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= 600 or not 0 < args.clients <= 256:
        parser.error("--duration must be in (0, 600] and --clients in (0, 256]")
    terms = sorted(p.stem for p in (args.build / "site").glob("CIMO_*.html"))
    if not terms:
        parser.error(f"no term pages in {args.build}/site: run `cimo build` first")
    args.load_before = os.getloadavg()[0]
    proc, url = start_server(args.build, args.workers)
    phases = [Phase("terms"), Phase("sparql")]
    try:
        for phase, make in zip(phases, (term_request, sparql_request), strict=True):
            asyncio.run(
                run_phase(url, make, terms, args.clients, args.duration / 2, phase, proc.pid)
            )
    finally:
        stop_server(proc)
    text = report(phases, args, len(terms))
    args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    summary = {
        p.name: {
            "requests": len(p.latencies),
            "errors": len(p.errors),
            "per_second": round(p.throughput, 1),
        }
        for p in phases
    }
    print(json.dumps(summary))
    return 1 if any(p.errors for p in phases) else 0


if __name__ == "__main__":
    sys.exit(main())
