"""Read RDF files of any common format, gzip included, as a stream of quads.

The format comes from the extension (``data.nt.gz`` is gzipped N-Triples), so
users never name it. A file that cannot be read becomes an ``InputError``
naming the file, the line and column the parser stopped at, and what to do;
``cimo validate`` turns that into exit status 2.

The bytes pass through ``input_guard`` on their way to the parser, so a file
that asks for too much (XML entities, deep nesting, a gzip bomb, a giant
token) is refused with the limit it broke instead of exhausting the machine.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from cimo.linking.errors import InputError
from cimo.linking.input_guard import DEFAULT_LIMITS, GuardedReader, Limits, read_all
from cimo.linking.jsonld_context import with_local_context

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".trig": ox.RdfFormat.TRIG,
    ".n3": ox.RdfFormat.N3,
}

_HINTS = {
    "LoadDocumentCallback": "JSON-LD with a remote @context cannot be read offline: put the "
    "context inline in the file (CIMO's own context, by file name or "
    "w3id URL, is read from the local cimo.context.jsonld)",
}


def detect(path: Path) -> tuple[ox.RdfFormat, bool]:
    """(format, gzipped) from the file name; raise InputError for an unknown extension."""
    name = path.name.lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    fmt = FORMATS.get(suffix)
    if fmt is None:
        known = " ".join(sorted(FORMATS))
        raise InputError(
            f"cannot tell the RDF format from the extension {suffix or '(none)'!r}",
            f"name the file with one of: {known} (optionally followed by .gz)",
            file=path,
        )
    return fmt, compressed


def _open(path: Path, compressed: bool) -> IO[bytes]:
    try:
        return gzip.open(path, "rb") if compressed else path.open("rb")  # type: ignore[return-value]
    except FileNotFoundError as err:
        raise InputError("file not found", "check the path", file=path) from err
    except OSError as err:
        raise InputError(
            f"cannot open the file: {err.strerror}", "check the path and its permissions", file=path
        ) from err


def _syntax_fix(fmt: ox.RdfFormat, message: str, compressed: bool) -> str:
    for needle, hint in _HINTS.items():
        if needle in message:
            return hint
    where = " (the line is counted in the decompressed text)" if compressed else ""
    extra = (
        "; an .owl file must be RDF/XML (convert OWL/XML or functional syntax first)"
        if fmt == ox.RdfFormat.RDF_XML
        else ""
    )
    return f"correct the {fmt.name} syntax at that position{where}{extra}"


def guard_kind(fmt: ox.RdfFormat) -> str | None:
    """Which syntax check ``input_guard`` runs before the parser sees the bytes."""
    if fmt == ox.RdfFormat.RDF_XML:
        return "xml"
    if fmt == ox.RdfFormat.JSON_LD:
        return "json"
    return None


def quads(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[ox.Quad]:
    """Every quad of ``path``; relative IRIs resolve against the file's own URI."""
    fmt, compressed = detect(path)
    stream: IO[bytes] | GuardedReader
    if fmt == ox.RdfFormat.JSON_LD:  # checked first, then CIMO's context swapped for the local copy
        with _open(path, compressed) as raw:
            checked = read_all(raw, path, "json", compressed, limits)
        stream = io.BytesIO(with_local_context(path, checked))
    else:
        stream = GuardedReader(_open(path, compressed), path, guard_kind(fmt), compressed, limits)
    try:
        yield from ox.parse(
            input=stream,  # type: ignore[arg-type]  # a file-like reader
            format=fmt,
            base_iri=path.resolve().as_uri(),
        )
    except SyntaxError as err:
        message = str(err.args[0]) if err.args else str(err)
        raise InputError(
            f"not valid {fmt.name}: {message}",
            _syntax_fix(fmt, message, compressed),
            file=path,
            line=err.lineno,
        ) from err
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        raise InputError(
            f"cannot decompress: {err}",
            "the .gz file is damaged or not gzip; recompress it or drop the .gz extension",
            file=path,
        ) from err
    except UnicodeDecodeError as err:
        raise InputError(
            f"not UTF-8 text: {err.reason}", "save the file as UTF-8", file=path
        ) from err
    except MemoryError as err:
        raise InputError(
            f"a single token is too large for the parser: {err}",
            "the file holds a literal or IRI of many megabytes; split or shorten it",
            file=path,
        ) from err
    except RecursionError as err:
        raise InputError(
            "nested too deeply for the parser", "flatten the nesting", file=path
        ) from err
    except OSError as err:
        raise InputError(f"cannot read the file: {err}", "check the file", file=path) from err
    except ValueError as err:
        raise InputError(
            f"not valid {fmt.name}: {err}", _syntax_fix(fmt, str(err), compressed), file=path
        ) from err
    finally:
        stream.close()
