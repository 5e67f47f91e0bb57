"""The published files, held in memory: the site, the releases, the VoID.

``cimo build`` already wrote every representation (one file per term and
form), so serving is a dictionary lookup: no RDF is rendered per request,
which is what lets one process answer thousands of dereferences a second.
Lookups are by exact name, so a path can never reach outside the site.
Compressed bodies are made once, on first request, and kept.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from cimo.errors import UsageError
from cimo.ids import TERM_ID_PATTERN
from cimo.serve.formats import GRAPH_FORMATS, type_of, with_charset
from cimo.vocab import CC_BY_4, CIMO_NS

TERM_FILE_RE = re.compile(rf"^({TERM_ID_PATTERN})\.html$")
MIN_GZIP = 512
TITLE = "http://purl.org/dc/terms/title"
LICENSE = "http://purl.org/dc/terms/license"  # below this, compression costs more than it saves


@dataclass
class Representation:
    body: bytes
    media_type: str
    etag: str = ""
    _gzipped: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.etag:
            self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'

    def gzipped(self) -> bytes | None:
        """The gzip body (mtime 0, so it is stable), or None when not worth it."""
        if len(self.body) < MIN_GZIP or self.media_type.startswith("image/png"):
            return None
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


def _read_tree(
    folder: Path, skip: tuple[str, ...] = (), skipped: list[str] | None = None
) -> dict[str, Representation]:
    """Every file under ``folder``; a symlink that resolves outside it is left out."""
    root = folder.resolve()
    files = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and not name.startswith(skip):
            if not path.resolve().is_relative_to(root):
                if skipped is not None:
                    skipped.append(str(path))
                continue
            files[name] = Representation(path.read_bytes(), type_of(name))
    return files


def _version(build: Path) -> str:
    manifest = build / "manifest.json"
    if not manifest.is_file():
        raise UsageError(
            f"{manifest} not found: is {build} a CIMO release folder (made by `cimo build`)?"
        )
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


class Publication:
    """Everything ``cimo serve`` answers from, loaded from a build folder."""

    def __init__(self, build: Path, releases: Sequence[Path] = ()) -> None:
        site = build / "site"
        if not (site / "index.html").is_file():
            raise UsageError(f"{site}/index.html not found: run `cimo build` first")
        self.build = build
        self.version = _version(build)
        self.skipped: list[str] = []
        self.files = _read_tree(site, skipped=self.skipped)
        self.terms = {m.group(1) for name in self.files if (m := TERM_FILE_RE.match(name))}
        self.releases: dict[str, dict[str, Representation]] = {}
        for folder in releases:
            self.releases[_version(folder)] = _read_tree(
                folder, skip=("site/",), skipped=self.skipped
            )
        turtle = (build / "void.ttl").read_bytes()
        quads = list(pyoxigraph.parse(input=turtle, format=pyoxigraph.RdfFormat.TURTLE))
        self.void = self._void(turtle, quads)
        about = {(q.subject.value, q.predicate.value): q.object.value for q in quads}
        dataset = CIMO_NS + "void.ttl#cimo"
        self.title = about.get((dataset, TITLE), "CIMO")
        self.licence = about.get((dataset, LICENSE), CC_BY_4)

    @staticmethod
    def _void(turtle: bytes, quads: list[pyoxigraph.Quad]) -> dict[str, Representation]:
        """The VoID description in every RDF form, converted once at start-up."""
        forms = {"text/turtle": Representation(turtle, with_charset("text/turtle"))}
        for media, fmt in GRAPH_FORMATS.items():
            if media not in forms:
                body = pyoxigraph.serialize(quads, format=fmt) or b""
                forms[media] = Representation(body, with_charset(media))
        return forms

    def file(self, name: str) -> Representation | None:
        return self.files.get(name)

    def release_file(self, version: str, name: str) -> Representation | None:
        if version == self.version:
            return self.files.get(f"releases/{version}/{name}")
        return self.releases.get(version, {}).get(name)

    def has_term(self, local: str) -> bool:
        return local in self.terms
