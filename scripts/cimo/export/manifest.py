"""``SHA256SUMS`` and ``manifest.json``: what a release contains, with checksums.

The manifest also says whether the evidence quotes were checked against the
source documents (``"evidenceCheck": "passed"``) or the build was told to skip
that check (``"skipped"``), so a release built without them is never mistaken
for a checked one.
"""

from __future__ import annotations

import hashlib
import json


def sha256sums(files: dict[str, bytes]) -> bytes:
    lines = [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in sorted(files.items())]
    return ("\n".join(lines) + "\n").encode()


def manifest(
    files: dict[str, bytes],
    version: str,
    version_iri: str,
    ontology_iri: str,
    evidence_check: str = "passed",
) -> bytes:
    entries = [
        {"path": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in sorted(files.items())
    ]
    body = {
        "ontology": ontology_iri,
        "version": version,
        "versionIRI": version_iri,
        "evidenceCheck": evidence_check,
        "files": entries,
    }
    return (json.dumps(body, indent=1, sort_keys=True) + "\n").encode()
