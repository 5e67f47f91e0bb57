"""A real `cimo serve` process for the tests: start it on a free port, talk HTTP to it,
stop it as Ctrl-C would. Shared by the server and the browser tests."""

from __future__ import annotations

import http.client
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def media(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()


@dataclass
class Served:
    proc: subprocess.Popen[str]
    url: str

    def fetch(
        self,
        path: str,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> Reply:
        parts = urlsplit(self.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return Reply(
                response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            )
        finally:
            conn.close()


def start_serve(build: Path, *extra: str) -> Served:
    """Start the real `cimo serve` on a free port; the caller must call stop_serve."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cimo.cli.main",
            "serve",
            "--port",
            "0",
            "--build",
            str(build),
            *extra,
        ],
        cwd=REPO,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"at (http://127\.0\.0\.1:\d+)/cimo/", line)
    if not match:
        proc.kill()
        _, err = proc.communicate(timeout=10)
        raise AssertionError(f"cimo serve did not start: {line!r} {err}")
    return Served(proc, match.group(1))


def worker_pids(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def stop_serve(served: Served) -> str:
    """SIGTERM the server, as Ctrl-C would; returns its stderr."""
    served.proc.send_signal(signal.SIGTERM)
    try:
        _, err = served.proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        served.proc.kill()
        _, err = served.proc.communicate()
        raise AssertionError("cimo serve did not stop on SIGTERM") from None
    return err
