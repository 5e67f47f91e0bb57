"""The agent tables under ``ontology/agents/``: read, and check every row.

The tables are the edited source for the approved-agent landscape, the way ODK
pattern tables are the source of a module: one row per fact, each with the
primary record it was confirmed in. A bad row is reported with its file, line,
what is wrong and how to fix it; every bad row is reported, not just the first.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cimo.errors import Problem
from cimo.vocab import HAS_MOLECULAR_TARGET, IS_DIRECTED_AGAINST

AGENT_ID_RE = re.compile(r"CIMO:(\d{7})")
#: the landscape's own range of IDs (see the ID ledger)
AGENT_RANGE = range(500, 1000)
CIMO_RE = re.compile(r"CIMO:\d{7}")
PR_RE = re.compile(r"PR:(\d{9}|[A-NR-Z][0-9][A-Z0-9]{3}[0-9]|[OPQ][0-9][A-Z0-9]{3}[0-9])")
MONDO_RE = re.compile(r"MONDO:\d{7}")
UNIPROT_RE = re.compile(r"[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2}")
URL_RE = re.compile(r"https?://\S+")
JURISDICTIONS = ("US", "EU")
SYNONYM_TYPES = ("brand", "code", "short", "former")

COLUMNS = {
    "agents.tsv": ("id", "label", "parent", "definition", "definition_source"),
    "targets.tsv": ("agent", "target", "uniprot", "source"),
    "status.tsv": ("agent", "jurisdiction", "status", "approval_date", "withdrawal_date", "source"),
    "indications.tsv": (
        "agent",
        "disease",
        "jurisdiction",
        "status",
        "approval_date",
        "withdrawal_date",
        "biomarker",
        "combination_partner",
        "source",
    ),
    "synonyms.tsv": ("agent", "synonym", "type", "source"),
    "risks.tsv": ("agent", "event", "source", "quote"),
    "untargeted.tsv": ("agent", "reason", "source"),
}
#: tables that may be absent (older trees); the others must exist
OPTIONAL_TABLES = frozenset({"risks.tsv", "untargeted.tsv"})
#: trailing columns a table may have; a row may leave them out (it then takes the default)
OPTIONAL_COLUMNS = {"targets.tsv": ("relation",)}
#: the relation a target row states, by its label; an empty cell is 'has molecular target'.
#: A molecule that binds the protein has it as molecular target (CIMO:0000003); a cell
#: product or vaccine is directed against its antigen (CIMO:0000261, docs/modelling.md).
TARGET_RELATIONS = {
    "has molecular target": HAS_MOLECULAR_TARGET,
    "is directed against": IS_DIRECTED_AGAINST,
}
DEFAULT_TARGET_RELATION = "has molecular target"


@dataclass(frozen=True)
class Agent:
    id: str
    label: str
    parent: str
    definition: str
    definition_source: str
    line: int


@dataclass(frozen=True)
class Target:
    agent: str
    target: str
    uniprot: str
    source: str
    line: int
    relation: str = DEFAULT_TARGET_RELATION


@dataclass(frozen=True)
class Status:
    agent: str
    jurisdiction: str
    status: str
    approval_date: str
    withdrawal_date: str
    source: str
    line: int


@dataclass(frozen=True)
class Indication:
    agent: str
    disease: str
    jurisdiction: str
    status: str
    approval_date: str
    withdrawal_date: str
    biomarker: str
    combination_partner: str
    source: str
    line: int


@dataclass(frozen=True)
class Synonym:
    agent: str
    synonym: str
    type: str
    source: str
    line: int


@dataclass(frozen=True)
class Risk:
    agent: str
    event: str
    source: str
    quote: str
    line: int


@dataclass(frozen=True)
class Untargeted:
    """An agent that acts through no single molecular target (a live virus or
    bacterium, a polyclonal cell product, a gene vector), with the record that
    describes how it acts instead: the reason the completeness rule accepts it
    without a target row."""

    agent: str
    reason: str
    source: str
    line: int


@dataclass
class Tables:
    agents: list[Agent] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)
    indications: list[Indication] = field(default_factory=list)
    synonyms: list[Synonym] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    untargeted: list[Untargeted] = field(default_factory=list)

    @property
    def agent_ids(self) -> set[str]:
        return {a.id for a in self.agents}


@dataclass(frozen=True)
class Known:
    """What the tables may refer to outside themselves."""

    #: CIMO CURIEs declared by the ontology modules (parents, existing agents, biomarkers)
    cimo: frozenset[str]
    #: CURIE -> label of every imported class (``ontology/imports/*.tsv``)
    imported: dict[str, str]


def _rows(path: Path, problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    required = COLUMNS[path.name]
    optional = OPTIONAL_COLUMNS.get(path.name, ())
    expected = required + optional
    if not path.exists():
        if path.name in OPTIONAL_TABLES:
            return
        problems.append(
            Problem(
                "the table is missing",
                "restore it with the header " + "\\t".join(expected),
                file=path,
            )
        )
        return
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(header) not in (required, expected):
            shown = list(required) + [f"({c})" for c in optional]
            problems.append(
                Problem(
                    f"the header is {header}, not {shown}",
                    "use exactly these tab-separated column names (those in "
                    "parentheses may be left out)",
                    file=path,
                    line=1,
                )
            )
            return
        for number, row in enumerate(reader, start=2):
            if not row or not "".join(row).strip():
                continue
            if len(required) <= len(row) < len(expected):
                row = row + [""] * (len(expected) - len(row))  # optional cells left out
            if len(row) != len(expected):
                problems.append(
                    Problem(
                        f"{len(row)} cells where the table has {len(expected)}",
                        "separate the cells with exactly one tab each, leaving empty cells empty",
                        file=path,
                        line=number,
                    )
                )
                continue
            yield number, {k: v.strip() for k, v in zip(expected, row, strict=True)}


class _Checker:
    """Collects the problems of one table, each with its file and line."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def fail(self, line: int, message: str, fix: str) -> None:
        self.problems.append(Problem(message, fix, file=self.path, line=line))

    def pattern(
        self,
        line: int,
        column: str,
        value: str,
        regex: re.Pattern[str],
        example: str,
        optional: bool = False,
    ) -> bool:
        if optional and not value:
            return True
        if regex.fullmatch(value):
            return True
        shown = repr(value) if value else "empty"
        self.fail(line, f"{column} is {shown}", f"write it like {example}")
        return False

    def date(self, line: int, column: str, value: str, optional: bool = False) -> bool:
        if optional and not value:
            return True
        try:
            dt.date.fromisoformat(value)
            return len(value) == 10
        except ValueError:
            self.fail(
                line,
                f"{column} {value!r} is not a date",
                "write the day the record gives, as YYYY-MM-DD",
            )
            return False

    def choice(self, line: int, column: str, value: str, choices: tuple[str, ...]) -> bool:
        if value in choices:
            return True
        self.fail(line, f"{column} is {value!r}", f"use one of: {', '.join(choices)}")
        return False

    def nonempty(self, line: int, column: str, value: str, fix: str) -> bool:
        if value:
            return True
        self.fail(line, f"{column} is empty", fix)
        return False


