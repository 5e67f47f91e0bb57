"""``cimo new-term``: mint the next free ID, record it, and add the class.

Minting goes through the ledger so that an ID is never handed out twice, even
after the term it named was deprecated.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cimo import turtle
from cimo.fmt import declared_prefixes, outside, write_checked
from cimo.ledger import append_entry, next_free_id, read_ledger
from cimo.paths import ProjectPaths
from cimo.pipeline.load import parse_module
from cimo.vocab import DEFINITION, DEFINITION_SOURCE, SKOS, term_iri

KINDS = {"class": OWL.Class, "object-property": OWL.ObjectProperty,
         "annotation-property": OWL.AnnotationProperty}


def mint(paths: ProjectPaths, module: str, label: str, definition: str, parent: str | None,
         source: str, kind: str = "class") -> str:
    """Add a fully annotated term to ``ontology/<module>.ttl``; return its CURIE."""
    path = paths.ontology / f"{module}.ttl"
    if not path.is_file():
        choices = ", ".join(p.stem for p in paths.modules())
        raise ValueError(f"no module {path}: choose one of {choices}")
    if outside([path], paths.ontology):  # a link (or ../) would write someone else's file
        raise ValueError(f"refusing to write {path}: it leads outside {paths.ontology} "
                         f"(to {path.resolve()}); use a module that lives in ontology/")
    if not label.strip() or not definition.strip():
        raise ValueError("a new term needs a non-empty --label and --definition")
    graph, text = parse_module(path)
    entries = read_ledger(paths.ledger)
    term_id = next_free_id(entries)
    iri = URIRef(term_iri(term_id))
    graph.add((iri, RDF.type, KINDS[kind]))
    graph.add((iri, RDFS.label, Literal(label, lang="en")))
    graph.add((iri, DEFINITION, Literal(definition, lang="en")))
    graph.add((iri, SKOS.definition, Literal(definition, lang="en")))
    graph.add((iri, DEFINITION_SOURCE, _source_node(source)))
    if parent:
        relation = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
        graph.add((iri, relation, URIRef(_expand(parent))))
    new_text = turtle.serialize(graph, declared_prefixes(text))
    write_checked(path, graph, new_text)
    append_entry(paths.ledger, term_id, label)
    return "CIMO:" + term_id[len("CIMO_"):]


def _expand(reference: str) -> str:
    if reference.startswith(("http://", "https://")):
        return reference
    if reference.startswith(("CIMO:", "CIMO_")):
        return term_iri(reference)
    prefix, _, local = reference.partition(":")
    if prefix in ("obo", "OBO"):
        return "http://purl.obolibrary.org/obo/" + local
    return f"http://purl.obolibrary.org/obo/{prefix}_{local}"


def _source_node(source: str) -> URIRef | Literal:
    if source.startswith(("CIMO:", "CIMO_", "http://", "https://")):
        return URIRef(_expand(source))
    return Literal(source)

