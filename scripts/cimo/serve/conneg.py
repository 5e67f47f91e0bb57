"""HTTP content negotiation: pick the representation an ``Accept`` header prefers.

RFC 9110 rules: every media range has a quality (default 1); an offer takes
the quality of the most specific range that matches it (``type/subtype`` over
``type/*`` over ``*/*``); quality 0 means "not acceptable". Ties go to the
server's order of preference, so ``*/*`` or a missing header gives the first
offer (HTML for term IRIs, as browsers and ``curl`` users expect).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache


@lru_cache(maxsize=512)
def parse_accept(header: str) -> tuple[tuple[str, str, float], ...]:
    """``(type, subtype, q)`` for each media range; malformed ranges are skipped."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        main, _, sub = media.partition("/")
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((main, sub, q))
    return tuple(ranges)


def quality(ranges: tuple[tuple[str, str, float], ...], offer: str) -> float:
    """The quality the client gives ``offer`` (0 if it does not accept it)."""
    main, _, sub = offer.lower().partition("/")
    best, specificity = 0.0, -1
    for r_main, r_sub, q in ranges:
        if r_main == main and r_sub == sub:
            level = 2
        elif r_main == main and r_sub == "*":
            level = 1
        elif r_main == "*" and r_sub == "*":
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def negotiate(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer to send, or None when nothing offered is acceptable (406)."""
    if not offers:
        return None
    if header is None or not header.strip():
        return offers[0]
    ranges = parse_accept(header)
    if not ranges:
        return offers[0]
    chosen, best = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best:
            chosen, best = offer, q
    return chosen


def accepts_gzip(header: str | None) -> bool:
    """True when ``Accept-Encoding`` allows gzip (and does not give it q=0)."""
    if not header:
        return False
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if fields[0].lower() in ("gzip", "x-gzip", "*"):
            for param in fields[1:]:
                name, _, value = param.partition("=")
                if name.strip() == "q":
                    try:
                        return float(value) > 0
                    except ValueError:
                        return False
            return True
    return False
