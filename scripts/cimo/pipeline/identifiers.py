"""Stage 2: check identifiers and labels against the ledger.

These are the mistakes that break data integrators silently (a mistyped ID,
a term that vanished, two terms sharing a label), so they stop the build
before anything is exported.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TypeGuard

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from cimo.errors import BuildError, Problem
from cimo.ids import ID_RULE
from cimo.ledger import LedgerEntry
from cimo.pipeline.load import Source
from cimo.vocab import CIMO_NS, OBOINOWL, ONTOLOGY_IRI, TERM_IRI_RE, TERM_REPLACED_BY

DECLARING_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.AnnotationProperty,
    OWL.DatatypeProperty,
    OWL.NamedIndividual,
)
RELEASE_PREFIX = CIMO_NS + "releases/"


def _is_namespace_iri(node: object) -> TypeGuard[URIRef]:
    return isinstance(node, URIRef) and str(node).startswith(CIMO_NS)


def _is_allowed_non_term(iri: str) -> bool:
    return iri in (ONTOLOGY_IRI, CIMO_NS) or iri.startswith(RELEASE_PREFIX)


def declared_terms(source: Source) -> dict[URIRef, list[Path]]:
    """CIMO term IRI -> the modules that declare it with an OWL entity type."""
    declared: dict[URIRef, list[Path]] = defaultdict(list)
    for path, graph in source.modules.items():
        for kind in DECLARING_TYPES:
            for subject in graph.subjects(RDF.type, kind):
                if _is_namespace_iri(subject) and path not in declared[subject]:
                    declared[subject].append(path)
    return declared


def check_identifiers(source: Source, ledger: list[LedgerEntry]) -> list[Problem]:
    graph = source.graph
    problems: list[Problem] = []
    declared = declared_terms(source)

    mentioned: set[URIRef] = set()
    for triple in graph:
        mentioned.update(n for n in triple if _is_namespace_iri(n))
    for iri in sorted(mentioned):
        text = str(iri)
        if _is_allowed_non_term(text):
            continue
        file, line = source.locate(iri)
        if not TERM_IRI_RE.match(text):
            problems.append(
                Problem(
                    f"malformed CIMO IRI <{text}>",
                    f"term IRIs are {ID_RULE}; mint one with `cimo new-term`",
                    file=file,
                    line=line,
                    term=text,
                )
            )
        elif iri not in declared:
            problems.append(
                Problem(
                    f"CIMO:{text[-7:]} is used but never declared",
                    "declare it (`a owl:Class` etc.) in its module, or correct the reference",
                    file=file,
                    line=line,
                    term=f"CIMO:{text[-7:]}",
                )
            )

    for iri, modules in sorted(declared.items()):
        if len(modules) > 1 and TERM_IRI_RE.match(str(iri)):
            names = ", ".join(p.name for p in modules)
            file, line = source.locate(iri)
            problems.append(
                Problem(
                    f"CIMO:{str(iri)[-7:]} is declared in several modules ({names})",
                    "keep the term in one module; mint a new ID for a different term",
                    file=file,
                    line=line,
                    term=f"CIMO:{str(iri)[-7:]}",
                )
            )

    problems.extend(_check_ledger(source, ledger, set(declared)))
    problems.extend(_check_labels(source, set(declared)))
    return problems


def _check_ledger(
    source: Source, ledger: list[LedgerEntry], declared: set[URIRef]
) -> list[Problem]:
    graph = source.graph
    problems: list[Problem] = []
    by_iri = {URIRef(CIMO_NS + e.id): e for e in ledger}
    for iri, entry in sorted(by_iri.items()):
        curie = f"CIMO:{entry.id[-7:]}"
        if iri not in declared:
            problems.append(
                Problem(
                    f"{curie} ({entry.label}) is in the ledger but missing from the source",
                    "IDs are never deleted: restore the term, or deprecate it "
                    "(owl:deprecated true, obo:IAO_0100001 its replacement) in deprecated.ttl",
                    file="ontology/id-ledger.tsv",
                    line=entry.line,
                    term=curie,
                )
            )
            continue
        deprecated = (iri, OWL.deprecated, Literal(True)) in graph
        file, line = source.locate(iri)
        if entry.status == "deprecated" and not deprecated:
            problems.append(
                Problem(
                    f"{curie} is deprecated in the ledger but not in the source",
                    "add `owl:deprecated true` to the term",
                    file=file,
                    line=line,
                    term=curie,
                )
            )
        if entry.status == "active" and deprecated:
            problems.append(
                Problem(
                    f"{curie} is deprecated in the source but active in the ledger",
                    "set its ledger status to 'deprecated'",
                    file=file,
                    line=line,
                    term=curie,
                )
            )
        if deprecated and not (
            (iri, TERM_REPLACED_BY, None) in graph or (iri, OBOINOWL.consider, None) in graph
        ):
            problems.append(
                Problem(
                    f"{curie} is deprecated without a replacement",
                    "add obo:IAO_0100001 (term replaced by) or oboInOwl:consider",
                    file=file,
                    line=line,
                    term=curie,
                )
            )
    for iri in sorted(declared - set(by_iri)):
        if TERM_IRI_RE.match(str(iri)):
            file, line = source.locate(iri)
            problems.append(
                Problem(
                    f"CIMO:{str(iri)[-7:]} is not in the ID ledger",
                    "mint IDs with `cimo new-term`, which records them in ontology/id-ledger.tsv",
                    file=file,
                    line=line,
                    term=f"CIMO:{str(iri)[-7:]}",
                )
            )
    return problems


def _check_labels(source: Source, declared: set[URIRef]) -> list[Problem]:
    graph = source.graph
    problems: list[Problem] = []
    owners: dict[str, list[URIRef]] = defaultdict(list)
    for iri in sorted(declared):
        if not TERM_IRI_RE.match(str(iri)):
            continue
        curie = f"CIMO:{str(iri)[-7:]}"
        labels = [o for o in graph.objects(iri, RDFS.label) if isinstance(o, Literal)]
        file, line = source.locate(iri)
        if not labels:
            problems.append(
                Problem(
                    "the term has no rdfs:label",
                    'add exactly one `rdfs:label "..."@en`',
                    file=file,
                    line=line,
                    term=curie,
                )
            )
        elif len(labels) > 1:
            shown = ", ".join(sorted(repr(str(x)) for x in labels))
            problems.append(
                Problem(
                    f"the term has {len(labels)} labels ({shown})",
                    "keep one rdfs:label; move the others to synonyms",
                    file=file,
                    line=line,
                    term=curie,
                )
            )
        for label in labels:
            if label.datatype not in (None, XSD.string) and not label.language:
                continue
            deprecated = (iri, OWL.deprecated, Literal(True)) in graph
            if not deprecated:
                owners[str(label).strip().lower()].append(iri)
    for shared, iris in sorted(owners.items()):
        if len(iris) > 1:
            curies = ", ".join(f"CIMO:{str(i)[-7:]}" for i in iris)
            file, line = source.locate(iris[1])
            problems.append(
                Problem(
                    f"the label {shared!r} is shared by {curies}",
                    "labels are unique: make one label more specific",
                    file=file,
                    line=line,
                    term=f"CIMO:{str(iris[1])[-7:]}",
                )
            )
    return problems


def run(source: Source, ledger: list[LedgerEntry]) -> None:
    problems = check_identifiers(source, ledger)
    if problems:
        raise BuildError("identifiers", problems)
