"""What ``cimo serve`` answers, request by request, mirroring https://w3id.org/cimo/.

URL space (the host's root stands for ``https://w3id.org``):

* ``/cimo/`` and ``/cimo`` — the ontology: the home page by default, the
  release in Turtle, RDF/XML, JSON-LD or N-Triples by ``Accept``;
  ``/cimo/cimo.owl`` (and the other release files) as they are.
* ``/cimo/CIMO_nnnnnnn`` — a term, negotiated the same way (HTML default);
  ``.html``, ``.ttl``, ``.jsonld``, ``.owl`` and ``.nt`` give one form.
* ``/cimo/releases/<version>/<file>`` — every release served.
* ``/sparql`` (and ``/cimo/sparql``) — the SPARQL 1.1 Protocol endpoint; a
  browser asking for HTML without a query is sent to the query page.
* ``/.well-known/void`` — the VoID/DCAT description.

Errors are short, specific and never a traceback: 404 with a search link,
406 listing what is available, 400 with the query parser's message. A
query that asks for federation (``SERVICE``) or is nested too deep is
refused with 400 before any worker sees it (:mod:`cimo.serve.screen`), and
the refusal goes to the event log.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from cimo.html.layout import SiteInfo
from cimo.html.not_found import not_found
from cimo.ids import TERM_ID_PATTERN
from cimo.serve import protocol
from cimo.serve.conneg import negotiate
from cimo.serve.engine import QueryEngine
from cimo.serve.formats import DOCUMENT_FORMS, PLAIN, offered
from cimo.serve.log import Log, clean, escape_controls
from cimo.serve.publication import Publication, Representation
from cimo.serve.screen import DEFAULT_MAX_DEPTH, Refused, screen

MOUNT = "/cimo/"
TERM_RE = re.compile(rf"^{TERM_ID_PATTERN}$")
TERM_FORM_RE = re.compile(rf"^({TERM_ID_PATTERN})\.(html|ttl|jsonld|owl|nt)$")
RELEASE_RE = re.compile(r"^releases/([^/]+)/(.+)$")
ONTOLOGY_FILES = {
    ".html": "index.html",
    ".ttl": "cimo.ttl",
    ".owl": "cimo.owl",
    ".jsonld": "cimo.jsonld",
    ".nt": "cimo.nt",
}
SPARQL_PATHS = ("/sparql", "/cimo/sparql")
HTML_OFFERS = ("text/html", "application/xhtml+xml")


@dataclass
class Response:
    status: int
    body: bytes = b""
    media_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    representation: Representation | None = None  # static: may be sent gzipped / as 304


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-case names
    body: bytes = b""
    client: str = "-"

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text answer; messages may quote the request, so controls are escaped."""
    body = escape_controls(message.rstrip("\n"), keep="\n\t") + "\n"
    return Response(status, body.encode(), PLAIN, headers or {})


def static(rep: Representation, headers: dict[str, str] | None = None) -> Response:
    return Response(200, rep.body, rep.media_type, headers or {}, rep)


