"""Namespaces and IRIs used across the tooling.

Kept in one place so that a changed IRI (for example a corrected RO property)
is changed once and every stage, exporter and check agrees on it.
"""

from __future__ import annotations

import re

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

CIMO_NS = "https://w3id.org/cimo/"
CIMO = Namespace(CIMO_NS)
ONTOLOGY_IRI = CIMO_NS + "cimo.owl"
RELEASE_IRI_TEMPLATE = CIMO_NS + "releases/{version}/cimo.owl"

#: A CIMO term IRI: the namespace, ``CIMO_`` and exactly seven digits.
TERM_IRI_RE = re.compile(r"^https://w3id\.org/cimo/CIMO_(\d{7})$")
TERM_ID_RE = re.compile(r"^CIMO_(\d{7})$")

OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

DEFINITION = OBO.IAO_0000115
DEFINITION_SOURCE = OBO.IAO_0000119
TERM_REPLACED_BY = OBO.IAO_0100001
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"

#: The prefixes every CIMO serialization declares, in a fixed order.
STANDARD_PREFIXES: dict[str, str] = {
    "CIMO": CIMO_NS + "CIMO_",
    "cimo": CIMO_NS,
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "obo": str(OBO),
    "oboInOwl": str(OBOINOWL),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sh": str(SH),
    "skos": str(SKOS),
    "vann": str(VANN),
    "xsd": str(XSD),
}


def term_iri(term_id: str) -> str:
    """Expand ``CIMO_0000001`` (or ``CIMO:0000001``) to its full IRI."""
    local = term_id.replace("CIMO:", "CIMO_")
    if not TERM_ID_RE.match(local):
        raise ValueError(f"{term_id!r} is not a CIMO ID (CIMO_ plus 7 digits)")
    return CIMO_NS + local


def curie_of(iri: str) -> str | None:
    """Return ``CIMO:nnnnnnn`` for a CIMO term IRI, else None."""
    match = TERM_IRI_RE.match(iri)
    return f"CIMO:{match.group(1)}" if match else None

#: CIMO's own annotation property for a verbatim quote from a source document,
#: used on ``owl:Axiom`` annotations together with ``dcterms:source``.
EVIDENCE_QUOTE = CIMO.CIMO_0000001
MAX_QUOTE_LENGTH = 300
