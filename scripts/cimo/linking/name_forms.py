"""How an intervention name as a registry writes it is cut into comparable pieces.

A name is compared by its *compact key*: case-folded, trademark signs dropped,
and every character that is not a letter or a digit removed. "MK-3475",
"MK 3475" and "mk3475" therefore share one key, as do "sipuleucel-T" and
"Sipuleucel T". Free text is cut into tokens (runs of letters and digits) and
separator tokens, so that a matcher can recognise names as runs of tokens and
account for everything else as dose, route, schedule or connector words.
"""

from __future__ import annotations

import re
import unicodedata

#: signs that decorate brand names and carry no meaning for matching
_MARKS = str.maketrans({"®": " ", "™": " ", "℠": " ", "©": " "})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_TOKENS = re.compile(r"[0-9a-z]+|[+/,;&()\[\]]")
#: the meaningless four-letter suffix the FDA appends to biologic names ("cemiplimab-rwlc")
FDA_SUFFIX = re.compile(r"(?<=[a-z]{3})-[a-z]{4}(?![0-9a-z-])")

#: ClinicalTrials.gov writes each intervention as "<type>: <name>" ("Drug: Nivolumab")
REGISTRY_TYPE = re.compile(
    r"^(drug|biological|genetic|procedure|radiation|device|other|combination product|"
    r"diagnostic test|dietary supplement|behavioral)\s*:\s*"
)

#: a slash inside a unit ("mg/kg", "cells/kg", "mcg/day") is not a combination
UNIT_SLASH = re.compile(r"(?<=[a-zµμ0-9])\s*/\s*(?=(kg|m2|m²|day|d|dose|week|wk|h|hr|min)\b)")

#: words that join the agents of a combination: a segment boundary
CONNECTORS = frozenset(
    {
        "and",
        "plus",
        "with",
        "or",
        "followed",
        "by",
        "then",
        "combined",
        "combination",
        "in",
        "versus",
        "vs",
    }
)
#: words around a name that do not change what it names ("placebo for X" keeps its
#: unexplained "placebo" in X's segment, so it names nothing)
FILLERS = frozenset(
    {
        "of",
        "the",
        "a",
        "an",
        "to",
        "on",
        "at",
        "for",
        "given",
        "after",
        "before",
        "alone",
        "monotherapy",
        "single",
        "agent",
        "arm",
        "regimen",
    }
)
#: dose, unit, route, schedule and formulation words: accounted for, never matched
DOSING = frozenset(
    {
        # units and amounts
        "mg",
        "mcg",
        "ug",
        "µg",
        "μg",
        "g",
        "kg",
        "ml",
        "l",
        "m2",
        "iu",
        "u",
        "units",
        "unit",
        "x",
        "cells",
        "cell",
        "t",
        "lymphocytes",
        "viable",
        "car",
        "positive",
        "pfu",
        "cfu",
        "vp",
        "dose",
        "doses",
        "dosing",
        "fixed",
        "flat",
        "level",
        "mgkg",
        "mgm2",
        "per",
        "body",
        "weight",
        "bsa",
        "high",
        "low",
        "standard",
        "full",
        "reduced",
        "escalating",
        "escalation",
        "loading",
        "maintenance",
        "priming",
        "step",
        "up",
        "total",
        "max",
        "maximum",
        # routes and forms
        "iv",
        "intravenous",
        "intravenously",
        "sc",
        "sq",
        "subcutaneous",
        "subcutaneously",
        "po",
        "oral",
        "orally",
        "im",
        "intramuscular",
        "intravesical",
        "intravesically",
        "intralesional",
        "intratumoral",
        "intratumoural",
        "infusion",
        "infusions",
        "infused",
        "injection",
        "injections",
        "injectable",
        "inj",
        "solution",
        "concentrate",
        "powder",
        "lyophilized",
        "lyophilised",
        "vial",
        "vials",
        "suspension",
        "bolus",
        "push",
        "drip",
        "continuous",
        "administered",
        "administration",
        "route",
        # schedules
        "q1w",
        "q2w",
        "q3w",
        "q4w",
        "q6w",
        "q8w",
        "q12w",
        "qw",
        "q2",
        "q3",
        "q4",
        "q6",
        "qd",
        "qod",
        "bid",
        "tid",
        "once",
        "twice",
        "daily",
        "weekly",
        "biweekly",
        "monthly",
        "every",
        "each",
        "week",
        "weeks",
        "wk",
        "wks",
        "day",
        "days",
        "d",
        "month",
        "months",
        "hour",
        "hours",
        "h",
        "hr",
        "hrs",
        "min",
        "minutes",
        "cycle",
        "cycles",
        "c1d1",
        "d1",
        "d8",
        "d15",
        "d22",
        "year",
        "years",
        "times",
        "time",
        "until",
        "progression",
        "schedule",
        "course",
        "courses",
        "induction",
        "consolidation",
        "adjuvant",
        "neoadjuvant",
        "perioperative",
    }
)
SEPARATORS = frozenset("+/,;&")
OPENERS = frozenset("([")
CLOSERS = frozenset(")]")


def fold(text: str) -> str:
    """Lower case, compatibility-normalised, trademark signs dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text.translate(_MARKS)).casefold()
    return " ".join(text.split())


def compact(text: str) -> str:
    """The key two spellings of one name share: letters and digits only."""
    return _NOT_ALNUM.sub("", fold(text))


def tokens(folded: str) -> list[str]:
    """Letter/digit runs and the separators ``+ / , ; & ( ) [ ]`` of a folded text."""
    return _TOKENS.findall(folded)


#: an amount written with its unit or exponent ("200mg", "1x10", "2e6"), or a schedule code
_AMOUNT = re.compile(r"\d[\dxe]*(mg|mcg|ug|µg|μg|g|kg|ml|iu|u|m2|mgkg|mgm2|w|wk|d|h|hr|min)?")
_SCHEDULE = re.compile(r"q\d+(w|wk|wks|d|h|hr|m)?|(d|day|c|cycle|w|wk|week)\d+(d\d+)?")


def is_noise(token: str) -> bool:
    """A token a name may be surrounded by without changing what it names."""
    return (
        token in DOSING
        or token in CONNECTORS
        or token in FILLERS
        or _AMOUNT.fullmatch(token) is not None
        or _SCHEDULE.fullmatch(token) is not None
    )
