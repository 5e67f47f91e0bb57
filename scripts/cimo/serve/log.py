"""The server's two logs on stderr: events (always) and requests (``--access-log``).

Events are what an operator needs to see an attack or a failing engine:
refused queries, time-outs, memory kills, worker crashes and restarts. Each
line is either ``cimo serve: <kind> key=value ...`` or, with ``--log-format
json``, one JSON object per line (``{"time":..., "log":"event", "event":...}``)
for a log shipper. Values that come from a client are escaped, so a request
cannot write control characters (or fake log lines) to the operator's
terminal.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import TextIO

MAX_FIELD = 300  # characters of a client-supplied value kept in a log line


def escape_controls(text: str, keep: str = "") -> str:
    """``text`` with every non-printable character (except those in ``keep``) escaped."""
    return "".join(
        ch if ch.isprintable() or ch in keep else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def clean(value: object) -> str:
    """A log-safe rendering: control characters escaped, long values cut."""
    text = str(value)
    if len(text) > MAX_FIELD:
        text = text[:MAX_FIELD] + "…"
    return escape_controls(text)


class Log:
    """Thread-safe writer of event and access lines, as text or JSON lines."""

    def __init__(
        self, *, json_lines: bool = False, access: bool = False, stream: TextIO | None = None
    ) -> None:
        self.json_lines = json_lines
        self.access_enabled = access
        self.stream = stream
        self._lock = threading.Lock()

    def _write(self, record: dict[str, object]) -> None:
        if self.json_lines:
            line = json.dumps(
                {k: (v if isinstance(v, (int, float)) else clean(v)) for k, v in record.items()},
                ensure_ascii=True,
            )
        else:
            kind = record.pop("event", None) or record.pop("log")
            record.pop("log", None)
            record.pop("time", None)
            pairs = " ".join(f"{k}={_quoted(v)}" for k, v in record.items())
            line = f"cimo serve: {kind} {pairs}".rstrip()
        stream = self.stream or sys.stderr
        with self._lock:
            try:
                stream.write(line + "\n")
                stream.flush()
            except (OSError, ValueError):
                pass  # a closed stderr must not take a request thread down

    def event(self, kind: str, **fields: object) -> None:
        self._write({"time": _now(), "log": "event", "event": kind, **fields})

    def access(
        self, client: str, method: str, target: str, status: int, size: int, seconds: float
    ) -> None:
        if self.access_enabled:
            self._write(
                {
                    "time": _now(),
                    "log": "access",
                    "client": client,
                    "method": method,
                    "target": target,
                    "status": status,
                    "bytes": size,
                    "ms": round(seconds * 1000, 1),
                }
            )


def _quoted(value: object) -> str:
    text = clean(value)
    return text if text and " " not in text and '"' not in text else json.dumps(text)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
