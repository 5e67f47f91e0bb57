"""The dataset description, in VoID and DCAT, written to ``void.ttl``.

Harvesters (data catalogues, SPARQL federation tools, Bioregistry-style
registries) look for ``/.well-known/void``; one graph serves both
vocabularies: VoID says what the data holds (triples, classes, the URI space,
the endpoint, the dumps), DCAT says what can be downloaded (one distribution
per release file, with media type, size and SHA-256 checksum). All addresses
are the public w3id ones, so the file is the same wherever it is served.
"""

from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD

from cimo import turtle
from cimo.ids import TERM_NS
from cimo.vocab import CIMO_NS, ONTOLOGY_IRI, RELEASE_IRI_TEMPLATE, TERM_IRI_RE

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")  # DCAT 3
DATASET = URIRef(CIMO_NS + "void.ttl#cimo")
SERVICE = URIRef(CIMO_NS + "void.ttl#sparql")
SPARQL_ENDPOINT = URIRef(CIMO_NS + "sparql")

#: Media types of the release files, by name.
MEDIA_TYPES = {
    "cimo.owl": "application/rdf+xml",
    "cimo.ttl": "text/turtle",
    "cimo.nt": "application/n-triples",
    "cimo.ofn": "text/owl-functional",
    "cimo.obo": "text/plain",
    "cimo.json": "application/json",
    "cimo.jsonld": "application/ld+json",
    "cimo.context.jsonld": "application/ld+json",
    "cimo-edges.ttl": "text/turtle",
    "cimo-shapes.ttl": "text/turtle",
    "cimo.sssom.tsv": "text/tab-separated-values",
    "cimo-terms.tsv": "text/tab-separated-values",
}
DUMPS = ("cimo.ttl", "cimo-edges.ttl")


def describe(graph: Graph, files: dict[str, bytes], version: str) -> Graph:
    """The VoID + DCAT graph of this release."""
    out = Graph()
    for prefix, ns in (
        ("void", VOID),
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("spdx", SPDX),
        ("xsd", XSD),
        ("owl", OWL),
        ("rdfs", RDFS),
    ):
        out.bind(prefix, ns)
    onto = URIRef(ONTOLOGY_IRI)
    add = out.add
    add((DATASET, RDF.type, VOID.Dataset))
    add((DATASET, RDF.type, DCAT.Dataset))
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        for value in graph.objects(onto, prop):
            add((DATASET, prop, value))
    add((DATASET, DCTERMS.source, onto))
    add((DATASET, OWL.versionInfo, Literal(version)))
    add((DATASET, DCAT_VERSION, Literal(version)))
    add((DATASET, DCTERMS.hasVersion, URIRef(RELEASE_IRI_TEMPLATE.format(version=version))))
    add((DATASET, DCAT.landingPage, URIRef(CIMO_NS)))
    add((DATASET, VOID.uriSpace, Literal(TERM_NS)))
    add((DATASET, VOID.exampleResource, URIRef(CIMO_NS + "CIMO_0000110")))
    add((DATASET, VOID.sparqlEndpoint, SPARQL_ENDPOINT))
    add((DATASET, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    add((DATASET, VOID.feature, URIRef("http://www.w3.org/ns/formats/RDF_XML")))
    add((DATASET, VOID.feature, URIRef("http://www.w3.org/ns/formats/JSON-LD")))
    add((DATASET, VOID.feature, URIRef("http://www.w3.org/ns/formats/N-Triples")))
    for name in DUMPS:
        add((DATASET, VOID.dataDump, URIRef(CIMO_NS + name)))
    predicates, subjects = set(), set()
    for s, p, _ in graph:  # one pass (the build writes this last, after everything else)
        predicates.add(p)
        subjects.add(s)
    for vocabulary in sorted(
        {
            str(p).rsplit("#", 1)[0] + "#" if "#" in str(p) else str(p).rsplit("/", 1)[0] + "/"
            for p in predicates
        }
    ):
        add((DATASET, VOID.vocabulary, URIRef(vocabulary)))
    terms = {s for s in subjects if isinstance(s, URIRef) and TERM_IRI_RE.match(str(s))}
    add((DATASET, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
    add((DATASET, VOID.entities, Literal(len(terms), datatype=XSD.integer)))
    add(
        (
            DATASET,
            VOID.classes,
            Literal(len(set(graph.subjects(RDF.type, OWL.Class))), datatype=XSD.integer),
        )
    )
    add((DATASET, VOID.properties, Literal(len(predicates), datatype=XSD.integer)))
    add((DATASET, VOID.distinctSubjects, Literal(len(subjects), datatype=XSD.integer)))

    add((SERVICE, RDF.type, DCAT.DataService))
    add((SERVICE, DCTERMS.title, Literal("CIMO SPARQL endpoint", lang="en")))
    add((SERVICE, DCAT.endpointURL, SPARQL_ENDPOINT))
    add((SERVICE, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    add((SERVICE, DCAT.servesDataset, DATASET))
    add((DATASET, DCAT.distribution, SERVICE))

    for name, media_type in MEDIA_TYPES.items():
        if name not in files:
            continue
        dist = URIRef(CIMO_NS + name)
        add((DATASET, DCAT.distribution, dist))
        add((dist, RDF.type, DCAT.Distribution))
        add((dist, DCTERMS.title, Literal(name)))
        add((dist, DCAT.downloadURL, dist))
        add((dist, DCAT.accessURL, URIRef(CIMO_NS + f"releases/{version}/{name}")))
        add(
            (
                dist,
                DCAT.mediaType,
                URIRef("https://www.iana.org/assignments/media-types/" + media_type),
            )
        )
        add((dist, DCAT.byteSize, Literal(len(files[name]), datatype=XSD.nonNegativeInteger)))
        checksum = BNode(f"checksum-{name}")
        add((dist, SPDX.checksum, checksum))
        add((checksum, RDF.type, SPDX.Checksum))
        add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        add(
            (
                checksum,
                SPDX.checksumValue,
                Literal(hashlib.sha256(files[name]).hexdigest(), datatype=XSD.hexBinary),
            )
        )
    return out


def serialize(description: Graph) -> bytes:
    prefixes = {
        "dcat": str(DCAT),
        "dcterms": str(DCTERMS),
        "owl": str(OWL),
        "rdfs": str(RDFS),
        "spdx": str(SPDX),
        "void": str(VOID),
        "xsd": str(XSD),
    }
    return turtle.serialize(description, prefixes).encode()