def _agent_ref(
    check: _Checker, line: int, value: str, tables: Tables, known: Known, own_only: bool
) -> bool:
    if value in tables.agent_ids or (not own_only and value in known.cimo):
        return True
    where = "agents.tsv" if own_only else "agents.tsv or the ontology modules"
    check.fail(
        line,
        f"agent {value!r} is not in {where}",
        "add the agent to agents.tsv first, or correct the ID",
    )
    return False


def _imported(
    check: _Checker, line: int, column: str, value: str, known: Known, table: str
) -> bool:
    if value in known.imported:
        return True
    check.fail(
        line,
        f"{column} {value} is not in ontology/imports/{table}",
        f"add a confirmed row for {value} to ontology/imports/{table} (label, "
        f"definition, parent, source), or correct the ID",
    )
    return False


def _read_agents(folder: Path, tables: Tables, known: Known, problems: list[Problem]) -> None:
    path = folder / "agents.tsv"
    check = _Checker(path, problems)
    labels: dict[str, int] = {}
    for line, row in _rows(path, problems):
        ok = check.pattern(line, "id", row["id"], AGENT_ID_RE, "CIMO:0000500")
        match = AGENT_ID_RE.fullmatch(row["id"])
        if match and int(match.group(1)) not in AGENT_RANGE:
            check.fail(
                line,
                f"{row['id']} is outside the landscape's range",
                "take the next free ID from CIMO:0000500-CIMO:0000999 and record "
                "it in ontology/id-ledger.tsv",
            )
            ok = False
        if row["id"] in tables.agent_ids:
            check.fail(line, f"{row['id']} is listed twice", "keep one row per agent")
            ok = False
        ok &= check.nonempty(line, "label", row["label"], "give the INN, in lower case")
        if row["label"].casefold() in labels:
            check.fail(
                line,
                f"label {row['label']!r} is also on line {labels[row['label'].casefold()]}",
                "give each agent its own INN",
            )
            ok = False
        labels[row["label"].casefold()] = line
        ok &= check.pattern(line, "parent", row["parent"], CIMO_RE, "CIMO:0000108")
        if CIMO_RE.fullmatch(row["parent"]) and row["parent"] not in known.cimo:
            check.fail(
                line,
                f"parent {row['parent']} is not declared in the ontology",
                "use a structural class the modules declare (monoclonal antibody, "
                "CAR T-cell product, ...)",
            )
            ok = False
        ok &= check.nonempty(
            line,
            "definition",
            row["definition"],
            "write a genus-differentia definition without indications",
        )
        ok &= check.pattern(
            line,
            "definition_source",
            row["definition_source"],
            URL_RE,
            "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=...",
        )
        if ok:
            tables.agents.append(
                Agent(
                    row["id"],
                    row["label"],
                    row["parent"],
                    row["definition"],
                    row["definition_source"],
                    line,
                )
            )


