"""Agent tables -> OWL, following the shared modelling patterns exactly.

- an agent is a class under its structural parent, with label, definition
  (``IAO:0000115`` and ``skos:definition``) and definition source;
- a target is ``has molecular target`` (CIMO:0000003) some <PR class>, the
  axiom annotated with the record that confirms it; a row whose ``relation`` is
  ``is directed against`` (a cell product's antigen) gives CIMO:0000261 instead;
- a current indication is ``is substance that treats`` (RO:0002606) some
  <MONDO class>, one ``owl:Axiom`` per jurisdiction carrying jurisdiction,
  status, approval date, source and, where the label says so, the required
  biomarker and the combination partner;
- a withdrawn indication (no approval left for that disease) is only the
  annotation ``withdrawn indication`` (CIMO:0000185), reified with its dates;
- marketing status is the annotation ``regulatory status`` (CIMO:0000180),
  reified per jurisdiction;
- brand names and development codes are related synonyms typed through an
  ``owl:Axiom``; short forms and former names are exact synonyms;
- a risk the label states ("CRS ... occurred in patients receiving ...") is
  ``has adverse event risk`` (CIMO:0000507, declared in adverse-events.ttl, a
  sub-property of RO:0003302) some <event class>, the axiom annotated with
  the label it was read in. It is a risk, never a certainty;
- an agent with no single molecular target says so in an ``rdfs:comment``
  annotated with the record that describes how it acts.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from cimo.agents.tables import TARGET_RELATIONS, Indication, Status, Tables
from cimo.vocab import CIMO, OBO, OBOINOWL

TREATS = OBO.RO_0002606
BRAND_NAME = CIMO["CIMO_0000002"]
JURISDICTION = CIMO["CIMO_0000179"]
STATUS = CIMO["CIMO_0000180"]
APPROVAL_DATE = CIMO["CIMO_0000181"]
WITHDRAWAL_DATE = CIMO["CIMO_0000182"]
REQUIRED_BIOMARKER = CIMO["CIMO_0000183"]
IN_COMBINATION_WITH = CIMO["CIMO_0000184"]
WITHDRAWN_INDICATION = CIMO["CIMO_0000185"]
DEVELOPMENT_CODE = CIMO["CIMO_0000186"]
HAS_ADVERSE_EVENT_RISK = CIMO["CIMO_0000507"]

PREFIXES = {
    "CIMO": "https://w3id.org/cimo/CIMO_",
    "dcterms": "http://purl.org/dc/terms/",
    "obo": "http://purl.obolibrary.org/obo/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_OBO_PREFIXES = ("PR", "MONDO", "HP", "CL", "UBERON", "GO", "NCBITaxon", "CHEBI", "OBI")


def iri(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    if prefix == "CIMO":
        return CIMO[f"CIMO_{local}"]
    if prefix in _OBO_PREFIXES:
        return OBO[f"{prefix}_{local}"]
    raise ValueError(f"no IRI rule for {curie}")


def _date(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def _restriction(graph: Graph, prop: URIRef, filler: URIRef) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, OWL.Restriction))
    graph.add((node, OWL.onProperty, prop))
    graph.add((node, OWL.someValuesFrom, filler))
    return node


def _axiom(
    graph: Graph,
    source: URIRef,
    prop: URIRef,
    target: object,
    annotations: list[tuple[URIRef, object]],
) -> None:
    node = BNode()
    graph.add((node, RDF.type, OWL.Axiom))
    graph.add((node, OWL.annotatedSource, source))
    graph.add((node, OWL.annotatedProperty, prop))
    graph.add((node, OWL.annotatedTarget, target))  # type: ignore[arg-type]
    for key, value in annotations:
        graph.add((node, key, value))  # type: ignore[arg-type]


def _restriction_axiom(
    graph: Graph,
    agent: URIRef,
    prop: URIRef,
    filler: URIRef,
    annotations: list[tuple[URIRef, object]],
) -> None:
    """``agent ⊑ prop some filler``, once, with one annotated copy per call."""
    if not any(
        graph.value(r, OWL.someValuesFrom) == filler and graph.value(r, OWL.onProperty) == prop
        for r in graph.objects(agent, RDFS.subClassOf)
    ):
        graph.add((agent, RDFS.subClassOf, _restriction(graph, prop, filler)))
    _axiom(graph, agent, RDFS.subClassOf, _restriction(graph, prop, filler), annotations)


def _regulatory(row: Indication | Status) -> list[tuple[URIRef, object]]:
    notes: list[tuple[URIRef, object]] = [
        (JURISDICTION, Literal(row.jurisdiction)),
        (STATUS, Literal(row.status)),
        (DCTERMS.source, URIRef(row.source)),
    ]
    if row.approval_date:  # undated where the record gives no day
        notes.append((APPROVAL_DATE, _date(row.approval_date)))
    if row.withdrawal_date:
        notes.append((WITHDRAWAL_DATE, _date(row.withdrawal_date)))
    return notes


def to_graph(tables: Tables) -> Graph:
    graph = Graph()
    for agent in tables.agents:
        node = iri(agent.id)
        graph.add((node, RDF.type, OWL.Class))
        graph.add((node, RDFS.label, Literal(agent.label, lang="en")))
        graph.add((node, OBO.IAO_0000115, Literal(agent.definition, lang="en")))
        graph.add((node, SKOS.definition, Literal(agent.definition, lang="en")))
        graph.add((node, OBO.IAO_0000119, URIRef(agent.definition_source)))
        graph.add((node, RDFS.subClassOf, iri(agent.parent)))
    for target in tables.targets:
        _restriction_axiom(
            graph,
            iri(target.agent),
            TARGET_RELATIONS[target.relation],
            iri(target.target),
            [(DCTERMS.source, URIRef(target.source))],
        )
    for status in tables.statuses:
        _axiom(graph, iri(status.agent), STATUS, Literal(status.status), _regulatory(status))
        graph.add((iri(status.agent), STATUS, Literal(status.status)))
    _indications(graph, tables)
    for synonym in tables.synonyms:
        _synonym(graph, synonym.agent, synonym.synonym, synonym.type, synonym.source)
    for risk in tables.risks:
        _restriction_axiom(
            graph,
            iri(risk.agent),
            HAS_ADVERSE_EVENT_RISK,
            iri(risk.event),
            [(DCTERMS.source, URIRef(risk.source))],
        )
    for row in tables.untargeted:
        untargeted = iri(row.agent)
        note = Literal(f"No single molecular target: {row.reason}", lang="en")
        graph.add((untargeted, RDFS.comment, note))
        _axiom(graph, untargeted, RDFS.comment, note, [(DCTERMS.source, URIRef(row.source))])
    return graph


def _indications(graph: Graph, tables: Tables) -> None:
    approved = {(i.agent, i.disease) for i in tables.indications if i.status == "approved"}
    for row in tables.indications:
        agent, disease = iri(row.agent), iri(row.disease)
        notes = _regulatory(row)
        if row.biomarker:
            notes.append((REQUIRED_BIOMARKER, iri(row.biomarker)))
        if row.combination_partner:
            notes.append((IN_COMBINATION_WITH, iri(row.combination_partner)))
        if (row.agent, row.disease) in approved:
            # approved somewhere: the treats axiom stands; this jurisdiction's own
            # status (approved or withdrawn) annotates it
            _restriction_axiom(graph, agent, TREATS, disease, notes)
            continue
        graph.add((agent, WITHDRAWN_INDICATION, disease))
        _axiom(graph, agent, WITHDRAWN_INDICATION, disease, notes)


def _synonym(graph: Graph, agent_curie: str, text: str, kind: str, source: str) -> None:
    agent = iri(agent_curie)
    value = Literal(text, lang="en")
    notes: list[tuple[URIRef, object]] = [(DCTERMS.source, URIRef(source))]
    if kind in ("brand", "code"):
        prop = OBOINOWL.hasRelatedSynonym
        notes.append((OBOINOWL.hasSynonymType, BRAND_NAME if kind == "brand" else DEVELOPMENT_CODE))
    else:
        prop = OBOINOWL.hasExactSynonym
    graph.add((agent, prop, value))
    _axiom(graph, agent, prop, value, notes)
