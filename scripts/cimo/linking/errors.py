"""The error raised when a file a user gave cannot be read (defined in :mod:`cimo.errors`).

It carries the project's ``Problem`` (file, line, message, fix) so that
``cimo map`` and ``cimo validate`` print the same kind of message as the build,
and exit with status 2 ("unreadable input") rather than a traceback.
"""

from __future__ import annotations

import os
import sys

from cimo.errors import InputError as InputError


def quiet_broken_pipe() -> int:
    """The reader of our output went away (``cimo map ... | head``): stop without a message.

    Python's documented recipe: point stdout at /dev/null so the interpreter's final
    flush does not raise again, and exit with status 1.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1
