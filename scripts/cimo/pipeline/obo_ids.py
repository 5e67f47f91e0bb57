"""OBO-style identifiers in the release: ``oboInOwl:id "CIMO:0000110"`` on every CIMO term.

OBO tools that read RDF/XML (pronto, and OAK through it) only know how to
shorten OBO PURLs; for any other IRI they show the whole IRI unless the term
carries ``oboInOwl:id``, which is what the OWL API's OBO-to-OWL translation
writes. The value is derived from the IRI, so it lives in the build, not the
edited source.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from cimo.vocab import OBOINOWL, TERM_IRI_RE

ENTITY_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty)


def id_annotations(graph: Graph) -> Graph:
    ids = Graph()
    for kind in ENTITY_TYPES:
        for term in graph.subjects(RDF.type, kind):
            match = TERM_IRI_RE.match(str(term)) if isinstance(term, URIRef) else None
            if match:
                ids.add((term, OBOINOWL.id, Literal(f"CIMO:{match.group(1)}")))
    return ids
