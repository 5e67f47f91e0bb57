"""Turn any common spelling of an identifier into the CURIE the mapping table uses.

Accepted forms: a CURIE with any prefix spelling bioregistry knows
(``DRUGBANK:DB00073``, ``drugbank:DB00073``, ``NCIT:C1702``), an IRI in any of
the namespace's known URI forms (``https://go.drugbank.com/drugs/DB00073``,
``http://purl.obolibrary.org/obo/NCIT_C1702``), an OBO-style ``NCIT_C1702``, and a
bare local ID with a default prefix. The local ID must match bioregistry's
pattern, so that a typo is reported instead of silently matching nothing.

Only when an identifier cannot be read is the full bioregistry loaded, to say
whether the prefix exists at all (and CIMO just does not map to it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cimo.errors import CimoError
from cimo.linking.prefixes import CIMO_PREFIX, PrefixRecord, PrefixTable


@dataclass(frozen=True)
class Identifier:
    prefix: str
    local: str

    @property
    def curie(self) -> str:
        return f"{self.prefix}:{self.local}"

    @property
    def is_cimo(self) -> bool:
        return self.prefix == CIMO_PREFIX


class IdentifierProblem(CimoError):
    """An input that is not a usable identifier; says why and how to write it."""

    def __init__(self, message: str, fix: str) -> None:
        self.message = message
        self.fix = fix
        super().__init__(f"{message} (fix: {fix})")


def _known(table: PrefixTable) -> str:
    return ", ".join(table.prefixes())


def _unknown_prefix(prefix: str, table: PrefixTable) -> IdentifierProblem:
    import bioregistry

    normalized = bioregistry.normalize_prefix(prefix)
    if normalized:
        return IdentifierProblem(
            f"prefix {prefix!r} (bioregistry: {normalized}) is not one CIMO maps to",
            f"CIMO maps to {_known(table)}; translate through one of those",
        )
    return IdentifierProblem(
        f"unknown prefix {prefix!r}: bioregistry does not know it", f"use one of {_known(table)}"
    )


def _unknown_iri(iri: str, table: PrefixTable) -> IdentifierProblem:
    if re.match(r"(?i)https?://w3id\.org/cimo/", iri):
        return IdentifierProblem(
            f"{iri} is not a CIMO term IRI",
            "CIMO term IRIs are https://w3id.org/cimo/CIMO_ + 7 digits",
        )
    import bioregistry

    parsed = bioregistry.parse_iri(iri)
    if parsed is not None and parsed[0]:
        return IdentifierProblem(
            f"{iri} is a {parsed[0]} IRI, and {parsed[0]} is not a prefix CIMO maps to",
            f"CIMO maps to {_known(table)}; translate through one of those",
        )
    return IdentifierProblem(
        f"{iri} is not an IRI form bioregistry recognises",
        "give a CURIE such as drugbank:DB00073 instead",
    )


def _check_local(record: PrefixRecord, local: str) -> Identifier:
    if record.matches(local):
        return Identifier(record.prefix, local)
    fix = f"{record.prefix} IDs match {record.pattern}, e.g. {record.prefix}:{record.example}"
    for candidate in (local.upper(), local.replace(" ", ""), local.zfill(7)):
        if candidate != local and record.matches(candidate):
            fix = f"did you mean {record.prefix}:{candidate}? ({fix})"
            break
    raise IdentifierProblem(f"{record.prefix}:{local} is malformed", fix)


def _bare(text: str, table: PrefixTable) -> IdentifierProblem:
    fits = [r.prefix for r in table.records if r.pattern and r.matches(text)]
    hint = f"; it fits the pattern of {', '.join(fits)}" if fits else ""
    example = f"--prefix {fits[0]}" if len(fits) == 1 else "--prefix drugbank"
    return IdentifierProblem(
        f"{text!r} has no prefix{hint}", f"write it as a CURIE (prefix:ID) or pass {example}"
    )


def normalize(text: str, table: PrefixTable, default_prefix: str | None = None) -> Identifier:
    """Return the identifier in the table's spelling; raise IdentifierProblem otherwise."""
    raw = text.strip().strip("<>").strip()
    if not raw:
        raise IdentifierProblem("empty identifier", "give one identifier per line")
    if "://" in raw:
        parsed = table.parse_iri(raw)
        if parsed is None:
            raise _unknown_iri(raw, table)
        record, local = parsed
        return _check_local(record, local)
    if ":" in raw:
        prefix, _, local = raw.partition(":")
        found = table.lookup(prefix.strip())
        if found is None:
            raise _unknown_prefix(prefix.strip(), table)
        local = local.strip()
        banana = f"{prefix.strip()}:"
        if local.casefold().startswith(banana.casefold()):
            local = local[len(banana) :]
        return _check_local(found, local)
    if default_prefix:
        given = table.lookup(default_prefix)
        if given is None:
            raise _unknown_prefix(default_prefix, table)
        return _check_local(given, raw)
    head, underscore, tail = raw.partition("_")
    obo_style = table.lookup(head) if underscore and tail else None
    if obo_style is not None:
        return _check_local(obo_style, tail)
    raise _bare(raw, table)
