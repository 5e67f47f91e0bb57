"""Stage 3: check the ontology header and complete what is derived from it.

The version lives in exactly one place, ``owl:versionInfo`` in the header
module; the version IRI is derived from it here so the two can never disagree.
Every described source document is cited from the header with
``dcterms:source``, so adding a document to the sources module is enough.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF
from rdflib.term import Node

from cimo.errors import BuildError, Problem
from cimo.ids import TERM_NS
from cimo.pipeline.load import Source
from cimo.vocab import CC_BY_4, ONTOLOGY_IRI, RELEASE_IRI_TEMPLATE, VANN

VERSION_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REQUIRED = (
    (DCTERMS.title, "a title", 'dcterms:title "..."@en'),
    (DCTERMS.description, "a description", 'dcterms:description "..."@en'),
    (DCTERMS.creator, "a creator", "dcterms:creator <https://orcid.org/...> or a name"),
)


def version_of(graph: Graph) -> str:
    return str(graph.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo))


def _node_order(node: Node) -> tuple[bool, str]:
    """Source documents by IRI (a blank node, which no one can cite, last)."""
    return not isinstance(node, URIRef), str(node)


def check_and_complete(source: Source) -> tuple[str, list[Node]]:
    """Check the header; add the version IRI and document citations. Returns the version."""
    graph = source.graph
    onto = URIRef(ONTOLOGY_IRI)
    problems: list[Problem] = []
    file = "ontology/header.ttl"
    ontologies = list(graph.subjects(RDF.type, OWL.Ontology))
    if ontologies != [onto]:
        found = ", ".join(f"<{o}>" for o in ontologies) or "none"
        raise BuildError(
            "header",
            [
                Problem(
                    f"expected exactly one owl:Ontology <{ONTOLOGY_IRI}>, found {found}",
                    "declare the ontology once, in ontology/header.ttl",
                    file=file,
                )
            ],
        )
    for prop, what, fix in REQUIRED:
        if graph.value(onto, prop) is None:
            problems.append(
                Problem(
                    f"the ontology header has no {what}", f"add {fix}", file=file, term=ONTOLOGY_IRI
                )
            )
    license_ = graph.value(onto, DCTERMS.license)
    if license_ != URIRef(CC_BY_4):
        problems.append(
            Problem(
                f"the licence is {license_!r}, not CC BY 4.0",
                f"set dcterms:license <{CC_BY_4}>",
                file=file,
                term=ONTOLOGY_IRI,
            )
        )
    versions = list(graph.objects(onto, OWL.versionInfo))
    if len(versions) != 1 or not VERSION_RE.match(str(versions[0])):
        problems.append(
            Problem(
                "owl:versionInfo must be one release date, YYYY-MM-DD",
                'set owl:versionInfo "2026-11-22"',
                file=file,
                term=ONTOLOGY_IRI,
            )
        )
    if graph.value(onto, VANN.preferredNamespacePrefix) != Literal("CIMO"):
        problems.append(
            Problem(
                'vann:preferredNamespacePrefix must be "CIMO"',
                'add vann:preferredNamespacePrefix "CIMO"',
                file=file,
            )
        )
    if graph.value(onto, VANN.preferredNamespaceUri) != Literal(TERM_NS):
        problems.append(
            Problem(
                "vann:preferredNamespaceUri must be the CIMO term namespace",
                f'add vann:preferredNamespaceUri "{TERM_NS}"',
                file=file,
            )
        )
    documents = sorted(graph.subjects(RDF.type, DCTERMS.BibliographicResource), key=_node_order)
    for doc in documents:
        for prop in (DCTERMS.title, DCTERMS.identifier):
            if graph.value(doc, prop) is None:
                path, line = source.locate(doc)
                name = prop.n3(graph.namespace_manager)
                problems.append(
                    Problem(
                        f"source document has no {name}",
                        "describe it as stated in its text",
                        file=path,
                        line=line,
                        term=str(doc),
                    )
                )
    if problems:
        raise BuildError("header", problems)

    version = str(versions[0])
    stated = graph.value(onto, OWL.versionIRI)
    derived = URIRef(RELEASE_IRI_TEMPLATE.format(version=version))
    if stated is not None and stated != derived:
        raise BuildError(
            "header",
            [
                Problem(
                    f"owl:versionIRI <{stated}> does not match owl:versionInfo {version}",
                    "remove owl:versionIRI from the source: the build derives it",
                    file=file,
                )
            ],
        )
    graph.add((onto, OWL.versionIRI, derived))
    for doc in documents:
        graph.add((onto, DCTERMS.source, doc))
    return version, documents