class App:
    """The request router over a :class:`Publication` and a :class:`QueryEngine`."""

    def __init__(
        self,
        publication: Publication,
        engine: QueryEngine,
        info: SiteInfo,
        log: Log | None = None,
        max_depth: int = DEFAULT_MAX_DEPTH,
    ) -> None:
        self.pub = publication
        self.engine = engine
        self.info = info
        self.log = log or Log()
        self.max_depth = max_depth

    # -- entry point ---------------------------------------------------------
    def handle(self, request: Request) -> Response:
        path = request.path
        if path in SPARQL_PATHS:
            return self.sparql(request)
        if request.method not in ("GET", "HEAD"):
            return text(
                405,
                f"Method {request.method} is not allowed here; only GET and HEAD "
                "(POST goes to /sparql).",
                {"Allow": "GET, HEAD, OPTIONS"},
            )
        if path == "/":
            return Response(302, headers={"Location": MOUNT})
        if path == "/.well-known/void":
            return self.negotiated(request, self.pub.void, "/.well-known/void")
        if path == "/cimo":
            return self.ontology(request, slash=False)
        if not path.startswith(MOUNT):
            return self.not_found(request, path)
        local = path[len(MOUNT) :]
        if local == "":
            return self.ontology(request, slash=True)
        if TERM_RE.match(local):
            return self.term(request, local)
        form = TERM_FORM_RE.match(local)
        if form and not self.pub.has_term(form.group(1)):
            return self.not_found(request, path, term=form.group(1))
        release = RELEASE_RE.match(local)
        if release:
            rep = self.pub.release_file(release.group(1), release.group(2))
            return static(rep) if rep else self.not_found(request, path)
        rep = self.pub.file(local)
        return static(rep) if rep else self.not_found(request, path)

    # -- documents -----------------------------------------------------------
    def ontology(self, request: Request, *, slash: bool) -> Response:
        media = negotiate(request.header("accept"), list(DOCUMENT_FORMS))
        if media is None:
            return self.not_acceptable(DOCUMENT_FORMS)
        suffix = DOCUMENT_FORMS[media]
        if suffix == ".html" and not slash:  # relative links need the trailing slash
            return Response(301, headers={"Location": MOUNT, "Vary": "Accept"})
        rep = self.pub.file(ONTOLOGY_FILES[suffix])
        assert rep is not None
        return static(
            rep,
            {
                "Vary": "Accept",
                "Content-Location": MOUNT + ONTOLOGY_FILES[suffix].removeprefix("index.html"),
            },
        )

    def term(self, request: Request, local: str) -> Response:
        if not self.pub.has_term(local):
            return self.not_found(request, MOUNT + local, term=local)
        media = negotiate(request.header("accept"), list(DOCUMENT_FORMS))
        if media is None:
            return self.not_acceptable(DOCUMENT_FORMS)
        suffix = DOCUMENT_FORMS[media]
        rep = self.pub.file(local + suffix)
        assert rep is not None
        links = ", ".join(
            f'<{local}{s}>; rel="alternate"; type="{m}"'
            for m, s in DOCUMENT_FORMS.items()
            if m not in ("application/xhtml+xml", "application/json")
        )
        return static(
            rep, {"Vary": "Accept", "Content-Location": f"{MOUNT}{local}{suffix}", "Link": links}
        )

    def negotiated(
        self, request: Request, forms: dict[str, Representation], location: str
    ) -> Response:
        media = negotiate(request.header("accept"), list(forms))
        if media is None:
            return self.not_acceptable(forms)
        return static(forms[media], {"Vary": "Accept", "Content-Location": location})

    # -- errors --------------------------------------------------------------
    def not_acceptable(self, offers: Mapping[str, object]) -> Response:
        return text(
            406,
            f"Not Acceptable: none of the media types in the Accept header is "
            f"available here. Available: {offered(offers)}.",
        )

    def not_found(self, request: Request, path: str, term: str | None = None) -> Response:
        path = clean(path)  # the path is echoed: no control characters to a terminal
        what = term or path
        search = f"{MOUNT}terms.html?q={quote(what.rsplit('/', 1)[-1], safe='')}"
        wants_html = negotiate(request.header("accept"), [*HTML_OFFERS, PLAIN]) in HTML_OFFERS
        if wants_html:
            body = not_found(self.info, path, root=MOUNT).encode()
            return Response(404, body, "text/html; charset=utf-8")
        kind = f"There is no term {term}" if term else f"Nothing is published at {path}"
        return text(
            404, f"{kind}. Search the terms: {search}", {"Link": f'<{search}>; rel="search"'}
        )

    # -- SPARQL ----------------------------------------------------------------
    def sparql(self, request: Request) -> Response:
        if request.method in ("GET", "HEAD") and not request.query:
            accept = request.header("accept")
            if negotiate(accept, [*HTML_OFFERS, "application/sparql-results+json"]) in HTML_OFFERS:
                return Response(303, headers={"Location": f"{MOUNT}sparql.html"})
            return text(
                400,
                "Missing the 'query' parameter (SPARQL 1.1 Protocol). The query "
                f"editor is at {MOUNT}sparql.html.",
            )
        try:
            query = protocol.parse(
                request.method, request.query, request.header("content-type"), request.body
            )
        except protocol.ProtocolError as err:
            return text(err.status, err.message, err.headers)
        try:
            screen(query.query, self.max_depth)
        except Refused as refusal:
            self.log.event(
                "refused", client=request.client, reason=refusal.reason, query=query.query
            )
            return text(400, refusal.message)
        reply = self.engine.run(query, request.header("accept"), request.client)
        if reply.status != 200:
            extra = dict(reply.headers)
            if reply.status == 406:
                extra["Vary"] = "Accept"
            return text(reply.status, reply.message, extra)
        return Response(
            200, reply.body, reply.content_type, {"Vary": "Accept", "Cache-Control": "no-store"}
        )
