"""Fuzz the HTTP request parsing of ``cimo serve`` for a bounded time.

Starts ``cimo serve`` on a free port (request deadline 2 s) and sends it mutated
requests over raw sockets, from a seed set of valid ones (term dereference, SPARQL
GET, form POST, direct POST, OPTIONS, HEAD). Mutations: byte flips, inserted and
deleted bytes, control characters and non-ASCII in the request line and headers,
duplicated and contradictory Content-Length / Transfer-Encoding, wrong lengths,
truncation, very long lines, many headers, and requests sent in slow pieces.

For every request it checks that the server answers (or closes) in time, that the
answer is a well-formed HTTP/1.1 status line, that no status is 500 or more except
the documented query-engine answers, and that the security headers are there. At the
end it checks that the server still answers and that its stderr holds no traceback.
Findings (one example per kind) go to ``bench/fuzz-results.md``.

    python bench/fuzz_http.py [--duration 60] [--seed 1] [--build build]

Not part of the tests or CI: it runs as long as asked. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
QUERY = "SELECT ?l WHERE { <https://w3id.org/cimo/CIMO_0000110> ?p ?l } LIMIT 2"
SEEDS = [
    b"GET /cimo/CIMO_0000110 HTTP/1.1\r\nHost: x\r\nAccept: text/turtle\r\n\r\n",
    b"HEAD /cimo/ HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n",
    ("GET /sparql?query=" + quote(QUERY) + " HTTP/1.1\r\nHost: x\r\n\r\n").encode(),
    b"OPTIONS /sparql HTTP/1.1\r\nHost: x\r\nOrigin: http://a\r\n\r\n",
]
FORM = ("query=" + quote(QUERY)).encode()
SEEDS += [
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
    b"\r\nContent-Length: %d\r\n\r\n" % len(FORM) + FORM,
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
    b"Content-Length: %d\r\n\r\n" % len(QUERY) + QUERY.encode(),
]
NASTY = [
    b"\x00",
    b"\r",
    b"\n",
    b"\r\n",
    b" ",
    b":",
    b"%",
    b"%00",
    b"\x1b[2J",
    b"\xff",
    "é".encode(),
    b"\t",
    b"/../",
    b"?",
    b"#",
    b"HTTP/1.1",
    b"Content-Length: 5\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"Content-Length: -1\r\n",
    b"Content-Length: 99999999999\r\n",
    b"Expect: 100-continue\r\n",
    b"0\r\n\r\n",
]
HEADER_LINES = re.compile(rb"\r\n")
ENGINE_5XX = (b"time limit", b"busy", b"memory", b"stopped unexpectedly")


def mutate(seed: bytes, rnd: random.Random) -> bytes:
    data = bytearray(seed)
    for _ in range(rnd.randint(1, 4)):
        choice = rnd.randrange(9)
        at = rnd.randrange(len(data) + 1)
        if choice == 0 and data:
            data[min(at, len(data) - 1)] ^= 1 << rnd.randrange(8)
        elif choice == 1:
            data[at:at] = rnd.choice(NASTY)
        elif choice == 2 and data:
            del data[at : at + rnd.randint(1, 8)]
        elif choice == 3:
            data[at:at] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
        elif choice == 4:  # a very long line
            data[at:at] = b"A" * rnd.choice((1000, 70_000, 200_000))
        elif choice == 5:  # many headers
            end = data.find(b"\r\n") + 2
            data[end:end] = b"".join(b"X-%d: y\r\n" % i for i in range(rnd.choice((50, 150))))
        elif choice == 6:  # contradictory framing
            end = data.find(b"\r\n") + 2
            data[end:end] = rnd.choice(NASTY[16:21])
        elif choice == 7:
            data = data[:at]
        else:  # pipelined copy
            data += seed
    return bytes(data)


def exchange(port: int, data: bytes, rnd: random.Random) -> tuple[bytes, float]:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=8) as sock:
        try:
            if len(data) < 2000 and rnd.random() < 0.05:  # in slow pieces
                for i in range(0, len(data), 7):
                    sock.sendall(data[i : i + 7])
                    time.sleep(0.05)
            else:
                sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)  # the server closes once it has answered
        except OSError:
            pass
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
                if sum(map(len, chunks)) > 1 << 22:
                    break
        except OSError:
            pass
    return b"".join(chunks), time.monotonic() - started


def check(answer: bytes, seconds: float) -> str | None:
    """The kind of finding, or None when the answer is acceptable."""
    if seconds > 7.5:
        return "no answer and no close within 7.5 s"
    if not answer:
        return None  # closing without an answer is allowed (e.g. a request cut short)
    for response in re.split(rb"(?=HTTP/1\.1 \d{3} )", answer):
        if not response:
            continue
        match = re.match(rb"HTTP/1\.1 (\d{3}) [^\r\n]*\r\n", response)
        if not match:
            return "malformed status line"
        status = int(match.group(1))
        # 505 is what RFC 9110 prescribes for an HTTP version the server does not speak.
        if status >= 500 and status != 505 and not any(w in response for w in ENGINE_5XX):
            return f"status {status}"
        if status < 200:
            continue  # an interim answer (100 Continue) has no body to protect
        head = response.split(b"\r\n\r\n", 1)[0]
        if b"\r\nContent-Security-Policy: " not in head or b"nosniff" not in head:
            return "response without security headers"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build", type=Path, default=REPO / "build")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "fuzz-results.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryFile() as stderr:
        return fuzz(args, stderr)


def fuzz(args: argparse.Namespace, stderr: IO[bytes]) -> int:
    rnd = random.Random(args.seed)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cimo.cli.main",
            "serve",
            "--port",
            "0",
            "--build",
            str(args.build),
            "--header-timeout",
            "2",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        start_new_session=True,
    )
    findings: dict[str, bytes] = {}
    sent = 0
    try:
        assert proc.stdout is not None
        match = re.search(r"127\.0\.0\.1:(\d+)/cimo/", proc.stdout.readline())
        if not match:
            raise SystemExit("cimo serve did not start")
        port = int(match.group(1))
        stop_at = time.monotonic() + args.duration
        while time.monotonic() < stop_at:
            data = mutate(rnd.choice(SEEDS), rnd)
            answer, seconds = exchange(port, data, rnd)
            sent += 1
            kind = check(answer, seconds)
            if kind and kind not in findings:
                findings[kind] = data[:300]
                print(f"finding: {kind}: {data[:120]!r}", flush=True)
            if proc.poll() is not None:
                findings["server exited"] = data[:300]
                break
        alive, _ = exchange(port, SEEDS[0], rnd)
        if not alive.startswith(b"HTTP/1.1 200 "):
            findings["server no longer answers"] = b""
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    stderr.seek(0)
    log = stderr.read().decode("utf-8", "replace")
    if "Traceback" in log:
        findings["traceback in the server log"] = log[log.index("Traceback") :][:300].encode()
    lines = "\n".join(f"| {kind} | `{example!r}` |" for kind, example in findings.items())
    args.out.write_text(
        "# HTTP request fuzzing of `cimo serve`\n\n"
        f"Generated by `python bench/fuzz_http.py --duration {args.duration:g} --seed "
        f"{args.seed}`: {sent:,} mutated requests; {len(findings)} kind(s) of finding.\n\n"
        "| finding | first example (truncated) |\n|---|---|\n" + (lines or "| none | |") + "\n",
        encoding="utf-8",
    )
    print(f"{sent} requests, {len(findings)} kind(s) of finding; see {args.out}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
