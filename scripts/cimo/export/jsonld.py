"""JSON-LD 1.1 with a local context (``cimo.context.jsonld``), and a JSON-LD 1.0 context.

The context declares the CIMO prefix (``"@prefix": true`` so that
``CIMO:0000001`` compacts) and one term per property used in the release, so a
web developer reads ``"label"`` and ``"capable_of"`` instead of full IRIs.
Every relation (an object property: CIMO's, RO's, BFO's) is declared with IRI
values (``"@type": "@id"``) under its readable name and under its CURIE
(``CIMO:0000005``, ``RO:0002436``), so a dataset that writes
``"CIMO:0000005": "ex:product/1"`` links to a resource instead of a string.
Parsing a remote context fails offline, which is why the context is shipped
as its own file and the document refers to it by relative name.

``cimo.context-1.0.jsonld`` is the same context for JSON-LD 1.0 processors
(which reject ``@version`` and ``@prefix``): prefixes are plain strings there,
which 1.0 expands as compact IRIs just the same.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.plugins.shared.jsonld.context import Context
from rdflib.term import Node

from cimo.export.canonical import Triple, canonical_dataset, sorted_triples
from cimo.export.jsonld_writer import Converter, dumps
from cimo.vocab import STANDARD_PREFIXES

CONTEXT_FILE = "cimo.context.jsonld"
CONTEXT_FILE_1_0 = "cimo.context-1.0.jsonld"
_OBO = "http://purl.obolibrary.org/obo/"
_OBO_ID = re.compile(r"^([A-Za-z][A-Za-z0-9]*)_([0-9]+)$")


def _term_name(graph: Graph, prop: Node) -> str:
    label = graph.value(prop, RDFS.label)
    text = str(label) if isinstance(label, Literal) else re.split(r"[#/]", str(prop))[-1]
    name = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")
    return name or "property"


def relations(graph: Graph) -> list[URIRef]:
    """Every object property the release declares or uses in a restriction, sorted."""
    found = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    found |= set(graph.objects(None, OWL.onProperty))
    return sorted((p for p in found if isinstance(p, URIRef)), key=str)


def _curie_key(iri: URIRef) -> tuple[str, str] | None:
    """(prefix, CURIE) for a CIMO or OBO IRI, e.g. ("RO", "RO:0002436"), else None."""
    text = str(iri)
    local = (
        text[len(_OBO) :]
        if text.startswith(_OBO)
        else text[len(STANDARD_PREFIXES["cimo"]) :]
        if text.startswith(STANDARD_PREFIXES["cimo"])
        else ""
    )
    match = _OBO_ID.match(local)
    return (match.group(1), f"{match.group(1)}:{match.group(2)}") if match else None


def build_context(graph: Graph) -> dict[str, Any]:
    """The JSON-LD context: prefixes, then one term per property, names made unique."""
    context: dict[str, object] = {"@version": 1.1}
    for prefix, namespace in sorted(STANDARD_PREFIXES.items()):
        if prefix == "cimo":  # one prefix for terms, so compaction writes CIMO:nnnnnnn
            continue
        context[prefix] = {"@id": namespace, "@prefix": True}
    links = relations(graph)
    keyed = {iri: _curie_key(iri) for iri in links}
    for prefix, _ in sorted({k for k in keyed.values() if k is not None}):
        if prefix not in context:  # RO, BFO: the prefixes OBO users write
            context[prefix] = {"@id": f"{_OBO}{prefix}_", "@prefix": True}
    taken = set(context)
    properties = {p for p in graph.predicates() if p != RDF.type} | set(links)
    for prop in sorted(properties, key=str):
        name = _term_name(graph, prop)
        if name in taken:
            name = f"{name}_{re.split(r'[#/_]', str(prop))[-1]}"
        taken.add(name)
        objects = list(graph.objects(None, prop))
        definition: dict[str, str] = {"@id": str(prop)}
        if prop in keyed or (objects and all(isinstance(o, URIRef) for o in objects)):
            definition["@type"] = "@id"
        context[name] = definition
    for iri, key in keyed.items():
        if key is not None:
            context[key[1]] = {"@id": str(iri), "@type": "@id"}
    return {"@context": context}


def context_1_0(context: dict[str, Any]) -> dict[str, Any]:
    """The same context for JSON-LD 1.0: no ``@version``, prefixes as plain IRIs."""
    body: dict[str, object] = {}
    for key, value in context["@context"].items():
        if key == "@version":
            continue
        if isinstance(value, dict) and value.get("@prefix") is True:
            value = value["@id"]
        body[key] = value
    return {"@context": body}


def _sort_key(node: dict[str, Any]) -> str:
    return str(node["@id"]) if "@id" in node else json.dumps(node, sort_keys=True)


def converter(context: dict[str, Any]) -> Converter:
    """The converter for ``context``: made once, it serves every :func:`serialize` call
    (it remembers the context's answers, which the term pages ask again and again)."""
    return Converter(Context(context["@context"]))


def serialize(
    graph: Graph | None,
    context: dict[str, Any],
    triples: list[Triple] | None = None,
    made: Converter | None = None,
) -> bytes:
    """JSON-LD compacted with ``context``, nodes sorted by ``@id``, pointing to the
    shipped context file; ``made`` is the context's :func:`converter`, when the caller
    writes many documents with it.

    ``triples`` are the graph's statements with canonical blank-node labels, sorted
    (``cimo.export.canonical.sorted_triples``), if known; then ``graph`` is not read.
    """
    if triples is None:
        if graph is None:
            raise ValueError("serialize needs the graph or its canonical statements")
        triples = sorted_triples(canonical_dataset(graph))
    data = (made if made is not None else converter(context)).convert(triples)
    data["@graph"] = sorted(data.get("@graph", []), key=_sort_key)
    data["@context"] = CONTEXT_FILE
    return (dumps(data) + "\n").encode()


def serialize_context(context: dict[str, Any]) -> bytes:
    return (json.dumps(context, indent=1, ensure_ascii=False) + "\n").encode()