def _read_targets(folder: Path, tables: Tables, known: Known, problems: list[Problem]) -> None:
    path = folder / "targets.tsv"
    check = _Checker(path, problems)
    for line, row in _rows(path, problems):
        ok = _agent_ref(check, line, row["agent"], tables, known, own_only=True)
        if CIMO_RE.fullmatch(row["target"]):
            # a protein class CIMO declares where PR has none yet (CD52: CIMO:0000082)
            if row["target"] not in known.cimo:
                check.fail(
                    line,
                    f"target {row['target']} is not declared in the ontology",
                    "use a PR class from ontology/imports/pr.tsv, or a protein class "
                    "a module declares",
                )
                ok = False
        else:
            ok &= check.pattern(line, "target", row["target"], PR_RE, "PR:Q15116")
            ok = ok and _imported(check, line, "target", row["target"], known, "pr.tsv")
        ok &= check.pattern(line, "uniprot", row["uniprot"], UNIPROT_RE, "Q15116")
        ok &= check.pattern(line, "source", row["source"], URL_RE, "https://www.uniprot.org/...")
        relation = row["relation"] or DEFAULT_TARGET_RELATION
        ok &= check.choice(line, "relation", relation, tuple(TARGET_RELATIONS))
        if ok:
            tables.targets.append(
                Target(row["agent"], row["target"], row["uniprot"], row["source"], line, relation)
            )


