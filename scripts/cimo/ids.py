"""The CIMO identifier scheme, defined once: namespace, ID prefix and the seven-digit pattern.

Term IRIs are ``https://w3id.org/cimo/CIMO_`` plus exactly seven digits; the
CURIE is ``CIMO:nnnnnnn``. Every regex, URI prefix and message about IDs is
built from the names below, so the scheme cannot drift between the build, the
server, the site's rewrite rules and the linking tools. The patterns use
``[0-9]`` rather than ``\\d`` because the same text goes into SPARQL ``REGEX``
and SHACL ``sh:pattern`` (XPath regexes), where ``\\d`` also matches non-ASCII
digits. SHACL shapes that must carry the literal pattern are tested against
these strings (``tests/test_identifier_scheme.py``).

This module imports only the standard library, so the fast command paths can
use it without loading rdflib.
"""

from __future__ import annotations

import re

#: The namespace of everything CIMO publishes (terms, ontology, releases, site).
CIMO_NS = "https://w3id.org/cimo/"
#: The CURIE prefix of a term: ``CIMO:0000110``.
CURIE_PREFIX = "CIMO"
#: How a term's local name starts: ``CIMO_0000110``.
LOCAL_PREFIX = CURIE_PREFIX + "_"
#: The URI prefix of term IRIs, which the CURIE prefix expands to.
TERM_NS = CIMO_NS + LOCAL_PREFIX
#: How many digits a term ID has.
ID_DIGITS = 7
#: The digits of an ID, as a regex (no anchors, no group).
DIGITS_PATTERN = f"[0-9]{{{ID_DIGITS}}}"
#: A term's local name, as a regex (no anchors): ``CIMO_[0-9]{7}``.
TERM_ID_PATTERN = LOCAL_PREFIX + DIGITS_PATTERN
#: A whole term IRI, anchored, as SHACL ``sh:pattern`` carries it.
TERM_IRI_PATTERN = f"^{re.escape(TERM_NS)}{DIGITS_PATTERN}$"
#: The rule in words, for error messages.
ID_RULE = f"{TERM_NS} plus exactly {ID_DIGITS} digits"

#: A term IRI; group 1 is the digits.
TERM_IRI_RE = re.compile(f"^{re.escape(TERM_NS)}({DIGITS_PATTERN})$")
#: A term's local name (``CIMO_0000110``); group 1 is the digits.
TERM_ID_RE = re.compile(f"^{LOCAL_PREFIX}({DIGITS_PATTERN})$")


def format_term_id(number: int) -> str:
    """``CIMO_0000110`` for 110: the zero-padded local name of the ``number``-th ID."""
    return f"{LOCAL_PREFIX}{number:0{ID_DIGITS}d}"


def id_number(term_id: str) -> int:
    """110 for ``CIMO_0000110``; ``term_id`` must already match :data:`TERM_ID_RE`."""
    return int(term_id[len(LOCAL_PREFIX) :])


def curie_of_id(term_id: str) -> str:
    """``CIMO:0000110`` for the local name ``CIMO_0000110``."""
    return f"{CURIE_PREFIX}:{term_id[len(LOCAL_PREFIX) :]}"
