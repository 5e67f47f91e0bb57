"""Do slow SPARQL queries starve quick ones? Latency of a simple ASK while two clients
keep the endpoint busy with slow queries.

Starts ``cimo serve`` (2 main workers, the quick lane on, time limit 5 s) on a free
port. Two "slow" clients, from the local addresses 127.0.0.2 and 127.0.0.3 (distinct
clients, as two hosts on the internet would be), each send a cross-product COUNT that
runs until the time limit, one after the other, for the whole run. Meanwhile a third
client on 127.0.0.1 sends ``ASK { ?s ?p ?o }`` back to back, one at a time. Reports the
ASK latencies (p50, p99, max), how many ASKs failed, and how many slow queries ran, and
writes ``bench/quick-lane-results.md``.

    python bench/quick_lane.py [--duration 30] [--build build] [--quick-workers 1]

``--quick-workers 0`` measures the same load without the quick lane, for comparison.
Only 127.0.0.x is contacted; the run is bounded by ``--duration``; the server is
stopped at the end, also on error.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
ASK = "/sparql?query=" + quote("ASK { ?s ?p ?o }")
SLOW = "/sparql?query=" + quote(
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
)
TARGET_P99_MS = 100.0


def start(build: Path, quick_workers: int) -> tuple[subprocess.Popen[str], str, int]:
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
        "2",
        "--quick-workers",
        str(quick_workers),
        "--timeout",
        "5",
    ]
    proc = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert proc.stdout is not None
    match = re.search(r"at http://127\.0\.0\.1:(\d+)/cimo/", proc.stdout.readline())
    if not match:
        stop(proc)
        raise SystemExit("cimo serve did not start")
    return proc, "127.0.0.1", int(match.group(1))


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def get(
    port: int, source: str, path: str, conn: http.client.HTTPConnection | None = None
) -> tuple[int, http.client.HTTPConnection]:
    conn = conn or http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status, conn


def run(build: Path, duration: float, quick_workers: int) -> dict[str, object]:
    proc, _, port = start(build, quick_workers)
    stop_at = time.monotonic() + duration
    slow_done: list[int] = []

    def slow_client(source: str) -> None:
        while time.monotonic() < stop_at:
            try:
                slow_done.append(get(port, source, SLOW)[0])
            except OSError:
                slow_done.append(0)

    try:
        slow = [
            threading.Thread(target=slow_client, args=(s,), daemon=True)
            for s in ("127.0.0.2", "127.0.0.3")
        ]
        for thread in slow:
            thread.start()
        time.sleep(1.0)  # let the slow queries occupy the main workers first
        latencies, errors, conn = [], 0, None
        while time.monotonic() < stop_at:
            began = time.perf_counter()
            try:
                status, conn = get(port, "127.0.0.1", ASK, conn)
            except OSError:
                status, conn = 0, None
            latencies.append((time.perf_counter() - began) * 1000)
            errors += status != 200
            time.sleep(0.01)
        for thread in slow:
            thread.join(timeout=10)
    finally:
        stop(proc)
    latencies.sort()
    return {
        "asks": len(latencies),
        "errors": errors,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "max": latencies[-1],
        "slow": len(slow_done),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--build", type=Path, default=REPO / "build")
    parser.add_argument(
        "--quick-workers",
        type=int,
        default=None,
        help="measure only this setting (default: 1, then 0 for comparison)",
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "quick-lane-results.md")
    args = parser.parse_args(argv)
    settings = [args.quick_workers] if args.quick_workers is not None else [1, 0]
    load = os.getloadavg()[0]
    rows = []
    for quick in settings:
        result = run(args.build, args.duration, quick)
        met = "met" if result["p99"] < TARGET_P99_MS and not result["errors"] else "not met"
        rows.append(
            f"| {quick} | {result['asks']:,} | {result['errors']} | {result['p50']:.1f} "
            f"| {result['p99']:.1f} | {result['max']:.1f} | {result['slow']} | {met} |"
        )
        print(rows[-1], flush=True)
    args.out.write_text(
        "# Quick queries while two clients run slow ones\n\n"
        f"Generated by `python bench/quick_lane.py --duration {args.duration:g}`. Machine: "
        f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
        f"load average before the run {load:.2f} (other work on the machine takes CPU). "
        "Server: 2 main workers, time limit 5 s. Two clients (127.0.0.2, 127.0.0.3) each "
        "run a cross-product COUNT that lasts until the time limit, back to back; a third "
        "(127.0.0.1) sends `ASK { ?s ?p ?o }` one at a time, 10 ms apart.\n\n"
        "| quick workers | ASKs | failed | p50 ms | p99 ms | max ms | slow queries | "
        f"p99 < {TARGET_P99_MS:g} ms |\n|---:|---:|---:|---:|---:|---:|---:|---|\n"
        + "\n".join(rows)
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
