"""Attacks on the SPARQL endpoint of `cimo serve`, each on 127.0.0.1 and bounded in time:
federation used as SSRF, memory blow-ups, deep nesting, slow queries that starve quick
ones, client errors answered as server errors, and an operator who cannot see any of it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph
import pytest

from cimo.serve.frames import read_frame, write_frame
from endpoint_tools import Listener, MemorySampler, fetch_from
from serving import Served, start_serve, stop_serve, worker_pids

ASK = "/sparql?query=" + quote("ASK { ?s ?p ?o }")
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def doubling_query(times: int) -> str:
    """About 700 bytes that build a string of 1 KiB * 2**times by repeated CONCAT."""
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(times))
    return f'SELECT (STRLEN(?s{times}) AS ?n) WHERE {{ BIND("{"a" * 1024}" AS ?s0) {binds} }}'


def nested(depth: int) -> str:
    return "SELECT * WHERE " + "{" * depth + "}" * depth


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    try:
        yield server
    finally:
        server.close()


# -- no outbound requests ------------------------------------------------------------------
SERVICE_FORMS = [
    "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}/a> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}/b> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE# a comment\n<{url}/c>{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <{url}/d> {{ SERVICE <{url}/e> {{ ?s ?p ?o }} }} }}",
]


def test_the_listener_would_see_a_service_request(listener: Listener) -> None:
    """The control: pyoxigraph on its own does call the listener, so its silence below
    means the endpoint stopped the request, not that the listener is deaf."""
    query = SERVICE_FORMS[0].format(url=listener.url)
    with pytest.raises(OSError):
        list(pyoxigraph.Store().query(query))
    deadline = time.monotonic() + 5
    while not listener.seen and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.seen and listener.seen[0].startswith(b"POST /sparql")


@pytest.mark.parametrize("form", SERVICE_FORMS)
def test_service_is_refused_and_nothing_leaves_the_server(
    server: Served, listener: Listener, form: str
) -> None:
    query = form.format(url=listener.url)
    for reply in (
        server.fetch("/sparql?query=" + quote(query)),
        server.fetch(
            "/sparql", "POST", {"Content-Type": "application/sparql-query"}, query.encode()
        ),
    ):
        assert reply.status == 400
        assert "does not offer federated queries" in reply.text
    time.sleep(0.3)
    assert listener.seen == []


def test_the_word_service_in_strings_iris_and_names_is_not_refused(server: Served) -> None:
    query = (
        "PREFIX ex: <http://example.org/SERVICE#> SELECT ?SERVICE WHERE { "
        'BIND("SERVICE <http://127.0.0.1:9/>" AS ?SERVICE) FILTER(?SERVICE != ex:SERVICE) '
        "} # SERVICE"
    )
    reply = server.fetch(
        "/sparql?query=" + quote(query), headers={"Accept": "application/sparql-results+json"}
    )
    assert reply.status == 200, reply.text


def test_a_worker_cannot_connect_even_if_service_slips_through(
    release_dir: Path, listener: Listener
) -> None:
    """Bypass the query screen: hand a SERVICE query straight to a query worker."""
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cimo.serve.worker",
            str(release_dir / "cimo.ttl"),
            "--max-bytes",
            "100000",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert worker.stdin is not None and worker.stdout is not None
    try:
        greeting = json.loads(read_frame(worker.stdout.fileno(), time.monotonic() + 60))
        if greeting["network"] != "isolated":
            pytest.skip(f"network namespaces are not available here: {greeting['network']}")
        query = SERVICE_FORMS[0].format(url=listener.url)
        write_frame(worker.stdin.fileno(), json.dumps({"query": query}).encode())
        header = json.loads(read_frame(worker.stdout.fileno(), time.monotonic() + 30))
        read_frame(worker.stdout.fileno(), time.monotonic() + 30)
    finally:
        worker.kill()
        worker.communicate()
    assert header["status"] == 400
    assert "unreachable" in header["message"].lower()
    time.sleep(0.3)
    assert listener.seen == []


# -- bounded resources ---------------------------------------------------------------------
def test_memory_blowup_is_stopped_at_the_limit_and_the_server_answers_on(release_dir: Path) -> None:
    limit_mib = 256
    served = start_serve(release_dir, "--max-memory-mib", str(limit_mib), "--workers", "1")
    try:
        with MemorySampler(served) as sampler:
            # 700 bytes that once built a 960 MB string and answered 200
            reply = served.fetch(
                "/sparql",
                "POST",
                {"Content-Type": "application/sparql-query"},
                doubling_query(20).encode(),
            )
            after = served.fetch(ASK)
            for _ in range(100):  # the next worker may still be loading the release
                if after.status == 200:
                    break
                time.sleep(0.1)
                after = served.fetch(ASK)
    finally:
        err = stop_serve(served)
    assert reply.status == 503, reply.text
    assert f"more memory than this endpoint's limit of {limit_mib} MiB" in reply.text
    assert sampler.samples > 10
    assert 0 < sampler.peak_kib < limit_mib * 1024
    assert after.status == 200
    assert "memory-limit" in err


def test_a_deep_query_is_400_and_no_worker_crashes(server: Served) -> None:
    before = sorted(worker_pids(server.proc.pid))
    deep = server.fetch(
        "/sparql", "POST", {"Content-Type": "application/sparql-query"}, nested(3000).encode()
    )
    assert deep.status == 400
    assert "nested more than 100 levels" in deep.text
    assert server.fetch("/sparql?query=" + quote(nested(90))).status == 200
    assert sorted(worker_pids(server.proc.pid)) == before


def test_two_slow_clients_leave_room_for_a_quick_query(release_dir: Path) -> None:
    served = start_serve(release_dir, "--workers", "2", "--quick-workers", "1", "--timeout", "3")
    slow_replies: list[int] = []

    def slow(source: str) -> None:
        slow_replies.append(fetch_from(served, source, "/sparql?query=" + quote(HEAVY)).status)

    slow_clients = [
        threading.Thread(target=slow, args=(source,)) for source in ("127.0.0.2", "127.0.0.3")
    ]
    try:
        for thread in slow_clients:
            thread.start()
        time.sleep(1.0)  # both main workers are now busy with the slow queries
        quick = fetch_from(served, "127.0.0.1", ASK)
        still_running = [thread.is_alive() for thread in slow_clients]
        for thread in slow_clients:
            thread.join(timeout=30)
    finally:
        stop_serve(served)
    assert quick.status == 200
    assert still_running == [True, True], "the quick query waited for the slow ones"
    assert slow_replies == [503, 503]


def test_one_client_cannot_take_the_quick_lane_too(release_dir: Path) -> None:
    served = start_serve(release_dir, "--workers", "2", "--quick-workers", "1", "--timeout", "3")
    hogs = [
        threading.Thread(
            target=fetch_from, args=(served, "127.0.0.2", "/sparql?query=" + quote(HEAVY))
        )
        for _ in range(3)
    ]
    try:
        for thread in hogs:
            thread.start()
        time.sleep(1.0)
        quick = fetch_from(served, "127.0.0.1", ASK)
        still_running = all(thread.is_alive() for thread in hogs)
        for thread in hogs:
            thread.join(timeout=30)
    finally:
        stop_serve(served)
    assert quick.status == 200
    assert still_running


# -- client errors and logs ----------------------------------------------------------------
def test_client_errors_are_4xx_not_500(server: Served) -> None:
    bad_graph = server.fetch(
        "/sparql?query="
        + quote("ASK { ?s ?p ?o }")
        + "&default-graph-uri="
        + quote("not an IRI \x1b[2J")
    )
    assert bad_graph.status == 400, bad_graph.text
    assert b"\x1b" not in bad_graph.body  # an echoed value cannot drive the client's terminal
    syntax = server.fetch("/sparql?query=" + quote("SELECT ?x WHERE { ?x ?p }"))
    assert syntax.status == 400


def test_refused_queries_and_requests_are_logged_as_json_lines(release_dir: Path) -> None:
    served = start_serve(release_dir, "--log-format", "json", "--access-log")
    try:
        served.fetch(
            "/sparql?query="
            + quote("SELECT * { SERVICE <http://127.0.0.1:9/> {} } # \x1b[2J\x1b]0;owned\x07")
        )
        served.fetch("/sparql?query=" + quote(nested(500)))
        missing = served.fetch("/cimo/%1b[2J", headers={"Accept": "text/plain"})
    finally:
        err = stop_serve(served)
    records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    refused = [r for r in records if r.get("event") == "refused"]
    assert [r["reason"] for r in refused] == ["service", "depth"]
    assert refused[0]["client"] == "127.0.0.1" and "SERVICE" in refused[0]["query"]
    access = [r for r in records if r.get("log") == "access"]
    assert sorted(r["status"] for r in access) == [400, 400, 404]  # written after sending
    # A request cannot write escape sequences to the operator's terminal, or the client's.
    assert "\x1b" not in err and "\\x1b[2J" in err
    assert missing.status == 404 and b"\x1b" not in missing.body
