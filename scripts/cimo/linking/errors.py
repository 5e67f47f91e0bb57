"""The error raised when a file a user gave cannot be read.

It carries the project's ``Problem`` (file, line, message, fix) so that
``cimo map`` and ``cimo validate`` print the same kind of message as the build,
and exit with status 2 ("unreadable input") rather than a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cimo.errors import Problem


class InputError(Exception):
    """A file (or endpoint) that could not be read, located as precisely as possible."""

    def __init__(self, message: str, fix: str, file: Path | str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        shown = message if column is None else f"{message} (column {column})"
        self.problem = Problem(shown, fix, file=file, line=line)
        super().__init__(str(self.problem))


def quiet_broken_pipe() -> int:
    """The reader of our output went away (``cimo map ... | head``): stop without a message.

    Python's documented recipe: point stdout at /dev/null so the interpreter's final
    flush does not raise again, and exit with status 1.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1
