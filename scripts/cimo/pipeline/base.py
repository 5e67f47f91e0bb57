"""The ``cimo-base.owl`` release variant: CIMO's own axioms only.

An ontology that imports CIMO should get CIMO's classes and axioms without a
second, possibly older, copy of the reused CL, MONDO, GO... classes and without
CIMO's inferred hierarchy (the importer runs its own reasoner). This is the ODK
"base" convention. The base is the source graph plus the mapping projection: the
release's statements less the import module and the inferred superclasses, under
its own ontology and version IRIs.

It is written from the release's canonical statements, taken before the inferred
superclasses are added, so its blank nodes need no second canonicalization: they
keep the release's RDFC-1.0 labels, which are the base's own, because no statement
outside the base names a blank node (the import module and the inferred
superclasses never do).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.namespace import OWL

from cimo.export.canonical import Triple, to_ox
from cimo.vocab import CIMO_NS, ONTOLOGY_IRI, RELEASE_IRI_TEMPLATE

BASE_IRI = CIMO_NS + "cimo-base.owl"


def from_canonical(
    canonical: Iterable[Triple], imported: set[Triple], version: str
) -> list[ox.Triple]:
    """The base's statements for ``cimo.export.rdfxml.write``, sorted by their
    N-Triples form: the asserted release's canonical statements (before the inferred
    superclasses are added) without ``imported``, the statements only the import
    module holds, which name no blank node; the ontology is renamed and versioned."""
    if any(isinstance(node, BNode) for triple in imported for node in triple):
        raise ValueError(
            "an imported statement names a blank node: the base would need its own canonicalization"
        )
    full, renamed = URIRef(ONTOLOGY_IRI), URIRef(BASE_IRI)
    version_predicate = OWL.versionIRI
    kept: list[ox.Triple] = []
    for s, p, o in canonical:
        if (s, p, o) in imported:
            continue
        if s == full:
            if p == version_predicate:
                continue
            s = renamed
        if o == full:
            o = renamed
        kept.append(ox.Triple(to_ox(s), to_ox(p), to_ox(o)))  # type: ignore[arg-type]
    version_iri = RELEASE_IRI_TEMPLATE.format(version=version).replace("cimo.owl", "cimo-base.owl")
    kept.append(
        ox.Triple(
            ox.NamedNode(BASE_IRI), ox.NamedNode(str(version_predicate)), ox.NamedNode(version_iri)
        )
    )
    kept.sort(key=str)
    return kept
