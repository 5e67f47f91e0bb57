"""Screen a SPARQL query before any worker sees it: no federation, no deep nesting.

pyoxigraph runs ``SERVICE`` clauses by sending HTTP requests, and has no
switch to turn that off; its recursive parser overflows the stack (and kills
the worker) on queries nested a few thousand groups deep. Both are refused
here, in the server, so a refused query never reaches the engine.

The check reads the query the way the SPARQL grammar's lexer does: ``\\u``
and ``\\U`` escapes are decoded first (SPARQL 1.1 §19.2 applies them to the
whole query text, so ``\\u0053ERVICE`` is the keyword), then IRIs, strings
and comments are skipped, so ``"SERVICE"``, ``<http://x/SERVICE>`` and
``# SERVICE`` pass while the keyword itself does not. A variable or a
prefixed name that merely ends in ``SERVICE`` is not the keyword; a prefixed
name that *starts* with it (``service:x``) is refused too, because a PEG
parser may read ``SERVICE:x`` as the keyword followed by ``:x``: a rare false
refusal is the safe side. The worker sandbox (:mod:`cimo.serve.sandbox`)
stops outbound connections even if a query ever slipped through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_MAX_DEPTH = 100
FEDERATION_REFUSED = (
    "This endpoint does not offer federated queries: SERVICE is not "
    "accepted. Query the other endpoint yourself, or load its data locally."
)

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# One token at a time, in the lexer's order of precedence; anything else is one character.
_TOKEN = re.compile(
    r"""
    (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
             |'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
             |"(?:[^"\\\n\r]|\\.)*"?
             |'(?:[^'\\\n\r]|\\.)*'?)
  | (?P<comment>\#[^\n\r]*)
  | (?P<word>(?:[?$]?[A-Za-z_\u00C0-\uFFFF]|:)(?:[\w\u00B7\u00C0-\uFFFF.:-]|%[0-9A-Fa-f]{2}
                                               |\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
""",
    re.VERBOSE | re.DOTALL,
)


class Refused(Exception):
    """A query the endpoint will not run; ``message`` says why and what to do."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason  # a short tag for the event log


@dataclass(frozen=True)
class Screened:
    depth: int


def decode_escapes(text: str) -> str:
    """Apply SPARQL's codepoint escapes, as the parser does before reading the query."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _ESCAPE.sub(replace, text)


def screen(query: str, max_depth: int = DEFAULT_MAX_DEPTH) -> Screened:
    """Raise :class:`Refused` for ``SERVICE`` or nesting deeper than ``max_depth``."""
    depth = deepest = 0
    for match in _TOKEN.finditer(decode_escapes(query)):
        kind = match.lastgroup
        if kind == "word":
            word = match.group()
            if (
                word[:1] not in "?$:"
                and re.split(r"[.:-]", word, maxsplit=1)[0].upper() == "SERVICE"
            ):
                raise Refused(FEDERATION_REFUSED, "service")
        elif kind == "open":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > max_depth:
                    raise Refused(
                        f"The query is nested more than {max_depth} levels deep "
                        "(groups, brackets and parentheses together); this "
                        "endpoint's limit is there to protect the query engine. "
                        "Flatten the query.",
                        "depth",
                    )
        elif kind == "close":
            depth = max(depth - 1, 0)
    return Screened(deepest)
