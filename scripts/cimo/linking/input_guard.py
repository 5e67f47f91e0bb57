"""Limits on untrusted input, checked on the bytes before a parser sees them.

``cimo validate`` reads files its user did not write. The parsers it relies on
are fast but trusting: pyoxigraph's RDF/XML parser expands XML entities without
bound (a 1 KB "billion laughs" file asks for gigabytes), its JSON-LD parser
recurses once per nesting level and overflows the C stack at a few thousand,
and its RDF/XML parser slows down quadratically with element depth. So every
byte goes through a ``GuardedReader`` on its way to the parser:

* RDF/XML is run through expat first, which refuses a ``<!DOCTYPE`` (and with
  it every entity declaration) and counts element depth;
* JSON-LD is tokenised just enough to count nesting depth and the depth of
  nested ``@context`` definitions;
* a gzipped file may not decompress to more than a set number of bytes.

The reader hands the parser only bytes that have passed, so a refused document
is refused before anything in it is expanded. Every refusal is an
``InputError`` naming the file and the limit, which ``cimo validate`` turns into
exit status 2.
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import sub
from pathlib import Path
from typing import IO

from cimo.linking.errors import InputError

MIB = 1 << 20
#: bytes read from the file, and checked, at a time
BLOCK = 256 * 1024


@dataclass(frozen=True)
class Limits:
    """How much untrusted input may ask for; each has a ``cimo validate`` option."""

    #: bytes a ``.gz`` file may decompress to (``--max-decompressed``)
    max_decompressed: int = 1024 * MIB
    #: characters in one literal (``--max-literal``); the parser's own buffer stops at 16 MiB
    max_literal: int = 1 * MIB
    #: nesting of JSON arrays/objects and of XML elements (``--max-depth``)
    max_depth: int = 256
    #: nesting of JSON-LD ``@context`` definitions (``--max-context-depth``)
    max_context_depth: int = 16


DEFAULT_LIMITS = Limits()
#: above this, pyoxigraph's JSON-LD parser can overflow its stack (about 5,000 levels)
HARD_MAX_DEPTH = 2000
_FIX_LIMIT = "if you trust the file, raise {option}; otherwise do not process it"


class _XmlCheck:
    """expat, used only to look: no DOCTYPE, no entities, bounded depth."""

    def __init__(self, path: Path | str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.depth = 0
        # Forcing UTF-8 makes expat read the same characters as pyoxigraph, which only
        # reads UTF-8: a document that declares another encoding is refused, not reinterpreted.
        self.parser = xml.parsers.expat.ParserCreate(encoding="utf-8")
        self.parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._entity
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end

    def _refuse(self, message: str, fix: str) -> InputError:
        return InputError(message, fix, file=self.path, line=self.parser.CurrentLineNumber)

    def _doctype(self, *_args: object) -> None:
        raise self._refuse(
            "RDF/XML with a <!DOCTYPE> is refused: its entity declarations can "
            'expand a small file into gigabytes ("billion laughs")',
            "remove the DOCTYPE and write the entities out in full, or convert "
            "the file to Turtle or N-Triples with a tool you trust",
        )

    def _entity(self, *_args: object) -> None:
        raise self._refuse("XML entity declarations are refused", "remove them")

    def _start(self, *_args: object) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise self._refuse(
                f"XML elements nested more than {self.limits.max_depth} deep",
                _FIX_LIMIT.format(option="--max-depth"),
            )

    def _end(self, *_args: object) -> None:
        self.depth -= 1

    def feed(self, data: bytes, final: bool) -> None:
        try:
            self.parser.Parse(data, final)
        except xml.parsers.expat.ExpatError as err:
            raise InputError(
                "not valid RDF/XML: not well-formed XML "
                f"({xml.parsers.expat.ErrorString(err.code)})",
                "correct the XML at that position (it must be UTF-8)",
                file=self.path,
                line=err.lineno,
                column=err.offset,
            ) from err


#: a run that the counts can be taken from in C: anything but a string, and complete
#: strings without escapes other than "@context"
_RUN = re.compile(rb'(?:[^"]+|"(?!@context")[^"\\]*")*')
_PLAIN_STRING = re.compile(rb'"[^"\\]*"')
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"(\s*:\s*)?', re.S)
_SPACE_TO_END = re.compile(rb"\s*\Z")
_CONTEXT_KEY = b'"@context"'
_OPENERS = (ord("{"), ord("["))
#: brackets as steps (opening 2, closing 0; minus one later); every other byte deleted
_STEPS = bytes(2 if c in b"[{" else 0 for c in range(256))
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")


class _JsonCheck:
    """Counts JSON nesting and ``@context`` nesting in one pass over the raw bytes.

    Only strings and brackets are tokens: a bracket inside a string does not count,
    and a key is a string followed by ``:``. Runs of text without an escape or an
    ``@context`` key are counted with C-level operations; a token cut by a chunk
    boundary is kept for the next chunk, so the count does not depend on how the
    parser reads.
    """

    def __init__(self, path: Path | str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.tail = b""
        self.depth = 0
        #: the depth of each open container that is an @context definition
        self.context_levels: list[int] = []
        #: a string this long (escaped) is refused before it is buffered further
        self.max_token = 6 * limits.max_literal + 64

    def _too_deep(self) -> InputError:
        return InputError(
            f"JSON nested more than {self.limits.max_depth} levels deep",
            _FIX_LIMIT.format(option="--max-depth"),
            file=self.path,
        )

    def _count(self, run: bytes) -> None:
        steps = _PLAIN_STRING.sub(b"", run).translate(_STEPS, _NOT_BRACKETS)
        if not steps:
            return
        levels = list(accumulate(map(sub, steps, repeat(1)), initial=self.depth))
        if max(levels) > self.limits.max_depth:
            raise self._too_deep()
        lowest = min(levels)
        while self.context_levels and self.context_levels[-1] > lowest:
            self.context_levels.pop()
        self.depth = max(0, levels[-1])  # an unbalanced bracket is the parser's to report

    def _open_context(self) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise self._too_deep()
        self.context_levels.append(self.depth)
        if len(self.context_levels) > self.limits.max_context_depth:
            raise InputError(
                f"JSON-LD @context definitions nested more than "
                f"{self.limits.max_context_depth} deep",
                _FIX_LIMIT.format(option="--max-context-depth"),
                file=self.path,
            )

    @staticmethod
    def _is_context_key(raw: bytes) -> bool:
        if raw == _CONTEXT_KEY:
            return True
        if b"\\" not in raw or len(raw) > 80:
            return False
        try:
            return bool(json.loads(raw) == "@context")
        except ValueError:
            return False

    def feed(self, data: bytes, final: bool) -> None:
        buf = self.tail + data
        end = len(buf)
        pos = 0
        while True:
            run_end = _RUN.match(buf, pos).end()  # type: ignore[union-attr]
            if run_end > pos:
                self._count(buf[pos:run_end])
                pos = run_end
            if pos >= end:
                break
            # at a string with escapes, an "@context", or a string the next chunk completes
            match = _STRING.match(buf, pos)
            if match is None or (not final and _SPACE_TO_END.match(buf, match.end())):
                break  # a string, or the ':' and value after a key, the next chunk completes
            after = match.end()
            if (
                match.group(1) is not None
                and after < end
                and buf[after] in _OPENERS
                and self._is_context_key(buf[pos : match.start(1)])
            ):
                self._open_context()
                after += 1
            pos = after
        self.tail = b"" if final else buf[pos:]
        if len(self.tail) > self.max_token:
            raise InputError(
                f"a JSON string longer than {self.limits.max_literal} characters",
                _FIX_LIMIT.format(option="--max-literal"),
                file=self.path,
            )


class GuardedReader:
    """A binary file object that checks what it hands on; see the module docstring."""

    def __init__(
        self,
        raw: IO[bytes],
        path: Path | str,
        kind: str | None,
        compressed: bool,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.raw = raw
        self.path = path
        self.compressed = compressed
        self.limits = limits
        self.total = 0
        self.finished = False
        self.block, self.offset = b"", 0
        self.check: _XmlCheck | _JsonCheck | None = (
            _XmlCheck(path, limits)
            if kind == "xml"
            else _JsonCheck(path, limits)
            if kind == "json"
            else None
        )

    def _fill(self) -> None:
        """Read and check the next block; blocks are large so the checks run few times."""
        data = self.raw.read(BLOCK)
        self.total += len(data)
        if self.compressed and self.total > self.limits.max_decompressed:
            raise InputError(
                f"decompresses to more than {self.limits.max_decompressed} bytes",
                _FIX_LIMIT.format(option="--max-decompressed"),
                file=self.path,
            )
        if self.check is not None and not self.finished:
            self.check.feed(data, final=not data)
        self.finished = not data
        self.block, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        if self.offset >= len(self.block):
            if self.finished:
                return b""
            self._fill()
        if size is None or size < 0:
            size = len(self.block)
        data = self.block[self.offset : self.offset + size]
        self.offset += len(data)
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.raw.close()


def read_all(
    raw: IO[bytes],
    path: Path | str,
    kind: str | None,
    compressed: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """The whole stream, checked: for readers that need the document in memory."""
    reader = GuardedReader(raw, path, kind, compressed, limits)
    parts = []
    while chunk := reader.read(1 * MIB):  # the final, empty read completes the check
        parts.append(chunk)
    return b"".join(parts)