def _dates(check: _Checker, line: int, row: dict[str, str]) -> bool:
    # a status the record gives without its day stays undated (approval_date empty)
    ok = check.date(line, "approval_date", row["approval_date"], optional=True)
    ok &= check.date(line, "withdrawal_date", row["withdrawal_date"], optional=True)
    if row["status"] == "withdrawn" and not row["withdrawal_date"]:
        check.fail(
            line,
            "status is withdrawn but withdrawal_date is empty",
            "give the withdrawal date the record states, or status approved",
        )
        ok = False
    if row["status"] == "approved" and row["withdrawal_date"]:
        check.fail(
            line,
            "status is approved but a withdrawal_date is given",
            "set status to withdrawn, or empty withdrawal_date",
        )
        ok = False
    if (
        ok
        and row["withdrawal_date"]
        and row["approval_date"]
        and row["withdrawal_date"] < row["approval_date"]
    ):
        check.fail(line, "withdrawal_date is before approval_date", "check both dates")
        ok = False
    return ok


def _read_statuses(folder: Path, tables: Tables, known: Known, problems: list[Problem]) -> None:
    path = folder / "status.tsv"
    check = _Checker(path, problems)
    seen: set[tuple[str, str]] = set()
    for line, row in _rows(path, problems):
        ok = _agent_ref(check, line, row["agent"], tables, known, own_only=False)
        ok &= check.choice(line, "jurisdiction", row["jurisdiction"], JURISDICTIONS)
        ok &= check.choice(line, "status", row["status"], ("approved", "withdrawn"))
        ok = ok and _dates(check, line, row)
        ok &= check.pattern(line, "source", row["source"], URL_RE, "a label or EPAR URL")
        key = (row["agent"], row["jurisdiction"])
        if key in seen:
            check.fail(
                line,
                f"a second status for {key[0]} in {key[1]}",
                "keep one marketing status per agent and jurisdiction",
            )
            ok = False
        seen.add(key)
        if ok:
            tables.statuses.append(
                Status(
                    row["agent"],
                    row["jurisdiction"],
                    row["status"],
                    row["approval_date"],
                    row["withdrawal_date"],
                    row["source"],
                    line,
                )
            )


def _read_indications(folder: Path, tables: Tables, known: Known, problems: list[Problem]) -> None:
    path = folder / "indications.tsv"
    check = _Checker(path, problems)
    seen: set[tuple[str, str, str]] = set()
    for line, row in _rows(path, problems):
        ok = _agent_ref(check, line, row["agent"], tables, known, own_only=False)
        ok &= check.pattern(line, "disease", row["disease"], MONDO_RE, "MONDO:0005105")
        ok = ok and _imported(check, line, "disease", row["disease"], known, "mondo.tsv")
        ok &= check.choice(line, "jurisdiction", row["jurisdiction"], JURISDICTIONS)
        ok &= check.choice(line, "status", row["status"], ("approved", "withdrawn"))
        ok = ok and _dates(check, line, row)
        if row["biomarker"] and row["biomarker"] not in known.cimo | set(known.imported):
            check.fail(
                line,
                f"biomarker {row['biomarker']} is not a declared class",
                "use a biomarker class the ontology declares, or leave it empty",
            )
            ok = False
        partner = row["combination_partner"]
        if partner and partner not in tables.agent_ids | known.cimo:
            check.fail(
                line,
                f"combination partner {partner} is not a declared agent",
                "use the CIMO ID of the partner agent",
            )
            ok = False
        ok &= check.pattern(line, "source", row["source"], URL_RE, "a label or EPAR URL")
        key = (row["agent"], row["disease"], row["jurisdiction"])
        if key in seen:
            check.fail(
                line,
                f"a second {key[2]} indication of {key[0]} for {key[1]}",
                "keep one row per agent, disease and jurisdiction (the first "
                "approval for that disease)",
            )
            ok = False
        seen.add(key)
        if ok:
            tables.indications.append(
                Indication(
                    row["agent"],
                    row["disease"],
                    row["jurisdiction"],
                    row["status"],
                    row["approval_date"],
                    row["withdrawal_date"],
                    row["biomarker"],
                    partner,
                    row["source"],
                    line,
                )
            )


