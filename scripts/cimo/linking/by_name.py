"""``cimo map --by-name``: intervention names as registries write them -> CIMO terms.

The index holds every label and synonym of CIMO's live drug and therapy classes
(typed synonyms say whether a name is a brand name or a development code),
keyed by its compact form (see ``name_forms``). A name is read as a sequence of
tokens: runs that spell an indexed name become matches, and every other token
must be accounted for as a dose, unit, route, schedule or connector word. A
segment (the text between ``+ / , ;``, connector words and parentheses) with a
token that is neither is left unmatched as a whole, so that "interferon alfa-2a"
never becomes "interferon": the matcher does not guess. Parenthesised text is
optional: a code or brand inside it adds its match, anything else is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cimo.linking import name_forms as nf
from cimo.linking.catalog import TERM_PREFIX, Catalog

DRUG = TERM_PREFIX + "0000106"
THERAPY = TERM_PREFIX + "0000018"
ROOTS = frozenset({DRUG, THERAPY})
BRAND_NAME = TERM_PREFIX + "0000002"
DEVELOPMENT_CODE = TERM_PREFIX + "0000186"
#: when one term carries one key twice, the more specific kind is reported
KIND_RANK = {"label": 0, "code": 1, "brand": 2, "synonym": 3}

LABEL, SYNONYM, BRAND, CODE, NORMALISED = "label", "synonym", "brand", "code", "normalised"


@dataclass(frozen=True)
class Name:
    """One name of one term, as the ontology writes it."""

    iri: str
    curie: str
    label: str
    text: str
    kind: str


@dataclass(frozen=True)
class Match:
    name: Name
    #: label / synonym / brand / code when the input *is* the name, else normalised
    how: str
    ambiguous: bool


@dataclass
class NameResult:
    input: str
    matches: list[Match] = field(default_factory=list)
    #: parts of the input that named nothing CIMO knows
    unmatched: list[str] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return bool(self.matches)

    @property
    def ambiguous(self) -> bool:
        return any(m.ambiguous for m in self.matches)


def _kind(types: frozenset[str]) -> str:
    if BRAND_NAME in types:
        return BRAND
    if DEVELOPMENT_CODE in types:
        return CODE
    return SYNONYM


class NameIndex:
    """Compact key -> the names (of one or more terms) that spell it."""

    def __init__(self, names: list[Name]) -> None:
        by_key: dict[str, dict[str, Name]] = {}
        for name in names:
            key = nf.compact(name.text)
            if not key:
                continue
            per_term = by_key.setdefault(key, {})
            kept = per_term.get(name.iri)
            if kept is None or KIND_RANK[name.kind] < KIND_RANK[kept.kind]:
                per_term[name.iri] = name
        self.names: dict[str, tuple[Name, ...]] = {
            key: tuple(sorted(terms.values(), key=lambda n: n.curie))
            for key, terms in by_key.items()
        }
        #: every prefix of every key, so a run of tokens stops growing as soon as it can't match
        self.prefixes = frozenset(key[:i] for key in self.names for i in range(1, len(key) + 1))

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> NameIndex:
        names: list[Name] = []
        for iri, term in catalog.terms.items():
            if (
                not term.is_class
                or term.deprecated
                or not term.label
                or not iri.startswith(TERM_PREFIX)
                or not catalog.ancestors_or_self(iri) & ROOTS
            ):
                continue
            names.append(Name(iri, term.curie, term.label, term.label, LABEL))
            for synonym in term.synonyms:
                kind = _kind(catalog.synonym_types.get((iri, synonym), frozenset()))
                names.append(Name(iri, term.curie, term.label, synonym, kind))
        return cls(names)


class NameMatcher:
    def __init__(self, index: NameIndex, cache: bool = True) -> None:
        self.index = index
        self._cache: dict[str, NameResult] | None = {} if cache else None

    def match(self, text: str) -> NameResult:
        if self._cache is not None:
            hit = self._cache.get(text)
            if hit is None:
                hit = self._cache[text] = self._match(text)
            return hit
        return self._match(text)

    def _match(self, text: str) -> NameResult:
        plain = nf.fold(text)
        folded = nf.REGISTRY_TYPE.sub("", plain)
        whole = self.index.names.get(nf.compact(folded))
        if whole is not None:
            ambiguous = len(whole) > 1
            return NameResult(
                text,
                [
                    Match(n, n.kind if nf.fold(n.text) == plain else NORMALISED, ambiguous)
                    for n in whole
                ],
            )
        return self._read_tokens(text, nf.UNIT_SLASH.sub(" per ", nf.FDA_SUFFIX.sub("", folded)))

    def _read_tokens(self, text: str, folded: str) -> NameResult:
        """Walk the tokens: names, noise, and segments that named nothing."""
        names = self.index.names
        prefixes = self.index.prefixes
        toks = nf.tokens(folded)
        result = NameResult(text)
        found: dict[str, Match] = {}
        segment: list[tuple[Name, ...]] = []
        segment_words: list[str] = []
        unexplained = False
        depth = 0

        def close() -> None:
            nonlocal unexplained
            if segment and not unexplained:
                for candidates in segment:
                    for name in candidates:
                        found.setdefault(name.iri, Match(name, NORMALISED, len(candidates) > 1))
            elif unexplained and depth == 0:
                result.unmatched.append(" ".join(segment_words))
            segment.clear()
            segment_words.clear()
            unexplained = False

        i, count = 0, len(toks)
        while i < count:
            tok = toks[i]
            if tok in nf.SEPARATORS or tok in nf.OPENERS or tok in nf.CLOSERS:
                close()
                depth += (tok in nf.OPENERS) - (tok in nf.CLOSERS)
                i += 1
                continue
            key, best, best_end, j = "", None, i, i
            while j < count and toks[j][0].isalnum():
                key += toks[j]
                if key not in prefixes:
                    break
                j += 1
                hit = names.get(key)
                if hit is not None:
                    best, best_end = hit, j
            if best is not None:
                segment.append(best)
                segment_words.extend(toks[i:best_end])
                i = best_end
                continue
            if tok in nf.CONNECTORS:
                close()
            elif not nf.is_noise(tok):
                unexplained = True
                segment_words.append(tok)
            else:
                segment_words.append(tok)
            i += 1
        close()
        result.matches = list(found.values())
        return result
