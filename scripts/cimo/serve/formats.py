"""The media types the server speaks, and how each maps to a serializer.

Kept in one table so the negotiation, the 406 message (which lists what is
on offer) and the tests all read the same list.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph

#: SELECT and ASK results: media type -> pyoxigraph results format. First is default.
RESULT_FORMATS: dict[str, pyoxigraph.QueryResultsFormat] = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "text/csv": pyoxigraph.QueryResultsFormat.CSV,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
    "application/json": pyoxigraph.QueryResultsFormat.JSON,
    "application/xml": pyoxigraph.QueryResultsFormat.XML,
}

#: CONSTRUCT and DESCRIBE results: media type -> pyoxigraph RDF format. First is default.
GRAPH_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
    "application/json": pyoxigraph.RdfFormat.JSON_LD,
}

#: Forms of a term or of the ontology: media type -> file suffix. First is default.
DOCUMENT_FORMS: dict[str, str] = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/turtle": ".ttl",
    "application/rdf+xml": ".owl",
    "application/ld+json": ".jsonld",
    "application/n-triples": ".nt",
    "application/json": ".jsonld",
}

#: Media type of a site file, by suffix.
SUFFIX_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".ttl": "text/turtle; charset=utf-8",
    ".nt": "application/n-triples",
    ".owl": "application/rdf+xml",
    ".ofn": "text/owl-functional; charset=utf-8",
    ".obo": "text/plain; charset=utf-8",
    ".tsv": "text/tab-separated-values; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}
PLAIN = "text/plain; charset=utf-8"


def with_charset(media_type: str) -> str:
    """Add ``charset=utf-8`` to ``text/*`` types (JSON and XML carry their own)."""
    if media_type.startswith("text/") and "charset" not in media_type:
        return f"{media_type}; charset=utf-8"
    return media_type


def type_of(name: str) -> str:
    """The media type of a file, from its name (``SHA256SUMS`` and the like are text)."""
    dot = name.rfind(".")
    suffix = name[dot:] if dot > name.rfind("/") else ""
    return SUFFIX_TYPES.get(suffix, PLAIN if not suffix else "application/octet-stream")


def offered(kinds: Mapping[str, object]) -> str:
    """The distinct media types of a table, for a 406 message."""
    return ", ".join(dict.fromkeys(kinds))
