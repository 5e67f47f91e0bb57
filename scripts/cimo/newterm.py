"""``cimo new-term``: mint the next free ID, record it, and add the class.

Minting goes through the ledger so that an ID is never handed out twice, even
after the term it named was deprecated. The module and the ledger change
together or not at all (:func:`cimo.atomic.replace_together`): a ledger entry
without its term, or a term without its entry, would break the next build.

A CURIE given as ``--parent`` or ``--source`` is expanded with the prefixes the
project declares (the module's own ``@prefix`` lines, the standard prefixes,
and the mapping table's ``curie_map``); an unknown prefix is refused rather
than guessed, because a guessed IRI is a wrong identifier.
"""

from __future__ import annotations

import curies
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from cimo import turtle
from cimo.atomic import replace_together
from cimo.errors import UsageError
from cimo.fmt import declared_prefixes, outside, same_graph_or_raise
from cimo.ids import CURIE_PREFIX, LOCAL_PREFIX, curie_of_id
from cimo.ledger import entry_line, next_free_id, read_ledger
from cimo.mappings import read_sssom
from cimo.paths import ProjectPaths
from cimo.pipeline.load import parse_module
from cimo.vocab import DEFINITION, DEFINITION_SOURCE, STANDARD_PREFIXES, term_iri

KINDS = {
    "class": OWL.Class,
    "object-property": OWL.ObjectProperty,
    "annotation-property": OWL.AnnotationProperty,
}


def mint(
    paths: ProjectPaths,
    module: str,
    label: str,
    definition: str,
    parent: str | None,
    source: str,
    kind: str = "class",
) -> str:
    """Add a fully annotated term to ``ontology/<module>.ttl``; return its CURIE."""
    path = paths.ontology / f"{module}.ttl"
    if not path.is_file():
        choices = ", ".join(p.stem for p in paths.modules())
        raise UsageError(f"no module {path}: choose one of {choices}")
    if outside([path], paths.ontology):  # a link (or ../) would write someone else's file
        raise UsageError(
            f"refusing to write {path}: it leads outside {paths.ontology} "
            f"(to {path.resolve()}); use a module that lives in ontology/"
        )
    if not label.strip() or not definition.strip():
        raise UsageError("a new term needs a non-empty --label and --definition")
    if any(c in label for c in "\t\r\n"):
        raise UsageError("--label must be one line without tabs (it is a ledger cell)")
    graph, text = parse_module(path)
    converter = _converter(paths, declared_prefixes(text))
    ledger_text = paths.ledger.read_text(encoding="utf-8")
    term_id = next_free_id(read_ledger(paths.ledger))
    iri = URIRef(term_iri(term_id))
    graph.add((iri, RDF.type, KINDS[kind]))
    graph.add((iri, RDFS.label, Literal(label, lang="en")))
    graph.add((iri, DEFINITION, Literal(definition, lang="en")))
    graph.add((iri, SKOS.definition, Literal(definition, lang="en")))
    graph.add((iri, DEFINITION_SOURCE, _source_node(source, converter)))
    if parent:
        relation = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
        graph.add((iri, relation, URIRef(_expand(parent, converter))))
    if ledger_text and not ledger_text.endswith("\n"):
        ledger_text += "\n"
    new_text = turtle.serialize(graph, declared_prefixes(text))
    same_graph_or_raise(path, graph, new_text)  # what is written reads back as the graph
    replace_together(
        {
            paths.ledger: ledger_text + entry_line(term_id, label),
            path: new_text,
        }
    )
    return curie_of_id(term_id)


def _converter(paths: ProjectPaths, module_prefixes: dict[str, str]) -> curies.Converter:
    """The project's prefixes; the first spelling of a URI prefix wins."""
    candidates = {**read_sssom(paths.mappings).curie_map, **STANDARD_PREFIXES, **module_prefixes}
    prefix_map: dict[str, str] = {}
    for prefix, uri_prefix in candidates.items():
        if uri_prefix not in prefix_map.values():
            prefix_map[prefix] = uri_prefix
    return curies.Converter.from_prefix_map(prefix_map)


def _expand(reference: str, converter: curies.Converter) -> str:
    if reference.startswith(("http://", "https://")):
        return reference
    if reference.startswith((CURIE_PREFIX + ":", LOCAL_PREFIX)):
        return term_iri(reference)
    prefix, colon, _ = reference.partition(":")
    expanded = converter.expand(reference) if colon else None
    if expanded is None:
        known = ", ".join(sorted(converter.prefix_map))
        raise UsageError(
            f"cannot expand {reference!r}: unknown prefix {prefix!r}; give a full IRI, or a "
            f"CURIE with one of the project's prefixes ({known})"
        )
    return expanded


def _source_node(source: str, converter: curies.Converter) -> URIRef | Literal:
    if source.startswith((CURIE_PREFIX + ":", LOCAL_PREFIX, "http://", "https://")):
        return URIRef(_expand(source, converter))
    return Literal(source)
