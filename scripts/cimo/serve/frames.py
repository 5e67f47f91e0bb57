"""Length-prefixed frames over a pipe, between the server and its query workers.

A frame is a 4-byte big-endian length and that many bytes. Reading takes an
optional deadline so the server can give up on a worker that runs too long
(and kill it) instead of blocking a request thread forever.
"""

from __future__ import annotations

import os
import select
import struct
import time

from cimo.errors import CimoError

HEADER = struct.Struct(">I")


class FrameTimeout(CimoError):
    """The deadline passed before a whole frame arrived."""


class PipeClosed(CimoError):
    """The other end closed the pipe (the worker exited or crashed)."""


def write_frame(fd: int, payload: bytes) -> None:
    data = memoryview(HEADER.pack(len(payload)) + payload)
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise FrameTimeout
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                raise FrameTimeout
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise PipeClosed
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int, deadline: float | None = None) -> bytes:
    (size,) = HEADER.unpack(_read_exactly(fd, HEADER.size, deadline))
    return _read_exactly(fd, size, deadline)
