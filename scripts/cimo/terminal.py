"""Text from files and servers, made safe to print on a terminal.

A message that echoes input (a literal, a file name, an endpoint's error page)
could otherwise carry escape sequences that recolour, retitle or rewrite the
user's terminal, or a line break that forges a second, trusted-looking line.
Control characters (C0, DEL, C1, line separators and bidirectional overrides)
are shown as Python escapes instead: ``\\x1b[31m`` prints as the text ``\\x1b[31m``.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def printable(text: object) -> str:
    """``str(text)`` with every control character escaped (tabs are kept)."""
    return _CONTROL.sub(_escaped, str(text))
