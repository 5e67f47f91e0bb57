""" "Did you mean ...?" for a CIMO IRI or ID that does not exist.

Two kinds of mistake are common: a mistyped number (``CIMO_0001100``,
``CIMO_110``) and a label where an ID belongs (``https://w3id.org/cimo/rituximab``).
Numbers are matched by edit distance (transpositions count once), words by
similarity to the labels and synonyms of live terms. Deprecated terms are
never suggested.
"""

from __future__ import annotations

import difflib
import re
from urllib.parse import unquote

from cimo.ids import CIMO_NS
from cimo.linking.catalog import TERM_PREFIX, Catalog

_NAMESPACES = (CIMO_NS, "http://w3id.org/cimo/")
_NUMBER = re.compile(r"(?i)(?:cimo[_:]?)?0*(\d{1,7})")
MAX_DISTANCE = 2


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _local_part(text: str) -> str:
    for namespace in _NAMESPACES:
        if text.startswith(namespace):
            return text[len(namespace) :]
    return text.split(":", 1)[1] if text.upper().startswith("CIMO:") else text


def _live(catalog: Catalog) -> list[str]:
    return [
        iri
        for iri, term in catalog.terms.items()
        if iri.startswith(TERM_PREFIX) and not term.deprecated
    ]


def _by_number(catalog: Catalog, digits: str, limit: int) -> list[str]:
    live = _live(catalog)
    exact = TERM_PREFIX + digits.zfill(7)
    if exact in live:
        return [exact]
    wanted = digits.zfill(7)
    scored = sorted((edit_distance(wanted, iri[len(TERM_PREFIX) :]), iri) for iri in live)
    return [iri for distance, iri in scored if distance <= MAX_DISTANCE][:limit]


def _by_words(catalog: Catalog, words: str, limit: int) -> list[str]:
    names: dict[str, str] = {}
    for iri in _live(catalog):
        term = catalog.terms[iri]
        for name in (term.label, *term.synonyms):
            if name:
                names.setdefault(name.casefold(), iri)
    if words in names:
        return [names[words]]
    close = difflib.get_close_matches(words, list(names), n=limit * 3, cutoff=0.6)
    found: list[str] = []
    for name in close:
        if names[name] not in found:
            found.append(names[name])
    return found[:limit]


def suggest(catalog: Catalog, text: str, limit: int = 3) -> list[str]:
    """IRIs of the live terms that ``text`` (an IRI, CURIE or local name) most likely meant."""
    local = unquote(_local_part(text.strip()))
    number = _NUMBER.fullmatch(local)
    if number:
        return _by_number(catalog, number.group(1), limit)
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local)
    words = re.sub(r"[_\-+.\s]+", " ", words).strip().casefold()
    return _by_words(catalog, words, limit) if words else []


def did_you_mean(catalog: Catalog, text: str) -> str:
    """The sentence for a message, or a pointer to the term list when nothing is close."""
    found = suggest(catalog, text)
    if not found:
        return "no CIMO term has a similar ID or label; look it up in build/cimo-terms.tsv"
    shown = ", ".join(catalog.describe(iri) for iri in found)
    return f"did you mean {shown}?" if len(found) == 1 else f"did you mean one of {shown}?"
