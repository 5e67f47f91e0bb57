"""Precision and recall of ``cimo map --by-name`` on a labelled set of registry names.

The set (``tests/fixtures/by_name/registry-names.tsv``) gives, for each name, the
labels of the terms it must match, ``|``-separated, or nothing when it must
match nothing. Expected answers are labels rather than IDs so that the set can
name agents CIMO does not cover yet: they count against recall, never against
precision, and recall grows as agents are added.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from cimo.linking.by_name import NameMatcher


@dataclass(frozen=True)
class Case:
    line: int
    name: str
    expected: frozenset[str]
    style: str


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    #: (line, name, what was wrong) for every wrong match
    wrong: list[tuple[int, str, str]] = field(default_factory=list)
    #: (line, name, the expected labels not found)
    missed: list[tuple[int, str, str]] = field(default_factory=list)
    #: expected labels that no CIMO term carries yet
    uncovered: set[str] = field(default_factory=set)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def read_cases(path: Path) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return [
            Case(
                number,
                row["name"],
                frozenset(x for x in (row["expected"] or "").split("|") if x),
                row["style"],
            )
            for number, row in enumerate(reader, start=2)
        ]


def score(cases: list[Case], matcher: NameMatcher) -> Score:
    labels = {name.label for names in matcher.index.names.values() for name in names}
    result = Score()
    for case in cases:
        got = {m.name.label for m in matcher.match(case.name).matches}
        right = got & case.expected
        result.true_positives += len(right)
        result.false_positives += len(got - case.expected)
        result.false_negatives += len(case.expected - got)
        if got - case.expected:
            result.wrong.append((case.line, case.name, ", ".join(sorted(got - case.expected))))
        if case.expected - got:
            result.missed.append((case.line, case.name, ", ".join(sorted(case.expected - got))))
        result.uncovered.update(case.expected - labels)
    return result
