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

from cimo.export.canonical import Triple
from cimo.vocab import CIMO_NS, ONTOLOGY_IRI, RELEASE_IRI_TEMPLATE

BASE_IRI = CIMO_NS + "cimo-base.owl"


def select(graph: Graph, version: str) -> list[Triple]:
    """CIMO's own statements (``graph``'s, now) named as the base variant.

    A list, not a graph: it is only ever written out (``cimo.export.rdfxml``), and
    filling an rdflib graph costs more than the writing.
    """
    full, renamed = URIRef(ONTOLOGY_IRI), URIRef(BASE_IRI)
    version_predicate = OWL.versionIRI
    base: list[Triple] = []
    for s, p, o in graph:
        if s == full:
            if p == version_predicate:
                continue
            s = renamed
        base.append((s, p, renamed if o == full else o))
    version_iri = RELEASE_IRI_TEMPLATE.format(version=version).replace("cimo.owl", "cimo-base.owl")
    base.append((renamed, version_predicate, URIRef(version_iri)))
    return base
