"""Confine a query worker: no network, bounded memory.

Called by the worker before it loads anything. The network goes first: the
worker moves into a new, empty network namespace (``unshare(CLONE_NEWNET)``,
as root; otherwise inside a new user namespace), where even 127.0.0.1 is
unreachable. This is what stops pyoxigraph's ``SERVICE`` client, which sends
its requests from Rust, where no Python-level patch can reach. Where
namespaces are not allowed (some containers), the worker says so and the
server logs it: the query screen still refuses ``SERVICE``.

Memory is bounded with ``RLIMIT_AS``: an allocation past the limit fails at
once, pyoxigraph aborts, and the server reports the memory kill and starts a
fresh worker. A limit on address space is strict (no sampling, no race), and
a worker needs only about 40 MB of it when idle.
"""

from __future__ import annotations

import ctypes
import os
import resource

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def isolate_network() -> str:
    """Enter an empty network namespace; returns "isolated" or why it could not."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as err:
        return f"no libc ({err})"
    if libc.unshare(CLONE_NEWNET) == 0:
        return "isolated"
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return "isolated"
    return f"unshare failed: {os.strerror(ctypes.get_errno())}"


def limit_memory(max_bytes: int) -> None:
    """Cap the worker's address space at ``max_bytes``."""
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
