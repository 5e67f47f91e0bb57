"""RDF/XML of graph fragments (term pages, published snapshots), written by Oxigraph."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from cimo.export import rdfxml
from graphs import same_graph

EX = "https://example.org/"


def test_a_carriage_return_survives_the_round_trip() -> None:
    """Oxigraph 0.5 writes CR raw and XML parsers turn it into LF; the writer escapes it."""
    graph = Graph()
    graph.add((URIRef(EX + "a"), RDFS.comment, Literal("line one\r\nline two\rend <&>")))
    data = rdfxml.serialize(graph)
    assert b"\r" not in data
    assert same_graph(Graph().parse(data=data, format="xml"), graph)


def test_blank_nodes_languages_and_datatypes_round_trip_byte_stably() -> None:
    graph = Graph()
    node = BNode()
    graph.add((URIRef(EX + "a"), URIRef(EX + "p"), node))
    graph.add((node, URIRef(EX + "q"), Literal("x", lang="en")))
    graph.add((node, URIRef(EX + "r"), Literal("2026-01-01", datatype=XSD.date)))
    data = rdfxml.serialize(graph)
    assert same_graph(Graph().parse(data=data, format="xml"), graph)
    assert data == rdfxml.serialize(Graph().parse(data=data, format="xml"))