def _read_synonyms(folder: Path, tables: Tables, known: Known, problems: list[Problem]) -> None:
    path = folder / "synonyms.tsv"
    check = _Checker(path, problems)
    seen: set[tuple[str, str]] = set()
    for line, row in _rows(path, problems):
        ok = _agent_ref(check, line, row["agent"], tables, known, own_only=False)
        ok &= check.nonempty(line, "synonym", row["synonym"], "write the name as the record does")
        ok &= check.choice(line, "type", row["type"], SYNONYM_TYPES)
        ok &= check.pattern(line, "source", row["source"], URL_RE, "a label or record URL")
        key = (row["agent"], row["synonym"])
        if key in seen:
            check.fail(
                line,
                f"{row['synonym']!r} is listed twice for {row['agent']}",
                "keep one row per name",
            )
            ok = False
        seen.add(key)
        if ok:
            tables.synonyms.append(
                Synonym(row["agent"], row["synonym"], row["type"], row["source"], line)
            )


def _read_risks(folder: Path, tables: Tables, known: Known, problems: list[Problem]) -> None:
    path = folder / "risks.tsv"
    check = _Checker(path, problems)
    seen: set[tuple[str, str]] = set()
    for line, row in _rows(path, problems):
        ok = _agent_ref(check, line, row["agent"], tables, known, own_only=False)
        event = row["event"]
        if event not in known.imported and event not in known.cimo:
            check.fail(
                line,
                f"event {event!r} is not an imported or declared class",
                "add a confirmed row to ontology/imports/mondo.tsv or hp.tsv, or use "
                "an adverse-event class of ontology/adverse-events.ttl",
            )
            ok = False
        ok &= check.pattern(
            line,
            "source",
            row["source"],
            URL_RE,
            "the label that states the risk (DailyMed or api.fda.gov URL)",
        )
        ok &= check.nonempty(
            line, "quote", row["quote"], "copy the sentence of the label that states the risk"
        )
        key = (row["agent"], event)
        if key in seen:
            check.fail(
                line,
                f"a second risk of {event} for {row['agent']}",
                "keep one row per agent and event",
            )
            ok = False
        seen.add(key)
        if ok:
            tables.risks.append(Risk(row["agent"], event, row["source"], row["quote"], line))


def _read_untargeted(folder: Path, tables: Tables, known: Known, problems: list[Problem]) -> None:
    path = folder / "untargeted.tsv"
    check = _Checker(path, problems)
    targeted = {t.agent for t in tables.targets}
    for line, row in _rows(path, problems):
        ok = _agent_ref(check, line, row["agent"], tables, known, own_only=True)
        if row["agent"] in targeted:
            check.fail(
                line,
                f"{row['agent']} has a target row in targets.tsv",
                "keep the target row or this row, not both",
            )
            ok = False
        ok &= check.nonempty(
            line, "reason", row["reason"], "say how the agent acts, as the record describes it"
        )
        ok &= check.pattern(line, "source", row["source"], URL_RE, "a label or NCIt URL")
        if ok:
            tables.untargeted.append(Untargeted(row["agent"], row["reason"], row["source"], line))


def read_tables(folder: Path, known: Known) -> tuple[Tables, list[Problem]]:
    """Every table read and checked; the problems of all of them together."""
    tables = Tables()
    problems: list[Problem] = []
    _read_agents(folder, tables, known, problems)
    _read_targets(folder, tables, known, problems)
    _read_statuses(folder, tables, known, problems)
    _read_indications(folder, tables, known, problems)
    _read_synonyms(folder, tables, known, problems)
    _read_risks(folder, tables, known, problems)
    _read_untargeted(folder, tables, known, problems)
    return tables, problems
