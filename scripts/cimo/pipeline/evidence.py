"""Check evidence: every quoted fact cites a source document and is verbatim.

A quote that does not appear in its document is a fabricated citation, so it
stops the build. Quotes are compared byte for byte with the source documents,
including typographic apostrophes and spacing. The check fails closed: when the
documents' folder or a cited document is missing, the build stops and says
where it looked; only an explicit ``cimo build --skip-evidence-check`` goes on
without them, and the release manifest then says the check was skipped.
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


SKIP_FLAG = "--skip-evidence-check"


def read_documents(graph: Graph, seeds: Path) -> dict[object, str]:
    """The text of every source document, by its node; raises when one cannot be read."""
    documents = sorted(graph.subjects(RDF.type, DCTERMS.BibliographicResource), key=str)
    if not seeds.is_dir():
        raise BuildError(
            "evidence",
            [
                Problem(
                    f"the source documents' folder {seeds} does not exist, so evidence quotes "
                    "cannot be "
                    "checked against them",
                    f"put the documents there, point $CIMO_SEEDS at their folder, or build with "
                    f"`cimo build {SKIP_FLAG}` (the manifest then records that the check was "
                    "skipped)",
                    file=seeds,
                )
            ],
        )
    texts: dict[object, str] = {}
    missing: list[Problem] = []
    for doc in documents:
        name = str(graph.value(doc, DCTERMS.identifier))
        path = seeds / name
        if path.is_file():
            texts[doc] = path.read_text(encoding="utf-8")
        else:
            missing.append(
                Problem(
                    f"source document {name} is not in {seeds}",
                    f"restore it, or build with `cimo build {SKIP_FLAG}`",
                    file=path,
                    term=curie_of(str(doc)) or str(doc),
                )
            )
    if missing:
        raise BuildError("evidence", missing)
    return texts


def check(source: Source, seeds: Path | None) -> list[Problem]:
    """Problems with the quotes; ``seeds=None`` checks only what needs no document."""
    graph = source.graph
    problems: list[Problem] = []
    documents = set(graph.subjects(RDF.type, DCTERMS.BibliographicResource))
    texts = read_documents(graph, seeds) if seeds is not None else {}
    for axiom, quote, doc in sorted(evidence_axioms(graph), key=lambda t: str(t[1])):
        text = str(quote)
        found: list[tuple[str, str]] = []
        if doc not in documents:
            found.append(
                (
                    f"evidence quote {text[:60]!r}... cites no source document",
                    "add dcterms:source with the document's CIMO ID",
                )
            )
        else:
            if len(text) > MAX_QUOTE_LENGTH:
                found.append(
                    (
                        f"evidence quote is {len(text)} characters long",
                        f"shorten it to at most {MAX_QUOTE_LENGTH}",
                    )
                )
            if doc in texts and text not in texts[doc]:
                found.append(
                    (
                        f"evidence quote {text!r} is not verbatim in "
                        f"{graph.value(doc, DCTERMS.identifier)}",
                        "copy the quote exactly from the document (apostrophes and spaces "
                        "included)",
                    )
                )
        if found:  # locating the quote in the modules costs a scan, so only for problems
            problems.extend(
                Problem(message, fix, **_where(source, graph, axiom, text))
                for message, fix in found
            )
    return problems


def _where(source: Source, graph: Graph, axiom: Node, quote: str) -> dict[str, Any]:
    target = (
        graph.value(axiom, OWL.annotatedSource) if (axiom, RDF.type, OWL.Axiom) in graph else axiom
    )
    file, line = source.locate_text(quote)
    if file is None and target is not None:
        file, line = source.locate(target)
    return {"file": file, "line": line, "term": curie_of(str(target)) or str(target)}


def run(source: Source, seeds: Path | None) -> None:
    """Stop the build on any problem; ``seeds=None`` is the explicit skip (the flag)."""
    problems = check(source, seeds)
    if problems:
        raise BuildError("evidence", problems)
