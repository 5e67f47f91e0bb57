"""Namespaces and IRIs used across the tooling.

Kept in one place so that a changed IRI (for example a corrected RO property)
is changed once and every stage, exporter and check agrees on it.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

# The identifier scheme itself lives in cimo.ids (stdlib only); re-exported here
# because most modules take their names from this one.
from cimo.errors import UsageError
from cimo.ids import CIMO_NS as CIMO_NS
from cimo.ids import CURIE_PREFIX, ID_RULE, LOCAL_PREFIX, TERM_NS
from cimo.ids import TERM_ID_RE as TERM_ID_RE
from cimo.ids import TERM_IRI_RE as TERM_IRI_RE

CIMO = Namespace(CIMO_NS)
ONTOLOGY_IRI = CIMO_NS + "cimo.owl"
RELEASE_IRI_TEMPLATE = CIMO_NS + "releases/{version}/cimo.owl"


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
    CURIE_PREFIX: TERM_NS,
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
    local = term_id.replace(CURIE_PREFIX + ":", LOCAL_PREFIX)
    if not TERM_ID_RE.match(local):
        raise UsageError(f"{term_id!r} is not a CIMO ID ({ID_RULE})")
    return CIMO_NS + local


def curie_of(iri: str) -> str | None:
    """Return ``CIMO:nnnnnnn`` for a CIMO term IRI, else None."""
    match = TERM_IRI_RE.match(iri)
    return f"{CURIE_PREFIX}:{match.group(1)}" if match else None


#: CIMO's own annotation property for a verbatim quote from a source document,
#: used on ``owl:Axiom`` annotations together with ``dcterms:source``.
EVIDENCE_QUOTE = CIMO.CIMO_0000001
MAX_QUOTE_LENGTH = 300

#: The two relations an agent row in targets.tsv can state: a molecule that binds a
#: protein has it as molecular target; a cell product or vaccine is directed against
#: its antigen (docs/modelling.md). Spelled once here; the agent tables, the agent
#: module and the landscape statistics all take them from this module.
HAS_MOLECULAR_TARGET = CIMO.CIMO_0000003
IS_DIRECTED_AGAINST = CIMO.CIMO_0000261
