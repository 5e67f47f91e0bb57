"""The ``cimo-base.owl`` release variant: CIMO's own axioms only.

An ontology that imports CIMO should get CIMO's classes and axioms without a
second, possibly older, copy of the reused CL, MONDO, GO... classes and without
CIMO's inferred hierarchy (the importer runs its own reasoner). This is the ODK
"base" convention. The base is the source graph plus the mapping projection,
selected before the import module and the inferred superclasses are added, under
its own ontology and version IRIs.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from cimo.vocab import CIMO_NS, ONTOLOGY_IRI, RELEASE_IRI_TEMPLATE

BASE_IRI = CIMO_NS + "cimo-base.owl"


def select(graph: Graph, version: str) -> Graph:
    """A copy of ``graph`` (CIMO's own statements) named as the base variant."""
    base = Graph()
    full, renamed = URIRef(ONTOLOGY_IRI), URIRef(BASE_IRI)
    for s, p, o in graph:
        if s == full and p == OWL.versionIRI:
            continue
        base.add((renamed if s == full else s, p, renamed if o == full else o))
    version_iri = RELEASE_IRI_TEMPLATE.format(version=version).replace("cimo.owl", "cimo-base.owl")
    base.add((renamed, OWL.versionIRI, URIRef(version_iri)))
    return base
