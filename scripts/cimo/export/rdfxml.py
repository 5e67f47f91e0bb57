"""RDF/XML of a graph fragment (a term's description, a published snapshot), by Oxigraph.

The release's own ``cimo.owl`` comes from the OWL API (see ``cimo.export.owlapi``),
which rewrites RDF into OWL's layout. A term's description is RDF, not a whole
ontology, so its RDF/XML must hold exactly its triples: Oxigraph's RDF/XML
writer (``pyoxigraph``) writes them as given, and the statements are handed over
sorted with canonical blank-node labels, so the bytes are a function of the graph.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph

from cimo.export.canonical import Triple, canonical_dataset
from cimo.vocab import STANDARD_PREFIXES


def serialize(statements: Graph | Iterable[Triple]) -> bytes:
    """RDF/XML of the statements, blank nodes labelled by RDFC-1.0 and sorted (the
    term pages, whose statements are canonical already, call :func:`write`)."""
    return write([quad.triple for quad in sorted(canonical_dataset(statements), key=str)])


def write(triples: list[ox.Triple]) -> bytes:
    """RDF/XML of Oxigraph triples, in the order given (statements of one subject together)."""
    data = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=_PREFIXES)
    assert data is not None
    # Oxigraph 0.5 writes a carriage return raw, and XML parsers turn it into a line
    # feed. A raw CR can only come from a literal (IRIs cannot hold one, and the
    # layout uses LF and TAB), so writing it as a character reference is exact.
    data = data.replace(b"\r", b"&#13;")
    return data if data.endswith(b"\n") else data + b"\n"


_PREFIXES = {p: ns for p, ns in STANDARD_PREFIXES.items() if p != "CIMO"}
