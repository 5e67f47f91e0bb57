"""The one JSON-LD document loader CIMO's tools use: local copies only, never the network.

JSON-LD processors fetch every remote ``@context`` they meet, so reading a
document would otherwise let its author make us send requests anywhere
(including to services on our own machine) and read back what they return.
Only CIMO's own context is ever loaded, and from a local copy: the shipped
``cimo.context.jsonld`` beside the document, or in the folders given (a
checkout's ``build/``). It is found under its published URL
(``https://w3id.org/cimo/cimo.context.jsonld``, a dated release's, or the
JSON-LD 1.0 variant) or under the relative name the release uses, resolved against the
document. Every other URL is refused with an error naming it.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

CONTEXT_FILE = "cimo.context.jsonld"
#: the published context (a dated release's too, and the JSON-LD 1.0 variant, which
#: gives the same IRIs), served from the local 1.1 copy
CIMO_CONTEXT_URL_RE = re.compile(
    r"^https?://w3id\.org/cimo/(?:releases/[0-9A-Za-z._-]+/)?"
    r"cimo\.context(?:-1\.0)?\.jsonld$"
)

Loader = Callable[..., dict[str, Any]]


def _refused(url: str, why: str) -> Exception:
    from pyld import jsonld

    error: Exception = jsonld.JsonLdError(
        f"refusing to load {url!r}: {why}; CIMO's tools never fetch documents, and load only "
        f"CIMO's own context ({CONTEXT_FILE}) from a local copy. Put other contexts inline.",
        "jsonld.LoadDocumentError",
        code="loading document failed",
    )
    return error


def _local_file(url: str, folders: Sequence[Path]) -> Path | None:
    """The local copy that stands for ``url``, or None when ``url`` is not CIMO's context."""
    parts = urllib.parse.urlsplit(url)
    if CIMO_CONTEXT_URL_RE.match(url):
        candidates = [folder / CONTEXT_FILE for folder in folders]
    elif parts.scheme == "file" and not parts.netloc:
        named = Path(urllib.request.url2pathname(parts.path))
        allowed = {folder.resolve() for folder in folders}
        if named.name != CONTEXT_FILE or named.parent.resolve() not in allowed:
            return None
        candidates = [named]
    else:
        return None
    return next((path for path in candidates if path.is_file()), None)


def document_loader(folders: Sequence[Path]) -> Loader:
    """A pyld ``documentLoader`` that serves CIMO's context from ``folders`` and nothing else."""

    def load(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        path = _local_file(url, folders)
        if path is None:
            if CIMO_CONTEXT_URL_RE.match(url):
                raise _refused(
                    url,
                    f"no local {CONTEXT_FILE} in "
                    f"{', '.join(str(f) for f in folders) or 'any folder'}",
                )
            raise _refused(url, "it is not CIMO's context")
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise _refused(url, f"the local copy {path} cannot be read ({err})") from err
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": document,
        }

    return load
