"""The errors the CLI reports as a clear message and an exit code, not a traceback.

Every error type of the package derives from :class:`CimoError`, which carries
the exit code ``cimo`` ends with; ``cimo.cli.main`` catches that base and
nothing broader, so a bug (a ``KeyError``, a ``TypeError``) still shows its
traceback instead of posing as bad input. ``cimo --debug`` shows the traceback
of a ``CimoError`` too.

Every check reports the file, the line where one is known, the term, and the
fix, because the person who reads the message is a curator in the middle of an
edit, not a developer reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cimo.terminal import printable

#: Exit codes shared by every command.
EXIT_OK = 0
#: The input was read and checked, and something is wrong with it.
EXIT_FINDINGS = 1
#: Bad arguments, or input that could not be read at all.
EXIT_USAGE = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the source, located as precisely as possible."""

    message: str
    fix: str
    file: Path | str | None = None
    line: int | None = None
    term: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = printable(self.file)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        term = f"[{printable(self.term)}] " if self.term else ""
        return f"{where}{term}{printable(self.message)}\n    fix: {printable(self.fix)}"


class CimoError(Exception):
    """Base of every error ``cimo`` reports as a message; ``exit_code`` is its exit status."""

    exit_code: int = EXIT_USAGE

    def render(self) -> str:
        """The message the CLI prints on stderr."""
        lines = str(self).split("\n")  # line breaks are the message's own; control
        return "cimo: error: " + "\n".join(printable(line) for line in lines)  # codes are not


class UsageError(CimoError):
    """A command was given arguments it cannot act on (a missing file, an unknown name)."""

    exit_code = EXIT_USAGE


class NoCheckout(UsageError, FileNotFoundError):
    """No CIMO checkout at or above a folder. Also a FileNotFoundError, so callers that
    fall back to the release bundled in the package (outside a checkout) catch it as such."""


class InputError(CimoError):
    """A file (or endpoint) that could not be read, located as precisely as possible."""

    exit_code = EXIT_USAGE

    def __init__(
        self,
        message: str,
        fix: str,
        file: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        shown = message if column is None else f"{message} (column {column})"
        self.problem = Problem(shown, fix, file=file, line=line)
        super().__init__(str(self.problem))


class BuildError(CimoError):
    """Raised by a build stage; carries every problem that stage found."""

    exit_code = EXIT_FINDINGS

    def __init__(self, stage: str, problems: list[Problem]) -> None:
        self.stage = stage
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        head = f"cimo build failed in stage '{self.stage}' ({len(self.problems)} problem(s)):"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])
