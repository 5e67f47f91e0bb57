"""The one error type the CLI turns into a clear message and a non-zero exit.

Every check reports the file, the line where one is known, the term, and the
fix, because the person who reads the message is a curator in the middle of an
edit, not a developer reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cimo.terminal import printable


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


class BuildError(Exception):
    """Raised by a build stage; carries every problem that stage found."""

    def __init__(self, stage: str, problems: list[Problem]) -> None:
        self.stage = stage
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        head = f"cimo build failed in stage '{self.stage}' ({len(self.problems)} problem(s)):"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])
