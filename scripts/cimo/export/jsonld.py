"""JSON-LD 1.1 with a local context (``cimo.context.jsonld``).

The context declares the CIMO prefix (``"@prefix": true`` so that
``CIMO:0000001`` compacts) and one term per property used in the release, so a
web developer reads ``"label"`` and ``"capable_of"`` instead of full IRIs.
Parsing a remote context fails offline, which is why the context is shipped
as its own file and the document refers to it by relative name.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from cimo.export.canonical import ordered
from cimo.vocab import STANDARD_PREFIXES

CONTEXT_FILE = "cimo.context.jsonld"


def _term_name(graph: Graph, prop: Node) -> str:
    label = graph.value(prop, RDFS.label)
    text = str(label) if isinstance(label, Literal) else re.split(r"[#/]", str(prop))[-1]
    name = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")
    return name or "property"


def build_context(graph: Graph) -> dict[str, Any]:
    """The JSON-LD context: prefixes, then one term per property, names made unique."""
    context: dict[str, object] = {"@version": 1.1}
    for prefix, namespace in sorted(STANDARD_PREFIXES.items()):
        if prefix == "cimo":  # one prefix for terms, so compaction writes CIMO:nnnnnnn
            continue
        context[prefix] = {"@id": namespace, "@prefix": True}
    taken = set(context)
    for prop in sorted({p for p in graph.predicates() if p != RDF.type}, key=str):
        name = _term_name(graph, prop)
        if name in taken:
            name = f"{name}_{re.split(r'[#/_]', str(prop))[-1]}"
        taken.add(name)
        objects = list(graph.objects(None, prop))
        definition: dict[str, str] = {"@id": str(prop)}
        if objects and all(isinstance(o, URIRef) for o in objects):
            definition["@type"] = "@id"
        context[name] = definition
    return {"@context": context}


def _sort_key(node: dict[str, Any]) -> str:
    return str(node.get("@id", json.dumps(node, sort_keys=True)))


def serialize(graph: Graph, context: dict[str, Any], canonical: Graph | None = None) -> bytes:
    canonical = canonical if canonical is not None else ordered(graph)
    data = json.loads(canonical.serialize(
        format="json-ld", context=context["@context"], auto_compact=True))
    nodes = data.get("@graph", [])
    data["@graph"] = sorted(nodes, key=_sort_key)
    data["@context"] = CONTEXT_FILE
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def serialize_context(context: dict[str, Any]) -> bytes:
    return (json.dumps(context, indent=1, ensure_ascii=False) + "\n").encode()
