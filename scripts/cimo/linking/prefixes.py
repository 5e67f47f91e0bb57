"""The prefixes CIMO maps to, with every spelling bioregistry knows for them.

Normalising ``DRUGBANK:DB00073`` or ``https://www.drugbank.ca/drugs/DB00073``
needs bioregistry's synonyms and URI prefixes, but importing bioregistry and
building its converter takes one to two seconds. Only the prefixes of the
mapping table matter (an identifier in any other namespace cannot match a
CIMO term), so the table of those few prefixes is built once and cached as
JSON under ``$XDG_CACHE_HOME/cimo``. The cache key covers the bioregistry
version and the table's ``curie_map``, so an upgrade or a new prefix rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from cimo.ids import CURIE_PREFIX, DIGITS_PATTERN

#: Prefixes of the SSSOM vocabulary itself, never the target of a mapping.
#: prefixes of the mapping table that are never mapping targets (vocabularies, and the
#: metadata prefixes of creator_id and object_source)
NON_TARGET_PREFIXES = frozenset(
    {"semapv", "skos", "owl", "rdfs", "oboInOwl", "cimo_project", "bioregistry"}
)
CIMO_PREFIX = CURIE_PREFIX
#: URI spellings of the CIMO namespace seen in the wild, besides the canonical one.
CIMO_URI_SYNONYMS = ("http://w3id.org/cimo/CIMO_",)


@dataclass(frozen=True)
class PrefixRecord:
    """One namespace: the spelling CIMO uses, and every other accepted spelling."""

    prefix: str
    uri_prefix: str
    synonyms: tuple[str, ...] = ()
    uri_prefix_synonyms: tuple[str, ...] = ()
    pattern: str | None = None
    example: str | None = None

    def matches(self, local_id: str) -> bool:
        return self.pattern is None or re.fullmatch(self.pattern, local_id) is not None


@dataclass
class PrefixTable:
    """Case-insensitive prefix lookup and longest-match IRI parsing for the table's prefixes."""

    records: list[PrefixRecord]
    _by_name: dict[str, PrefixRecord] = field(default_factory=dict, init=False, repr=False)
    _uri_prefixes: list[tuple[str, PrefixRecord]] = field(
        default_factory=list, init=False, repr=False
    )

    def __post_init__(self) -> None:
        for record in self.records:
            for name in (record.prefix, *record.synonyms):
                self._by_name.setdefault(name.casefold(), record)
            for uri in (record.uri_prefix, *record.uri_prefix_synonyms):
                self._uri_prefixes.append((uri, record))
        # Longest first, so .../obo/NCIT_ wins over a shorter prefix of it.
        self._uri_prefixes.sort(key=lambda pair: -len(pair[0]))

    def lookup(self, prefix: str) -> PrefixRecord | None:
        return self._by_name.get(prefix.casefold())

    def parse_iri(self, iri: str) -> tuple[PrefixRecord, str] | None:
        for uri_prefix, record in self._uri_prefixes:
            if iri.startswith(uri_prefix) and len(iri) > len(uri_prefix):
                return record, iri[len(uri_prefix) :]
        return None

    def prefixes(self) -> list[str]:
        return [r.prefix for r in self.records]

    def to_json(self) -> str:
        return json.dumps([r.__dict__ for r in self.records], indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PrefixTable:
        rows: list[dict[str, Any]] = json.loads(text)
        records = []
        for row in rows:
            fields: dict[str, Any] = {
                k: tuple(v) if isinstance(v, list) else v for k, v in row.items()
            }
            records.append(PrefixRecord(**fields))
        return cls(records)


def _record_from_bioregistry(prefix: str, uri_prefix: str) -> PrefixRecord:
    import bioregistry

    resource: bioregistry.Resource | None = bioregistry.get_resource(prefix)
    if resource is None:
        return PrefixRecord(prefix, uri_prefix)
    names = {resource.prefix, *resource.get_synonyms()}
    preferred = resource.get_preferred_prefix()
    if preferred:
        names.add(preferred)
    names.discard(prefix)
    uris = set(resource.get_uri_prefixes() or ())
    uris.discard(uri_prefix)
    return PrefixRecord(
        prefix,
        uri_prefix,
        tuple(sorted(names)),
        tuple(sorted(uris)),
        resource.get_pattern(),
        resource.get_example(),
    )


def build_table(curie_map: dict[str, str]) -> PrefixTable:
    """Ask bioregistry (offline, bundled data) about every prefix of the table."""
    records = []
    for prefix, uri_prefix in sorted(curie_map.items()):
        if prefix in NON_TARGET_PREFIXES:
            continue
        if prefix == CIMO_PREFIX:
            records.append(
                PrefixRecord(
                    CIMO_PREFIX,
                    uri_prefix,
                    ("cimo",),
                    CIMO_URI_SYNONYMS,
                    f"^{DIGITS_PATTERN}$",
                    "0000110",
                )
            )
        else:
            records.append(_record_from_bioregistry(prefix, uri_prefix))
    return PrefixTable(records)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cimo"


def cache_key(curie_map: dict[str, str]) -> str:
    payload = json.dumps([version("bioregistry"), sorted(curie_map.items())])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def load_table(curie_map: dict[str, str], use_cache: bool = True) -> PrefixTable:
    """The prefix table for ``curie_map``, from the cache when it is current."""
    path = cache_dir() / f"prefixes-{cache_key(curie_map)}.json"
    if use_cache:
        try:
            return PrefixTable.from_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            pass
    table = build_table(curie_map)
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".tmp-{os.getpid()}")
            temporary.write_text(table.to_json(), encoding="utf-8")
            temporary.replace(path)
        except OSError:
            pass  # a read-only home only costs start-up time
    return table
