"""`cimo serve` as a client sees it: a real server process on 127.0.0.1.

Every check goes over HTTP to the real CLI started in a subprocess (on a free
port it picks itself), against the release built once for the session: term
IRIs by content negotiation and by suffix, the ontology and its releases,
the SPARQL 1.1 Protocol (forms, formats, errors, limits), VoID, CORS, gzip,
and that stopping the server leaves no process behind.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from cimo.queries import read_tsv
from conftest import REPO, run_cimo
from serving import Reply, Served, start_serve, stop_serve, worker_pids

RITUXIMAB = "CIMO_0000110"
RITUXIMAB_IRI = URIRef("https://w3id.org/cimo/" + RITUXIMAB)
LABEL_QUERY = (
    "SELECT ?label WHERE { <https://w3id.org/cimo/CIMO_0000110> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)
RDF_FORMS = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}


@pytest.fixture(scope="module")
def jsonld_context(release_dir: Path) -> dict:
    return json.loads((release_dir / "cimo.context.jsonld").read_text())["@context"]


def graph_of(reply: Reply, context: dict) -> Graph:
    fmt = RDF_FORMS[reply.media]
    if fmt == "json-ld":
        document = json.loads(reply.body)
        if isinstance(document, dict) and isinstance(document.get("@context"), str):
            document["@context"] = context
        return Graph().parse(data=json.dumps(document), format="json-ld")
    return Graph().parse(data=reply.body, format=fmt)


# -- term IRIs ---------------------------------------------------------------------
def test_term_iri_gives_html_by_default(server: Served) -> None:
    for accept in (None, "*/*", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"):
        reply = server.fetch(f"/cimo/{RITUXIMAB}", headers={"Accept": accept} if accept else {})
        assert reply.status == 200, accept
        assert reply.media == "text/html"
        assert "<h1>rituximab" in reply.text
        assert "Accept" in reply.headers["vary"]
        assert reply.headers["content-location"] == f"/cimo/{RITUXIMAB}.html"


@pytest.mark.parametrize("accept", list(RDF_FORMS))
def test_term_iri_negotiates_every_rdf_form(
    server: Served, jsonld_context: dict, accept: str
) -> None:
    reply = server.fetch(f"/cimo/{RITUXIMAB}", headers={"Accept": accept})
    assert reply.status == 200
    assert reply.media == accept
    graph = graph_of(reply, jsonld_context)
    assert graph.value(RITUXIMAB_IRI, RDFS.label) == Literal("rituximab", lang="en")
    suffix = {
        "text/turtle": ".ttl",
        "application/rdf+xml": ".owl",
        "application/ld+json": ".jsonld",
        "application/n-triples": ".nt",
    }[accept]
    direct = server.fetch(f"/cimo/{RITUXIMAB}{suffix}")
    assert direct.status == 200 and direct.media == accept
    assert direct.body == reply.body


def test_negotiation_follows_q_values(server: Served) -> None:
    reply = server.fetch(
        f"/cimo/{RITUXIMAB}",
        headers={"Accept": "text/html;q=0.2, text/turtle;q=0.5, application/ld+json"},
    )
    assert reply.media == "application/ld+json"
    reply = server.fetch(f"/cimo/{RITUXIMAB}", headers={"Accept": "text/*, text/html;q=0"})
    assert reply.media == "text/turtle"


def test_unacceptable_accept_is_406(server: Served) -> None:
    reply = server.fetch(f"/cimo/{RITUXIMAB}", headers={"Accept": "image/png"})
    assert reply.status == 406
    assert "text/turtle" in reply.text and "Traceback" not in reply.text


def test_unknown_term_is_404_with_a_search_link(server: Served) -> None:
    html = server.fetch("/cimo/CIMO_9999999", headers={"Accept": "text/html"})
    assert html.status == 404 and html.media == "text/html"
    assert 'href="/cimo/terms.html?q=CIMO_9999999"' in html.text
    plain = server.fetch("/cimo/CIMO_9999999.ttl", headers={"Accept": "text/turtle"})
    assert plain.status == 404
    assert "/cimo/terms.html?q=CIMO_9999999" in plain.text
    assert 'rel="search"' in plain.headers["link"]
    search = server.fetch("/cimo/terms.html")
    assert search.status == 200 and 'id="term-list"' in search.text


def test_deprecated_term_still_resolves_with_its_replacement(server: Served) -> None:
    reply = server.fetch("/cimo/CIMO_0000177")
    assert reply.status == 200
    assert "Deprecated." in reply.text and 'href="CIMO_0000025.html"' in reply.text


# -- the ontology and its releases -------------------------------------------------
def test_ontology_iri_and_release_files_are_served_in_every_form(
    server: Served, release_dir: Path, jsonld_context: dict
) -> None:
    home = server.fetch("/cimo/")
    assert home.status == 200 and home.media == "text/html"
    assert server.fetch("/cimo").status == 301
    for accept in RDF_FORMS:
        for path in ("/cimo", "/cimo/"):
            reply = server.fetch(path, headers={"Accept": accept})
            assert reply.status == 200 and reply.media == accept, (path, accept)
    owl = server.fetch("/cimo/cimo.owl")
    assert owl.status == 200 and owl.media == "application/rdf+xml"
    assert owl.body == (release_dir / "cimo.owl").read_bytes()
    for folder in sorted((release_dir / "site" / "releases").iterdir()):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            versioned = server.fetch(f"/cimo/releases/{folder.name}/{name}")
            assert versioned.status == 200, name
            assert versioned.body == path.read_bytes(), name
    for snapshot in (REPO / "releases").glob("*/cimo.ttl"):
        published = server.fetch(f"/cimo/releases/{snapshot.parent.name}/cimo.ttl")
        assert published.status == 200 and published.body == snapshot.read_bytes()
    assert server.fetch("/cimo/releases/1999-01-01/cimo.owl").status == 404


def test_earlier_releases_are_served(release_dir: Path, tmp_path: Path) -> None:
    old = tmp_path / "old-release"
    old.mkdir()
    for name in ("cimo.owl", "cimo.ttl"):
        shutil.copy(release_dir / name, old / name)
    manifest = json.loads((release_dir / "manifest.json").read_text())
    manifest["version"] = "2020-01-31"
    (old / "manifest.json").write_text(json.dumps(manifest))
    served = start_serve(release_dir, "--release", str(old))
    try:
        reply = served.fetch("/cimo/releases/2020-01-31/cimo.ttl")
        assert reply.status == 200 and reply.media == "text/turtle"
        assert reply.body == (old / "cimo.ttl").read_bytes()
        assert served.fetch("/cimo/releases/2020-01-31/cimo.nt").status == 404
    finally:
        stop_serve(served)


def test_void_description_is_served_as_turtle_and_jsonld(
    server: Served, release_dir: Path, jsonld_context: dict
) -> None:
    reply = server.fetch("/.well-known/void")
    assert reply.status == 200 and reply.media == "text/turtle"
    assert reply.body == (release_dir / "void.ttl").read_bytes()
    graph = Graph().parse(data=reply.body, format="turtle")
    void = "http://rdfs.org/ns/void#"
    dataset = next(graph.subjects(URIRef(void + "sparqlEndpoint"), None))
    assert graph.value(dataset, URIRef(void + "sparqlEndpoint")) == URIRef(
        "https://w3id.org/cimo/sparql"
    )
    as_jsonld = server.fetch("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert as_jsonld.status == 200
    assert len(Graph().parse(data=as_jsonld.body, format="json-ld")) == len(graph)


# -- SPARQL --------------------------------------------------------------------------
def sparql_get(server: Served, query: str, accept: str | None = None) -> Reply:
    headers = {"Accept": accept} if accept else {}
    return server.fetch("/sparql?" + urlencode({"query": query}), headers=headers)


def test_sparql_get_post_form_and_post_direct_agree(server: Served) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    replies = [
        sparql_get(server, LABEL_QUERY, accept["Accept"]),
        server.fetch(
            "/sparql",
            "POST",
            {**accept, "Content-Type": "application/x-www-form-urlencoded"},
            urlencode({"query": LABEL_QUERY}).encode(),
        ),
        server.fetch(
            "/sparql",
            "POST",
            {**accept, "Content-Type": "application/sparql-query"},
            LABEL_QUERY.encode(),
        ),
        server.fetch(
            "/cimo/sparql",
            "POST",
            {**accept, "Content-Type": "application/sparql-query"},
            LABEL_QUERY.encode(),
        ),
    ]
    for reply in replies:
        assert reply.status == 200, reply.text
        assert reply.media == "application/sparql-results+json"
        bindings = json.loads(reply.body)["results"]["bindings"]
        assert [b["label"]["value"] for b in bindings] == ["rituximab"]


def test_sparql_result_formats_by_accept(server: Served) -> None:
    xml = sparql_get(server, LABEL_QUERY, "application/sparql-results+xml")
    assert xml.media == "application/sparql-results+xml"
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [e.text for e in ET.fromstring(xml.body).iter(f"{ns}literal")] == ["rituximab"]
    csv_reply = sparql_get(server, LABEL_QUERY, "text/csv")
    assert csv_reply.media == "text/csv"
    assert list(csv.reader(io.StringIO(csv_reply.text))) == [["label"], ["rituximab"]]
    tsv = sparql_get(server, LABEL_QUERY, "text/tab-separated-values")
    assert tsv.media == "text/tab-separated-values"
    assert tsv.text.splitlines() == ["?label", '"rituximab"@en']
    ask = sparql_get(server, f"ASK {{ <{RITUXIMAB_IRI}> ?p ?o }}")
    assert json.loads(ask.body) == {"head": {}, "boolean": True}
    assert sparql_get(server, LABEL_QUERY, "image/png").status == 406


def test_construct_and_describe_as_turtle_and_jsonld(server: Served) -> None:
    construct = (
        f"CONSTRUCT {{ <{RITUXIMAB_IRI}> <{RDFS.label}> ?l }} "
        f"WHERE {{ <{RITUXIMAB_IRI}> <{RDFS.label}> ?l }}"
    )
    turtle = sparql_get(server, construct)
    assert turtle.status == 200 and turtle.media == "text/turtle"
    expected = Literal("rituximab", lang="en")
    assert (
        Graph().parse(data=turtle.body, format="turtle").value(RITUXIMAB_IRI, RDFS.label)
        == expected
    )
    jsonld = sparql_get(server, construct, "application/ld+json")
    assert jsonld.media == "application/ld+json"
    assert (
        Graph().parse(data=jsonld.body, format="json-ld").value(RITUXIMAB_IRI, RDFS.label)
        == expected
    )
    describe = sparql_get(server, f"DESCRIBE <{RITUXIMAB_IRI}>", "text/turtle")
    assert describe.status == 200
    assert (RITUXIMAB_IRI, RDFS.label, expected) in Graph().parse(
        data=describe.body, format="turtle"
    )


@pytest.mark.parametrize("path", sorted((REPO / "queries").glob("*.rq")), ids=lambda p: p.stem)
def test_every_example_answers_over_http_as_expected(server: Served, path: Path) -> None:
    reply = server.fetch(
        "/sparql",
        "POST",
        {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        path.read_bytes(),
    )
    assert reply.status == 200, reply.text
    data = json.loads(reply.body)
    variables = data["head"]["vars"]
    rows = sorted(
        tuple(b.get(v, {}).get("value", "") for v in variables) for b in data["results"]["bindings"]
    )
    expected = read_tsv(path.with_suffix(".tsv"))
    assert (variables, rows) == (expected.variables, sorted(expected.rows))


def test_malformed_query_is_400_with_the_parsers_message(server: Served) -> None:
    reply = sparql_get(server, "SELECT ?x WHERE { ?x ?y }")
    assert reply.status == 400
    assert reply.text.startswith("Malformed query: error at 1:")
    assert "Traceback" not in reply.text
    assert server.fetch("/sparql?foo=bar").status == 400
    assert (
        server.fetch("/sparql?" + urlencode([("query", "ASK {}"), ("query", "ASK {}")])).status
        == 400
    )


def test_updates_are_refused(server: Served) -> None:
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }"
    refused = [
        server.fetch(
            "/sparql", "POST", {"Content-Type": "application/sparql-update"}, update.encode()
        ),
        server.fetch(
            "/sparql",
            "POST",
            {"Content-Type": "application/x-www-form-urlencoded"},
            urlencode({"update": update}).encode(),
        ),
        sparql_get(server, "PREFIX ex: <http://example.org/>\n" + update),
    ]
    for reply in refused:
        assert reply.status == 403
        assert "read-only" in reply.text
    count = sparql_get(server, "ASK { <http://example.org/a> ?p ?o }")
    assert json.loads(count.body)["boolean"] is False


def test_protocol_errors_have_proper_status(server: Served) -> None:
    assert server.fetch("/sparql", "POST", {"Content-Type": "text/plain"}, b"ASK {}").status == 415
    assert server.fetch("/sparql", "PUT", {"Content-Type": "text/plain"}, b"x").status == 405
    assert server.fetch("/cimo/", "POST", {"Content-Type": "text/plain"}, b"x").status == 405
    # An over-long body is refused from its Content-Length, before it is read; the server may
    # then close, so announce 2 MiB, send a little, and read the answer (no send race).
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/sparql-query\r\n"
            + f"Content-Length: {2 << 20}\r\n\r\n".encode()
            + b"#" * 1024
        )
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    browser = server.fetch("/sparql", headers={"Accept": "text/html"})
    assert browser.status == 303 and browser.headers["location"] == "/cimo/sparql.html"


def test_bad_request_line_gets_400_not_a_traceback(server: Served) -> None:
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"GARBAGE\r\n\r\n")
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 400")
    assert "Traceback" not in answer


def test_cors_preflight_and_headers(server: Served) -> None:
    preflight = server.fetch(
        "/sparql",
        "OPTIONS",
        {
            "Origin": "http://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "Content-Type" in preflight.headers["access-control-allow-headers"]
    reply = sparql_get(server, LABEL_QUERY)
    assert reply.headers["access-control-allow-origin"] == "*"
    assert server.fetch(f"/cimo/{RITUXIMAB}").headers["access-control-allow-origin"] == "*"


def test_gzip_when_the_client_allows_it(server: Served) -> None:
    plain = server.fetch("/cimo/ontology.html")
    zipped = server.fetch("/cimo/ontology.html", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == plain.body
    assert len(zipped.body) < len(plain.body) / 3
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 200"
    dynamic = server.fetch(
        "/sparql?" + urlencode({"query": query}), headers={"Accept-Encoding": "gzip"}
    )
    assert dynamic.headers["content-encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(dynamic.body))["results"]["bindings"]) == 200
    refused = server.fetch("/cimo/ontology.html", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_etag_gives_304_per_content_coding(server: Served) -> None:
    path = f"/cimo/{RITUXIMAB}.ttl"
    first = server.fetch(path)
    again = server.fetch(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status == 304 and again.body == b""
    zipped = server.fetch(path, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["etag"] != first.headers["etag"]
    assert (
        server.fetch(
            path, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]}
        ).status
        == 200
    )
    assert (
        server.fetch(
            path, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["etag"]}
        ).status
        == 304
    )


def test_query_page_and_yasgui_are_served_locally(server: Served) -> None:
    page = server.fetch("/cimo/sparql.html")
    assert page.status == 200
    assert 'src="assets/yasgui/yasgui.min.js"' in page.text
    for asset in (
        "assets/yasgui/yasgui.min.js",
        "assets/yasgui/yasgui.min.css",
        "assets/sparql.js",
        "assets/prefixes.json",
    ):
        reply = server.fetch(f"/cimo/{asset}")
        assert reply.status == 200 and len(reply.body) > 100, asset


# -- limits and lifecycle ----------------------------------------------------------------
def test_time_limit_and_size_cap_give_clear_errors(release_dir: Path) -> None:
    served = start_serve(
        release_dir, "--timeout", "1", "--max-result-bytes", "5000", "--workers", "1"
    )
    try:
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        slow = served.fetch("/sparql?query=" + quote(heavy))
        assert slow.status == 503
        assert "time limit of 1 s" in slow.text
        big = served.fetch("/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o }"))
        assert big.status == 422
        assert "cap of 5,000 bytes" in big.text
        for _ in range(50):  # the killed worker is replaced: the endpoint keeps answering
            after = served.fetch("/sparql?query=" + quote(LABEL_QUERY))
            if after.status == 200:
                break
        assert after.status == 200
    finally:
        stop_serve(served)


def test_stopping_the_server_stops_its_workers(release_dir: Path) -> None:
    served = start_serve(release_dir, "--workers", "2", "--quick-workers", "1")
    workers = worker_pids(served.proc.pid)
    assert len(workers) == 3  # two main workers and the quick lane
    assert served.fetch("/cimo/").status == 200
    err = stop_serve(served)
    assert served.proc.returncode == 0, err
    for pid in workers:
        assert (
            not Path(f"/proc/{pid}").exists()
            or Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
        )


def test_cli_reports_a_busy_port_without_a_traceback(server: Served, release_dir: Path) -> None:
    port = str(urlsplit(server.url).port)
    result = run_cimo("serve", "--port", port, "--build", str(release_dir))
    assert result.returncode == 2
    assert "cannot listen on 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run_cimo("serve", "--port", "0", "--build", str(release_dir / "nowhere"))
    assert missing.returncode == 2 and "run `cimo build` first" in missing.stderr


def test_load_benchmark_runs_on_a_tiny_duration(release_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "serve-results.md"
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "load_serve.py"),
            "--duration",
            "1",
            "--clients",
            "4",
            "--build",
            str(release_dir),
            "--out",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    table = out.read_text()
    rows = {
        line.split("|")[1].strip(): line
        for line in table.splitlines()
        if line.startswith("| terms") or line.startswith("| sparql")
    }
    assert set(rows) == {"terms", "sparql"}
    for row in rows.values():
        cells = [c.strip() for c in row.split("|")]
        assert int(cells[2].replace(",", "")) > 0  # requests
        assert cells[3] == "0"  # errors
