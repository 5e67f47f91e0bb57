"""Translate one identifier through the mapping table, in either direction.

An external identifier gives the CIMO terms mapped to it; a CIMO identifier
gives its external identifiers. Rows are always shown in the table's own
orientation (CIMO term, predicate, external ID), so ``skos:broadMatch`` reads
the same way whichever side was asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cimo.linking.catalog import TERM_PREFIX, Catalog
from cimo.linking.identifiers import IdentifierProblem, normalize
from cimo.linking.mapping_index import MappingIndex, MappingRow
from cimo.linking.prefixes import PrefixTable
from cimo.linking.suggest import did_you_mean

#: Outcomes, from best to worst; the command's exit status follows the worst one.
MAPPED, UNMAPPED, ERROR = "mapped", "unmapped", "error"


@dataclass
class Translation:
    input: str
    where: str
    status: str
    identifier: str | None = None
    message: str | None = None
    fix: str | None = None
    rows: list[MappingRow] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "input": self.input,
            "where": self.where,
            "id": self.identifier,
            "status": self.status,
            "message": self.message,
            "fix": self.fix,
            "mappings": [row.as_dict() for row in self.rows],
        }


@dataclass
class Translator:
    index: MappingIndex
    table: PrefixTable
    #: loaded only when a CIMO identifier is asked for (labels, deprecations)
    catalog_loader: Callable[[], Catalog]
    default_prefix: str | None = None
    _catalog: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = self.catalog_loader()
        return self._catalog

    def translate(self, text: str, where: str) -> Translation:
        try:
            identifier = normalize(text, self.table, self.default_prefix)
        except IdentifierProblem as problem:
            return Translation(text, where, ERROR, message=problem.message, fix=problem.fix)
        if identifier.is_cimo:
            return self._from_cimo(text, where, identifier.curie, identifier.local)
        rows = self.index.for_object(identifier.curie)
        if rows:
            return Translation(text, where, MAPPED, identifier.curie, rows=rows)
        return Translation(
            text,
            where,
            UNMAPPED,
            identifier.curie,
            message=f"no CIMO term is mapped to {identifier.curie}",
            fix="check the ID, or map it: see ontology/mappings/cimo.sssom.tsv",
        )

    def _from_cimo(self, text: str, where: str, curie: str, local: str) -> Translation:
        iri = TERM_PREFIX + local
        term = self.catalog.term(iri)
        if term is None:
            return Translation(
                text,
                where,
                ERROR,
                curie,
                message=f"{curie} is not a CIMO term",
                fix=did_you_mean(self.catalog, iri),
            )
        if term.deprecated:
            replacement = (
                self.catalog.describe(term.replaced_by)
                if term.replaced_by
                else "no replacement recorded"
            )
            return Translation(
                text,
                where,
                UNMAPPED,
                curie,
                message=f"{curie} ({term.label}) is deprecated",
                fix=f"use {replacement}",
            )
        rows = self.index.for_subject(curie)
        if rows:
            return Translation(text, where, MAPPED, curie, rows=rows)
        return Translation(
            text,
            where,
            UNMAPPED,
            curie,
            message=f"{self.catalog.describe(iri)} has no external mappings",
            fix="none needed; ask for a broader or narrower term instead",
        )
