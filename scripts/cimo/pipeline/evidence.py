"""Check evidence: every quoted fact cites a source document and is verbatim.

A quote that does not appear in its document is a fabricated citation, so it
stops the build. Quotes are compared byte for byte with the seed files (when
the seeds are beside the checkout, as in CI), including typographic
apostrophes and spacing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import DCTERMS, OWL, RDF
from rdflib.term import Node

from cimo.errors import BuildError, Problem
from cimo.pipeline.load import Source
from cimo.vocab import EVIDENCE_QUOTE, MAX_QUOTE_LENGTH, curie_of


def evidence_axioms(graph: Graph) -> list[tuple[Node, Node, Node | None]]:
    """(axiom, quote, cited document) for every quote in the graph."""
    found = []
    for axiom, quote in graph.subject_objects(EVIDENCE_QUOTE):
        found.append((axiom, quote, graph.value(axiom, DCTERMS.source)))
    return found


def check(source: Source, seeds: Path | None) -> list[Problem]:
    graph = source.graph
    problems: list[Problem] = []
    documents = set(graph.subjects(RDF.type, DCTERMS.BibliographicResource))
    texts: dict[Node, str] = {}
    if seeds is not None and seeds.is_dir():
        for document in documents:
            name = graph.value(document, DCTERMS.identifier)
            path = seeds / str(name)
            if path.is_file():
                texts[document] = path.read_text(encoding="utf-8")
    for axiom, quote, doc in sorted(evidence_axioms(graph), key=lambda t: str(t[1])):
        text = str(quote)
        found: list[tuple[str, str]] = []
        if doc not in documents:
            found.append((f"evidence quote {text[:60]!r}... cites no source document",
                          "add dcterms:source with the document's CIMO ID"))
        else:
            if len(text) > MAX_QUOTE_LENGTH:
                found.append((f"evidence quote is {len(text)} characters long",
                              f"shorten it to at most {MAX_QUOTE_LENGTH}"))
            if doc in texts and text not in texts[doc]:
                found.append((f"evidence quote {text!r} is not verbatim in "
                              f"{graph.value(doc, DCTERMS.identifier)}",
                              "copy the quote exactly from the document (apostrophes and spaces "
                              "included)"))
        if found:  # locating the quote in the modules costs a scan, so only for problems
            problems.extend(Problem(message, fix, **_where(source, graph, axiom, text))
                            for message, fix in found)
    return problems


def _where(source: Source, graph: Graph, axiom: Node, quote: str) -> dict[str, Any]:
    target = (graph.value(axiom, OWL.annotatedSource)
              if (axiom, RDF.type, OWL.Axiom) in graph else axiom)
    file, line = source.locate_text(quote)
    if file is None and target is not None:
        file, line = source.locate(target)
    return {"file": file, "line": line, "term": curie_of(str(target)) or str(target)}


def run(source: Source, seeds: Path | None) -> None:
    problems = check(source, seeds)
    if problems:
        raise BuildError("evidence", problems)
