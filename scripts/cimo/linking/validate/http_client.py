"""One SPARQL request to a server we do not trust, with every wait and size bounded.

``urllib`` waits on a silent server for as long as its single timeout allows on
every read and reads an answer of any size. Here the connection has its own
timeout, the whole answer must arrive before a deadline (a server that sends
one byte a second cannot hold the run), the body may not exceed a size limit,
and redirects are reported rather than followed.
"""

from __future__ import annotations

import http.client
import ssl
import time
import urllib.parse
from dataclasses import dataclass

from cimo.linking.errors import InputError

CHUNK = 64 * 1024
ACCEPT = "application/sparql-results+json"


@dataclass(frozen=True)
class HttpLimits:
    """Bounds on one request; each has a ``cimo validate`` option."""

    #: seconds to open the connection (``--connect-timeout``)
    connect_timeout: float = 10.0
    #: seconds for the whole answer to one request to arrive (``--read-timeout``)
    read_timeout: float = 60.0
    #: bytes of one answer (``--max-response``)
    max_response: int = 64 * 1024 * 1024


DEFAULT_HTTP_LIMITS = HttpLimits()


def _connection(url: str, limits: HttpLimits) -> tuple[http.client.HTTPConnection, str]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            "the endpoint URL must start with http:// or https:// and name a host",
            "give the endpoint's full URL, e.g. https://example.org/sparql",
            file=url,
        )
    try:
        port = parts.port
    except ValueError as err:
        raise InputError(
            f"the endpoint URL has a bad port: {err}", "correct the URL", file=url
        ) from err
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if parts.scheme == "https":
        return http.client.HTTPSConnection(
            parts.hostname,
            port,
            timeout=limits.connect_timeout,
            context=ssl.create_default_context(),
        ), path
    return http.client.HTTPConnection(parts.hostname, port, timeout=limits.connect_timeout), path


def _remaining(deadline: float, url: str, limits: HttpLimits) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timed_out(url, limits)
    return left


def _timed_out(url: str, limits: HttpLimits) -> InputError:
    return InputError(
        f"the endpoint did not finish answering within {limits.read_timeout:g} s",
        "raise --read-timeout if the endpoint is slow but sound, or lower --page-size",
        file=url,
    )


def _read_body(
    response: http.client.HTTPResponse,
    connection: http.client.HTTPConnection,
    deadline: float,
    url: str,
    limits: HttpLimits,
) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > limits.max_response:
        raise _too_large(url, limits)
    parts: list[bytes] = []
    size = 0
    while True:
        if connection.sock is not None:
            connection.sock.settimeout(_remaining(deadline, url, limits))
        chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > limits.max_response:
            raise _too_large(url, limits)
        parts.append(chunk)


def _too_large(url: str, limits: HttpLimits) -> InputError:
    return InputError(
        f"the endpoint's answer is larger than {limits.max_response} bytes",
        "lower --page-size, or raise --max-response if you trust the endpoint",
        file=url,
    )


def http_answer(url: str, query: str, limits: HttpLimits = DEFAULT_HTTP_LIMITS) -> bytes:
    """The body of a successful answer to ``query``; anything else is an ``InputError``."""
    connection, path = _connection(url, limits)
    data = urllib.parse.urlencode({"query": query}).encode()
    try:
        try:
            connection.connect()
        except TimeoutError as err:
            raise InputError(
                f"cannot connect to the endpoint within {limits.connect_timeout:g} s",
                "check the URL and that the server is running, or raise --connect-timeout",
                file=url,
            ) from err
        deadline = time.monotonic() + limits.read_timeout
        assert connection.sock is not None
        connection.sock.settimeout(limits.read_timeout)
        connection.request(
            "POST",
            path,
            body=data,
            headers={
                "Accept": ACCEPT,
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": "cimo-validate",
            },
        )
        response = connection.getresponse()
        if 300 <= response.status < 400:
            where = response.getheader("Location", "")[:200]
            raise InputError(
                f"the endpoint answered HTTP {response.status} (a redirect to "
                f"{where or 'an unnamed place'}), which is not followed",
                "give the final endpoint URL",
                file=url,
            )
        body = _read_body(response, connection, deadline, url, limits)
        if response.status != 200:
            text = " ".join(body.decode("utf-8", "replace").split())[:300]
            raise InputError(
                f"the endpoint answered HTTP {response.status}: {text}",
                "check that the URL is a SPARQL 1.1 query endpoint",
                file=url,
            )
        return body
    except TimeoutError as err:
        raise _timed_out(url, limits) from err
    except (http.client.HTTPException, OSError) as err:
        raise InputError(
            f"cannot reach the endpoint: {err or type(err).__name__}",
            "check the URL and that the server is running",
            file=url,
        ) from err
    finally:
        connection.close()
