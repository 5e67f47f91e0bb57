"""The CIMO ID scheme is defined once (``cimo.ids``); shapes that carry it as text agree.

SHACL ``sh:pattern`` values and SPARQL ``REGEX`` calls in ``shapes/`` cannot
import Python, so each one that speaks of CIMO IRIs is checked here against the
one definition: it must embed the ID pattern (or the escaped namespace) and
behave like it on a well-formed and a malformed IRI.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from cimo import ids
from cimo.errors import UsageError
from cimo.ledger import LedgerEntry, next_free_id
from cimo.vocab import curie_of, term_iri

ROOT = Path(__file__).resolve().parent.parent
SH_PATTERN = URIRef("http://www.w3.org/ns/shacl#pattern")
SPARQL_REGEX = re.compile(r'REGEX\(\s*[^,]+,\s*"((?:[^"\\]|\\.)*)"')
GOOD = ids.TERM_NS + "0000110"
SHORT = ids.TERM_NS + "000011"


def _unescape_sparql(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def regexes_about_cimo(graph: Graph) -> list[str]:
    """Every ``sh:pattern`` and SPARQL ``REGEX`` pattern that mentions CIMO IRIs or IDs."""
    found = []
    for _, predicate, value in graph.triples((None, None, None)):
        if not isinstance(value, Literal):
            continue
        if predicate == SH_PATTERN:
            found.append(str(value))
        else:
            found += [_unescape_sparql(m) for m in SPARQL_REGEX.findall(str(value))]
    return [p for p in found if ids.LOCAL_PREFIX in p or "w3id" in p]


def scheme_violations(pattern: str) -> list[str]:
    """Why ``pattern`` disagrees with :mod:`cimo.ids` (empty when it agrees)."""
    problems = []
    if "w3id" in pattern and re.escape(ids.CIMO_NS) not in pattern:
        problems.append(f"{pattern!r} does not use the namespace {re.escape(ids.CIMO_NS)!r}")
    if ids.LOCAL_PREFIX in pattern:
        if ids.TERM_ID_PATTERN not in pattern:
            problems.append(f"{pattern!r} does not carry {ids.TERM_ID_PATTERN!r}")
        subject = GOOD if "w3id" in pattern else GOOD.removeprefix(ids.CIMO_NS)
        if not re.search(pattern, subject):
            problems.append(f"{pattern!r} rejects the well-formed {subject}")
        if re.search(pattern, SHORT if "w3id" in pattern else SHORT.removeprefix(ids.CIMO_NS)):
            problems.append(f"{pattern!r} accepts a six-digit ID")
    return problems


def shape_graphs() -> list[tuple[Path, Graph]]:
    return [
        (path, Graph().parse(path, format="turtle"))
        for path in sorted((ROOT / "shapes").rglob("*.ttl"))
    ]


def test_every_shape_pattern_about_cimo_ids_agrees_with_the_one_definition() -> None:
    checked = 0
    for path, graph in shape_graphs():
        for pattern in regexes_about_cimo(graph):
            checked += 1
            assert scheme_violations(pattern) == [], path
    # robot-warnings' invalid_entity_uri (2 patterns) and cimo-rules' malformed IRI rule
    assert checked >= 3


def test_a_shape_with_a_drifted_id_pattern_is_caught() -> None:
    drifted = Graph().parse(
        format="turtle",
        data=r'''
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        [] sh:pattern "^https://w3id\\.org/cimo/CIMO_[0-9]{6}$" .
        [] sh:select """SELECT $this WHERE {
            FILTER(REGEX(STR($this), "^http://w3id\\\\.org/x/CIMO_[0-9]{7}$")) }""" .
    ''',
    )
    patterns = regexes_about_cimo(drifted)
    assert len(patterns) == 2
    problems = [p for pattern in patterns for p in scheme_violations(pattern)]
    assert any("does not carry 'CIMO_[0-9]{7}'" in p for p in problems)
    assert any("rejects the well-formed" in p for p in problems)
    assert any("does not use the namespace" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("CIMO_0000110", True),
        ("CIMO_000011", False),
        ("CIMO_00001100", False),
        ("CIMO_000011\u0660", False),  # an Arabic-Indic zero: \d would accept it, [0-9] does not
        ("cimo_0000110", False),
    ],
)
def test_term_id_pattern_accepts_exactly_seven_ascii_digits(text: str, matches: bool) -> None:
    assert bool(ids.TERM_ID_RE.match(text)) is matches
    assert bool(ids.TERM_IRI_RE.match(ids.CIMO_NS + text)) is matches
    assert bool(re.match(ids.TERM_IRI_PATTERN, ids.CIMO_NS + text)) is matches


def test_ids_expand_format_and_compact_through_the_one_definition() -> None:
    assert ids.format_term_id(110) == "CIMO_0000110"
    assert ids.id_number("CIMO_0000110") == 110
    assert term_iri("CIMO:0000110") == "https://w3id.org/cimo/CIMO_0000110"
    assert curie_of("https://w3id.org/cimo/CIMO_0000110") == "CIMO:0000110"
    assert next_free_id([LedgerEntry("CIMO_0000109", "active", "x", 2)]) == "CIMO_0000110"
    with pytest.raises(UsageError, match="plus exactly 7 digits"):
        term_iri("CIMO:110")
