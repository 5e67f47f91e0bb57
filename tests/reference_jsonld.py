"""rdflib's JSON-LD serializer with CIMO's layout: the oracle for ``cimo.export.jsonld``.

The release's JSON-LD is written by ``cimo.export.jsonld_writer``, rdflib's
algorithm over a plain subject index. This is the same document made the way
the release made it before: rdflib's ``from_rdf`` over a graph filled in the
canonical order, the nodes sorted by ``@id`` and the text indented by the
standard library. The tests require both to give the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.plugins.shared.jsonld.context import Context

from cimo.export.canonical import Triple
from cimo.export.jsonld import CONTEXT_FILE
from triple_index import TripleIndex


def serialize(context: dict[str, Any], triples: list[Triple]) -> bytes:
    """What ``Graph.serialize(format="json-ld", context=..., auto_compact=True)`` makes
    of the statements, with the nodes sorted and the context named by file."""
    # rdflib passes ``use_native_types`` as a 1-tuple
    data: dict[str, Any] = from_rdf(  # type: ignore[no-untyped-call]
        TripleIndex(triples),
        Context(context["@context"]),
        None,
        (False,),
        False,
        auto_compact=True,
    )
    data["@graph"] = sorted(
        data.get("@graph", []), key=lambda n: str(n.get("@id", json.dumps(n, sort_keys=True)))
    )
    data["@context"] = CONTEXT_FILE
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
