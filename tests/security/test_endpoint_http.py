"""HTTP-level attacks on `cimo serve` on 127.0.0.1: request smuggling shapes, slow headers,
missing security headers, and symlinks that lead out of the published site."""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from endpoint_tools import raw_exchange
from serving import Served, start_serve, stop_serve

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


def test_content_length_with_transfer_encoding_is_400(server: Served) -> None:
    query = b"query=" + quote("ASK { ?s ?p ?o }").encode()
    smuggled = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n"
        % len(query)
        + query
        + b"GET /cimo/ HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    answer = raw_exchange(server, smuggled)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"Transfer-Encoding together with Content-Length" in answer
    assert answer.count(b"HTTP/1.1 ") == 1  # the connection is closed: nothing smuggled


def test_two_content_lengths_are_400(server: Served) -> None:
    answer = raw_exchange(
        server,
        b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/sparql-query\r\n"
        b"Content-Length: 3\r\nContent-Length: 16\r\n\r\nASK {?s ?p ?o}",
    )
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"More than one Content-Length" in answer


@pytest.fixture(scope="module")
def strict_server(release_dir: Path) -> Iterator[Served]:
    served = start_serve(release_dir, "--header-timeout", "1")
    yield served
    stop_serve(served)


def test_headers_must_arrive_within_the_deadline(strict_server: Served) -> None:
    """A slowloris client that sends one header line every 0.25 s is cut off."""
    parts = urlsplit(strict_server.url)
    started = time.monotonic()
    answer = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"GET /cimo/ HTTP/1.1\r\nHost: x\r\n")
        try:
            for number in range(40):  # 10 s of dripping, far past the 1 s deadline
                sock.sendall(b"X-Drip-%d: 1\r\n" % number)
                time.sleep(0.25)
        except OSError:
            pass  # the server closed the connection
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except OSError:
            pass
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert time.monotonic() - started < 8
    assert strict_server.fetch("/cimo/").status == 200  # other clients are served as before


def test_a_slow_but_steady_keep_alive_client_is_not_cut_off(strict_server: Served) -> None:
    """The deadline runs from the first byte of a request, not while a connection idles."""
    parts = urlsplit(strict_server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        for _ in range(2):
            sock.sendall(b"HEAD /cimo/ HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
            time.sleep(1.5)  # idle longer than the request deadline


def test_every_response_carries_the_security_headers(server: Served) -> None:
    replies = [
        server.fetch("/cimo/"),
        server.fetch("/cimo/CIMO_0000110", headers={"Accept": "text/turtle"}),
        server.fetch("/cimo/nothing-here"),
        server.fetch("/sparql?query=SELEC"),
        server.fetch("/sparql?query=" + quote("ASK {}")),
        server.fetch("/cimo/", "DELETE"),
        server.fetch("/sparql", "OPTIONS"),
        server.fetch("/"),
    ]
    for reply in replies:
        for name in SECURITY_HEADERS:
            assert name in reply.headers, (reply.status, name)
        assert reply.headers["x-content-type-options"] == "nosniff"
        policy = reply.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy
    bad_line = raw_exchange(server, b"NONSENSE\r\n\r\n")
    assert bad_line.startswith(b"HTTP/1.1 400 ")
    assert b"\r\nContent-Security-Policy: " in bad_line
    assert b"\r\nX-Content-Type-Options: nosniff\r\n" in bad_line


def test_symlinks_out_of_the_site_root_are_not_served(release_dir: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    shutil.copytree(release_dir, build, symlinks=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web\n")
    (build / "site" / "leak.txt").symlink_to(secret)
    (build / "site" / "passwd.txt").symlink_to("/etc/passwd")
    (build / "site" / "outside").symlink_to(tmp_path, target_is_directory=True)
    (build / "site" / "inside.css").symlink_to(build / "site" / "assets" / "site.css")
    served = start_serve(build)
    try:
        replies = {
            path: served.fetch(path)
            for path in ("/cimo/leak.txt", "/cimo/passwd.txt", "/cimo/outside/secret.txt")
        }
        inside = served.fetch("/cimo/inside.css")
    finally:
        err = stop_serve(served)
    for path, reply in replies.items():
        assert reply.status == 404, path
        assert b"not for the web" not in reply.body and b"root:" not in reply.body
    assert inside.status == 200  # a link that stays inside the site is fine
    assert "not-served" in err and "leak.txt" in err and "passwd.txt" in err
