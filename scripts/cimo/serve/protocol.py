"""The SPARQL 1.1 Protocol's query operation: turn an HTTP request into a query.

Three forms are accepted, as the Protocol defines them: GET with ``query=``
in the URL, POST of an url-encoded form, and POST of the query itself
(``application/sparql-query``). The endpoint is read-only, so anything that
is an update (an ``update=`` parameter, ``application/sparql-update``, or
update text sent as a query) is refused with 403 and says so. Every refusal
is a :class:`ProtocolError` with the status to send and a message a person
can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from cimo.errors import CimoError

MAX_BODY = 1 << 20  # 1 MiB: far more than any hand-written query
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
READ_ONLY = (
    "This endpoint is read-only: SPARQL Update is not accepted. "
    "Send a SELECT, ASK, CONSTRUCT or DESCRIBE query."
)

_PROLOGUE_RE = re.compile(
    r"\s*(?:#[^\n]*\n|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>))", re.IGNORECASE
)
_UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
}


class ProtocolError(CimoError):
    """A request the endpoint refuses: ``status`` and a plain-text ``message``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class QueryRequest:
    query: str
    default_graphs: tuple[str, ...] = field(default=())
    named_graphs: tuple[str, ...] = field(default=())


def looks_like_update(text: str) -> bool:
    """True when ``text`` (which did not parse as a query) starts like an update."""
    rest = text
    while True:
        match = _PROLOGUE_RE.match(rest)
        if not match or not match.group(0):
            break
        rest = rest[match.end() :]
    word = re.match(r"\s*([A-Za-z]+)", rest)
    return bool(word) and word.group(1).upper() in _UPDATE_WORDS  # type: ignore[union-attr]


def _params(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, max_num_fields=100)
    except ValueError as err:
        raise ProtocolError(400, f"Malformed parameters: {err}") from None


def _single_query(params: dict[str, list[str]]) -> str:
    if "update" in params:
        raise ProtocolError(403, READ_ONLY)
    queries = params.get("query", [])
    if not queries:
        raise ProtocolError(400, "Missing the 'query' parameter (SPARQL 1.1 Protocol).")
    if len(queries) > 1:
        raise ProtocolError(400, "Exactly one 'query' parameter is allowed.")
    if not queries[0].strip():
        raise ProtocolError(400, "The 'query' parameter is empty.")
    return queries[0]


def _graphs(params: dict[str, list[str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", []))


def parse(method: str, url_query: str, content_type: str | None, body: bytes) -> QueryRequest:
    """The query carried by a GET or POST request, or a ProtocolError."""
    url_params = _params(url_query)
    if method in ("GET", "HEAD"):
        query = _single_query(url_params)
        return QueryRequest(query, *_graphs(url_params))
    if method != "POST":
        raise ProtocolError(
            405,
            f"Method {method} is not allowed on the SPARQL endpoint.",
            {"Allow": "GET, HEAD, POST, OPTIONS"},
        )
    media = (content_type or "").split(";")[0].strip().lower()
    if media == UPDATE or "update" in url_params:
        raise ProtocolError(403, READ_ONLY)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "The request body is not UTF-8.") from None
    if media == FORM:
        params = _params(text)
        query = _single_query(params)
        if "query" in url_params:
            raise ProtocolError(400, "Send 'query' in the body or in the URL, not both.")
        default, named = _graphs(params)
        url_default, url_named = _graphs(url_params)
        return QueryRequest(query, default + url_default, named + url_named)
    if media == DIRECT:
        if not text.strip():
            raise ProtocolError(400, "The request body (the query) is empty.")
        if "query" in url_params:
            raise ProtocolError(400, "Send the query in the body or in the URL, not both.")
        return QueryRequest(text, *_graphs(url_params))
    raise ProtocolError(
        415,
        f"Unsupported Content-Type {content_type or '(none)'}: POST a "
        f"query as {DIRECT} or as an {FORM} form.",
    )
