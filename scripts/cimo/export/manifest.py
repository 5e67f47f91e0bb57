"""``SHA256SUMS`` and ``manifest.json``: what a release contains, with checksums.

Per-stage timings are measurements, not artifacts: they vary run to run, so
they are kept out of both files and are the one thing in ``build/`` that two
builds of the same source do not share.
"""

from __future__ import annotations

import hashlib
import json

NOT_IN_MANIFEST = ("reports/timings.tsv",)


def sha256sums(files: dict[str, bytes]) -> bytes:
    lines = [f"{hashlib.sha256(data).hexdigest()}  {name}"
             for name, data in sorted(files.items()) if name not in NOT_IN_MANIFEST]
    return ("\n".join(lines) + "\n").encode()


def manifest(files: dict[str, bytes], version: str, version_iri: str, ontology_iri: str) -> bytes:
    entries = [{"path": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
               for name, data in sorted(files.items()) if name not in NOT_IN_MANIFEST]
    body = {"ontology": ontology_iri, "version": version, "versionIRI": version_iri,
            "files": entries}
    return (json.dumps(body, indent=1, sort_keys=True) + "\n").encode()
