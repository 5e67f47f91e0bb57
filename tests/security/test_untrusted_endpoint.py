"""``cimo validate --endpoint`` against malicious SPARQL servers on 127.0.0.1.

Each server answers with a real SPARQL engine (pyoxigraph) over the same data,
then misbehaves in one way: it caps rows, ignores OFFSET, answers forever, hangs,
drips, or sends something that is not SPARQL JSON. An honest server gives the
right count; every dishonest one must end the run with exit 2 and a message,
never a wrong count, a loop, or a traceback. Every run is bounded in time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest

from conftest import REPO

CIMO = "https://w3id.org/cimo/CIMO_"
#: 20 IRIs in CIMO's namespace that are not CIMO terms: 20 existing_term violations
UNKNOWN = [f"{CIMO}99999{n:02d}" for n in range(20)]
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
DATA = "".join(
    f"<https://example.org/r{n}> <https://example.org/uses> <{iri}> .\n"
    for n, iri in enumerate(UNKNOWN)
) + "".join(
    f"<https://example.org/r{n}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    f"<https://example.org/T{n}> .\n<https://example.org/T{n}> <{SUBCLASS}> "
    f"<https://example.org/U{n}> .\n"
    for n in range(3)
)

Answer = Callable[["Fake", str], tuple[int, str, bytes] | None]


class Fake:
    """A SPARQL endpoint whose answers pass through ``answer`` (None: send nothing)."""

    def __init__(self, answer: Answer) -> None:
        self.store = ox.Store()
        self.store.load(DATA.encode(), format=ox.RdfFormat.N_TRIPLES)
        self.answer = answer
        self.stop = threading.Event()
        self.queries: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                query = form["query"][0]
                fake.queries.append(query)
                reply = fake.answer(fake, query)
                if reply is None:
                    return
                status, kind, body = reply
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def evaluate(self, query: str) -> dict:
        results = self.store.query(query)
        return json.loads(results.serialize(format=ox.QueryResultsFormat.JSON))  # type: ignore

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


def as_json(payload: dict) -> tuple[int, str, bytes]:
    return 200, "application/sparql-results+json", json.dumps(payload).encode()


@pytest.fixture
def serve() -> Iterator[Callable[[Answer], Fake]]:
    fakes: list[Fake] = []

    def start(answer: Answer) -> Fake:
        fakes.append(Fake(answer))
        return fakes[-1]

    yield start
    for fake in fakes:
        fake.close()


def validate(url: str, *options: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cimo.cli.main", "validate", "--endpoint", url, *options],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
        check=False,
    )


def refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def honest(fake: Fake, query: str) -> tuple[int, str, bytes]:
    return as_json(fake.evaluate(query))


def test_an_honest_endpoint_gives_every_violation(serve: Callable[[Answer], Fake]) -> None:
    result = validate(serve(honest).url, "--page-size", "3")
    assert result.returncode == 1, result.stderr
    assert "20 violations (20 existing_term)" in result.stdout


def capped(fake: Fake, query: str) -> tuple[int, str, bytes]:
    """Like a public endpoint with a row cap below the page size: 5 rows per answer."""
    payload = fake.evaluate(query)
    payload["results"]["bindings"] = payload["results"]["bindings"][:5]
    return as_json(payload)


def test_a_row_cap_is_detected_not_reported_as_a_short_count(
    serve: Callable[[Answer], Fake],
) -> None:
    result = validate(serve(capped).url)
    refused(result, "cannot be trusted", "COUNT", "20", "--page-size")
    assert "violation" not in result.stdout


def total_cap(fake: Fake, query: str) -> tuple[int, str, bytes]:
    """Pages correctly, but never serves more than 5 rows of any result in total."""
    payload = fake.evaluate(query)
    offset = re.search(r"OFFSET (\d+)", query)
    if offset:
        rows = payload["results"]["bindings"]
        start = int(offset.group(1))
        payload["results"]["bindings"] = rows[: max(0, 5 - start)]
    return as_json(payload)


def test_a_total_cap_across_pages_is_detected(serve: Callable[[Answer], Fake]) -> None:
    refused(validate(serve(total_cap).url, "--page-size", "2"), "cannot be trusted", "COUNT")


def caps_single_answers(fake: Fake, query: str) -> tuple[int, str, bytes]:
    """Pages and counts honestly, but cuts every unpaged answer to one row."""
    payload = fake.evaluate(query)
    if "LIMIT" not in query and "cimo_rows" not in query:
        payload["results"]["bindings"] = payload["results"]["bindings"][:1]
    return as_json(payload)


def test_a_cap_on_an_unpaged_answer_is_detected(serve: Callable[[Answer], Fake]) -> None:
    fake = serve(caps_single_answers)
    refused(validate(fake.url), "cannot be trusted", "answered 1 rows", "COUNT")
    assert any(SUBCLASS in query and "LIMIT" not in query for query in fake.queries)


def ignores_offset(fake: Fake, query: str) -> tuple[int, str, bytes]:
    return as_json(fake.evaluate(re.sub(r"OFFSET \d+", "", query)))


def test_an_endpoint_that_ignores_offset_stops_the_run(serve: Callable[[Answer], Fake]) -> None:
    fake = serve(ignores_offset)
    refused(validate(fake.url, "--page-size", "4"), "ignores OFFSET")
    assert len(fake.queries) < 20


def endless(fake: Fake, query: str) -> tuple[int, str, bytes]:
    """Every page is full of new rows, for ever."""
    if "cimo_rows" in query:
        return honest(fake, query)
    page = int(re.search(r"LIMIT (\d+)", query).group(1)) if "LIMIT" in query else 1
    offset = int(re.search(r"OFFSET (\d+)", query).group(1)) if "OFFSET" in query else 0
    rows = [
        {
            "x": {"type": "uri", "value": f"{CIMO}88{offset + n:05d}"},
            "n": {"type": "literal", "value": "1"},
        }
        for n in range(page)
    ]
    return as_json({"head": {"vars": ["x", "n"]}, "results": {"bindings": rows}})


def test_an_endpoint_with_endless_pages_stops_at_its_own_count(
    serve: Callable[[Answer], Fake],
) -> None:
    fake = serve(endless)
    refused(validate(fake.url, "--page-size", "4"), "more rows", "COUNT")
    assert len(fake.queries) < 20


def huge(fake: Fake, query: str) -> tuple[int, str, bytes]:
    payload = fake.evaluate(query)
    payload["padding"] = "x" * 3_000_000
    return as_json(payload)


def test_an_oversized_answer_is_refused(serve: Callable[[Answer], Fake]) -> None:
    refused(
        validate(serve(huge).url, "--max-response", "1000000"),
        "larger than 1000000 bytes",
        "--max-response",
    )


def hangs(fake: Fake, _query: str) -> None:
    fake.stop.wait(60)


def test_a_hung_endpoint_is_given_up_after_the_read_timeout(
    serve: Callable[[Answer], Fake],
) -> None:
    start = time.monotonic()
    refused(
        validate(serve(hangs).url, "--read-timeout", "0.5", timeout=30),
        "within 0.5 s",
        "--read-timeout",
    )
    assert time.monotonic() - start < 20


class Drip(BaseHTTPRequestHandler):
    """Sends a valid-looking answer one byte at a time, each just inside a read timeout."""

    protocol_version = "HTTP/1.1"
    stop = threading.Event()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b'{"head": {"vars": []}, "results": {"bindings": []}}' + b" " * 10_000
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for byte in body:
            if self.stop.wait(0.3):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def log_message(self, *_args: object) -> None:
        pass


def test_a_dripping_endpoint_cannot_outlast_the_deadline() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    try:
        start = time.monotonic()
        refused(
            validate(
                f"http://127.0.0.1:{server.server_address[1]}/", "--read-timeout", "1", timeout=30
            ),
            "within 1 s",
        )
        assert time.monotonic() - start < 20
    finally:
        Drip.stop.set()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("body", "kind", "words"),
    [
        (b'{"results": {"bindings": [', "application/sparql-results+json", "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "application/sparql-results+json", "nested too deeply"),
        (b'{"results": {"bindings": [1, 2]}}', "application/sparql-results+json", "solution"),
        (
            b'{"results": {"bindings": [{"x": {"type": "uri", "value": "not an iri"}}]}}',
            "application/sparql-results+json",
            "not a valid RDF term",
        ),
        (b'{"results": {"bindings": [{"x": "plain"}]}}', "application/json", "SPARQL JSON term"),
        (
            b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "b">]><sparql/>',
            "application/sparql-results+xml",
            "XML",
        ),
        (b"\x00\xff\xfe garbage", "text/plain", "not JSON"),
    ],
)
def test_malformed_answers_give_a_message_not_a_traceback(
    serve: Callable[[Answer], Fake], body: bytes, kind: str, words: str
) -> None:
    refused(validate(serve(lambda _fake, _query: (200, kind, body)).url), words)


def test_error_pages_with_escape_sequences_are_printed_escaped(
    serve: Callable[[Answer], Fake],
) -> None:
    result = validate(serve(lambda _f, _q: (500, "text/plain", b"\x1b]0;owned\x07\x1b[2J")).url)
    refused(result, "HTTP 500", "\\x1b]0;owned\\x07")
    assert "\x1b" not in result.stderr


def test_redirects_are_reported_not_followed(serve: Callable[[Answer], Fake]) -> None:
    target = serve(honest)
    redirect = serve(lambda _f, _q: (307, "text/plain", b""))
    result = validate(redirect.url)
    refused(result, "HTTP 307", "not followed")
    assert target.queries == []
