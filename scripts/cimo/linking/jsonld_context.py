"""JSON-LD that names CIMO's shipped context is read with a local copy, never fetched.

A dataset may say ``"@context": "cimo.context.jsonld"`` (the file beside it,
as the release's own ``cimo.jsonld`` does) or name the published URL,
``https://w3id.org/cimo/cimo.context.jsonld`` (or a dated release's, or the
JSON-LD 1.0 variant). Either reference is replaced by the content of a local
``cimo.context.jsonld`` before parsing: the one beside the file, else the
``build/`` of the checkout ``cimo`` runs in. The 1.1 context is used for the 1.0 name too: it gives
the same IRIs, and the parser is a JSON-LD 1.1 processor. Any other remote
context is left alone and is refused by the parser (no network access).
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

from cimo.linking.errors import InputError
from cimo.paths import find_root

CONTEXT_FILE = "cimo.context.jsonld"
#: The names a document may use for CIMO's context: the file beside it or the w3id URL.
SHIPPED_CONTEXT = re.compile(
    r"^(?:https?://w3id\.org/cimo/(?:releases/[0-9A-Za-z._-]+/)?)?cimo\.context(?:-1\.0)?\.jsonld$"
)


def _local_context(document: Path) -> dict[str, Any]:
    candidates = [document.parent / CONTEXT_FILE]
    with contextlib.suppress(FileNotFoundError):  # not inside a checkout
        candidates.append(find_root().build / CONTEXT_FILE)
    for candidate in candidates:
        if candidate.is_file():
            context: dict[str, Any] = json.loads(candidate.read_text(encoding="utf-8"))["@context"]
            return context
    raise InputError(
        f"the @context names CIMO's context, which is read from a local "
        f"{CONTEXT_FILE} and never fetched, and there is none beside the file",
        f"put the release's {CONTEXT_FILE} beside the file (or run `cimo build` in the checkout)",
        file=document,
    )


def _names_shipped(value: object) -> bool:
    return isinstance(value, str) and SHIPPED_CONTEXT.match(value) is not None


def with_local_context(document: Path, data: bytes) -> bytes:
    """``data`` with a reference to CIMO's context replaced by the local copy's content."""
    try:
        parsed = json.loads(data)
    except ValueError:
        return data  # the parser reports the syntax error with its position
    if not isinstance(parsed, dict):
        return data
    context = parsed.get("@context")
    items = context if isinstance(context, list) else [context]
    if not any(_names_shipped(item) for item in items):
        return data
    local = _local_context(document)
    replaced = [local if _names_shipped(item) else item for item in items]
    parsed["@context"] = replaced if isinstance(context, list) else replaced[0]
    return json.dumps(parsed).encode("utf-8")
