"""Read the SSSOM mapping table and turn it into release statements.

External identifiers live only in ``ontology/mappings/cimo.sssom.tsv``; the
build projects each row into ``skos:*Match`` (to the target's canonical IRI,
expanded with the table's own ``curie_map``), so users of the OWL file see the
mappings without reading SSSOM. Only an exact match also becomes
``oboInOwl:hasDbXref`` (the CURIE): integrators cluster on hasDbXref as if it
meant "same concept", so a close, broad, narrow or related match there would
merge distinct concepts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from cimo.errors import BuildError, Problem
from cimo.sssom_table import SssomFormatError, SssomTable, parse
from cimo.vocab import CIMO_NS, OBOINOWL

PREDICATES = {
    "skos:exactMatch": SKOS.exactMatch,
    "skos:closeMatch": SKOS.closeMatch,
    "skos:broadMatch": SKOS.broadMatch,
    "skos:narrowMatch": SKOS.narrowMatch,
    "skos:relatedMatch": SKOS.relatedMatch,
}

#: Content-farm domains that are never a source (issue 10); the QC rule
#: ``cimoqc:content_farm_source`` (shapes/qc/cimo-rules.ttl) checks the ontology for the same list.
CONTENT_FARMS = (
    "hfurosemide.com",
    "theproperhealth.com",
    "cancerterminology.com",
    "cytotargetdb.ca",
    "dictai.org",
    "everything.explained.today",
    "mycancergenome.org",
)
_FARM = re.compile(
    r"(^|[^a-z0-9-])(" + "|".join(re.escape(d) for d in CONTENT_FARMS) + r")([^a-z0-9-]|$)",
    re.IGNORECASE,
)

#: An opaque look-up reference (a search-tool hit or file id) that a reader cannot follow;
#: the QC rule ``cimoqc:opaque_source`` checks the ontology for the same pattern.
OPAQUE_REFERENCE = re.compile(
    r"find_string|read_file|search[- ]hit|(hit|file) id[s]? [0-9]", re.IGNORECASE
)

#: The one predicate projected to ``oboInOwl:hasDbXref``.
XREF_PREDICATE = "skos:exactMatch"

#: The table and its rows, as read by :mod:`cimo.sssom_table`.
MappingSet = SssomTable


def read_sssom(path: Path) -> MappingSet:
    try:
        return parse(path)
    except SssomFormatError as err:
        raise BuildError(
            "mappings", [Problem(err.message, err.fix, file=path, line=err.line)]
        ) from err
    except FileNotFoundError as err:
        raise BuildError(
            "mappings", [Problem("the mapping table is missing", "restore it from git", file=path)]
        ) from err


def check(mappings: MappingSet, path: Path, known_terms: set[URIRef]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str, str]] = set()
    for row in mappings.rows:
        where: dict[str, Any] = {"file": path, "line": row.line, "term": row.subject_id}
        subject = mappings.expand(row.subject_id)
        if subject is None or URIRef(subject) not in known_terms:
            problems.append(
                Problem(
                    f"subject {row.subject_id} is not a CIMO term",
                    "use the CURIE of an existing term (CIMO:nnnnnnn)",
                    **where,
                )
            )
        if row.predicate_id not in PREDICATES:
            problems.append(
                Problem(
                    f"predicate {row.predicate_id!r} is not a SKOS match",
                    f"use one of {sorted(PREDICATES)}",
                    **where,
                )
            )
        if mappings.expand(row.object_id) is None:
            problems.append(
                Problem(
                    f"object prefix of {row.object_id!r} is not in curie_map",
                    "add the prefix to the curie_map in the table header",
                    **where,
                )
            )
        farm = _FARM.search(row.comment)
        if farm:
            problems.append(
                Problem(
                    f"the comment cites the content-farm site {farm.group(2)}",
                    "cite the primary record the mapping was confirmed in "
                    "(NCIt, DrugBank, UniProt, the WHOCC list, the ontology's "
                    "file), or drop the row",
                    **where,
                )
            )
        opaque = OPAQUE_REFERENCE.search(row.comment)
        if opaque:
            problems.append(
                Problem(
                    f"the comment cites an opaque look-up reference ({opaque.group(0)!r})",
                    "cite the record itself (its URL, or the reference ontology's file at a "
                    "commit), or drop the row",
                    **where,
                )
            )
        key = (row.subject_id, row.predicate_id, row.object_id)
        if key in seen:
            problems.append(Problem("duplicate mapping row", "remove the duplicate", **where))
        seen.add(key)
    return problems


def to_graph(mappings: MappingSet) -> Graph:
    graph = Graph()
    for row in mappings.rows:
        subject = URIRef(mappings.expand(row.subject_id) or "")
        obj = mappings.expand(row.object_id)
        if not str(subject).startswith(CIMO_NS) or obj is None:
            continue
        graph.add((subject, PREDICATES[row.predicate_id], URIRef(obj)))
        if row.predicate_id == XREF_PREDICATE:
            graph.add((subject, OBOINOWL.hasDbXref, Literal(row.object_id)))
    return graph
