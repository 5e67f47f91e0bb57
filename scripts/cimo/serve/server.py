"""HTTP/1.1 plumbing for ``cimo serve``: threads, keep-alive, gzip, CORS, caching.

Built on the standard library's threading HTTP server, with three changes
that matter for speed and correctness: each response goes out in a single
write with TCP_NODELAY (otherwise Nagle's algorithm and delayed ACKs add
40 ms to every keep-alive request), bodies are gzipped when the client
allows it (static ones once, then cached), and every answer, errors
included, carries CORS headers so browser applications on other origins can
use the endpoint. An unexpected exception becomes a plain 500 with no
traceback in the response; the traceback goes to the server's stderr.

Hardening, for a server on the open internet: the request line, headers and
body must arrive within a deadline (``header_timeout``), whatever the pace
of the bytes, so a slowloris client cannot hold a thread; a request with
both Content-Length and Transfer-Encoding (the request-smuggling shape) or
with any Transfer-Encoding is refused; and every response carries a
Content-Security-Policy that allows scripts from this origin only, plus
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy``.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import socket
import sys
import time
import traceback
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from cimo.serve.app import App, Request, Response, text
from cimo.serve.conneg import accepts_gzip
from cimo.serve.log import Log
from cimo.serve.protocol import MAX_BODY

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Location, Link, Vary",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}
SECURITY = {
    # Scripts and everything else from this origin only; pyLODE's page has inline styles.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
MIN_DYNAMIC_GZIP = 1024
DEFAULT_HEADER_TIMEOUT = 10.0


class _DeadlineReader(io.RawIOBase):
    """The socket, read with a deadline for the whole request, not per ``recv``."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.deadline: float | None = None
        self.expired = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.expired = True
                raise TimeoutError("the request did not arrive within the deadline")
            self.sock.settimeout(left)
        try:
            return self.sock.recv_into(buffer)
        except TimeoutError:
            self.expired = self.deadline is not None
            raise


class _Date:
    """The Date header, recomputed at most once a second (formatting is not free)."""

    def __init__(self) -> None:
        self._second = -1
        self._value = ""

    def now(self) -> str:
        second = int(time.time())
        if second != self._second:
            self._second, self._value = second, formatdate(second, usegmt=True)
        return self._value


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cimo-serve"
    sys_version = ""
    timeout = 60  # seconds an idle keep-alive connection is kept
    header_timeout = DEFAULT_HEADER_TIMEOUT  # seconds for request line, headers and body
    app: App
    log: Log
    date = _Date()

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._reader = _DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self._reader, 1 << 16)
        self._started = time.monotonic()

    def handle_one_request(self) -> None:
        """Wait (idle) for a request to begin, then give it ``header_timeout`` to arrive."""
        try:
            if not self.rfile.peek(1):  # type: ignore[attr-defined]  # a BufferedReader
                self.close_connection = True
                return
        except OSError:
            self.close_connection = True
            return
        self._started = time.monotonic()
        self._reader.deadline = self._started + self.header_timeout
        try:
            super().handle_one_request()
        finally:
            self._done_reading()
        if self._reader.expired:
            self._reader.expired = False
            self.close_connection = True
            self.log.event(
                "slow-request", client=self.client_address[0], seconds=self.header_timeout
            )
            if getattr(self, "command", None) is None:
                self.command = "GET"
            with contextlib.suppress(OSError):
                self._send(
                    text(408, f"The request did not arrive within {self.header_timeout:g} s.")
                )

    def _done_reading(self) -> None:
        if self._reader.deadline is not None:
            self._reader.deadline = None
            self.connection.settimeout(self.timeout)

    # -- request methods -------------------------------------------------------
    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        if self._drain() is None:
            return  # already answered (framing refused, or too long)
        self._send(Response(204, headers={**PREFLIGHT, "Allow": "GET, HEAD, POST, OPTIONS"}))

    def _refuse(self) -> None:
        if self._drain() is None:
            return  # already answered (no length, or too long)
        self._send(
            text(
                405, f"Method {self.command} is not allowed.", {"Allow": "GET, HEAD, POST, OPTIONS"}
            )
        )

    do_PUT = do_DELETE = do_PATCH = _refuse

    # -- plumbing --------------------------------------------------------------
    def _drain(self) -> bytes | None:
        """Read the request body; None (after answering) when it cannot be read."""
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") is not None:
            # Both headers is how requests are smuggled past a proxy; chunked bodies alone
            # are not needed by any SPARQL client, so neither is accepted.
            self.close_connection = True
            both = " together with Content-Length" if length is not None else ""
            self._send(
                text(
                    400,
                    f"Transfer-Encoding{both} is not accepted; send the body "
                    "with a Content-Length.",
                )
            )
            return None
        if len(self.headers.get_all("Content-Length") or ()) > 1:
            self.close_connection = True
            self._send(text(400, "More than one Content-Length header."))
            return None
        if length is None:
            if self.command == "POST":
                self._send(text(411, "A POST needs a Content-Length header."))
                return None
            return b""
        try:
            size = int(length)
            if size < 0 or not length.strip().isdigit():
                raise ValueError
        except ValueError:
            self.close_connection = True
            self._send(text(400, "Content-Length is not a number."))
            return None
        if size > MAX_BODY:
            self.close_connection = True
            self._send(text(413, f"The request body is larger than {MAX_BODY:,} bytes."))
            return None
        return self.rfile.read(size) if size > 0 else b""

    def _dispatch(self) -> None:
        body = self._drain()
        if body is None:
            return
        url = urlsplit(self.path)
        self._done_reading()
        request = Request(
            self.command,
            unquote(url.path),
            url.query,
            {k.lower(): v for k, v in self.headers.items()},
            body,
            self.client_address[0],
        )
        try:
            response = self.app.handle(request)
        except Exception as err:  # a bug must not leak a traceback to the client
            self.log.event(
                "internal-error", client=request.client, target=self.path, error=repr(err)
            )
            traceback.print_exc(file=sys.stderr)
            response = text(500, "Internal error; the server log has the details.")
        self._send(response, request)

    def _send(self, response: Response, request: Request | None = None) -> None:
        self._done_reading()
        headers = {**CORS, **SECURITY, **response.headers}
        body = response.body
        status = response.status
        rep = response.representation
        request_headers = getattr(self, "headers", None)  # absent on a malformed request line
        wants_gzip = request_headers is not None and accepts_gzip(
            request_headers.get("Accept-Encoding")
        )
        if body and wants_gzip:
            compressed = (
                rep.gzipped()
                if rep is not None
                else (
                    gzip.compress(body, compresslevel=5, mtime=0)
                    if len(body) >= MIN_DYNAMIC_GZIP
                    else None
                )
            )
            if compressed is not None and len(compressed) < len(body):
                body = compressed
                headers["Content-Encoding"] = "gzip"
        if rep is not None and status == 200:
            # A strong validator names the bytes sent, so each coding has its own.
            etag = rep.etag[:-1] + '-gzip"' if "Content-Encoding" in headers else rep.etag
            headers["ETag"] = etag
            wanted = request.header("if-none-match") if request is not None else None
            if wanted and (wanted.strip() == "*" or etag in (t.strip() for t in wanted.split(","))):
                status, body = 304, b""
        if rep is not None or response.media_type:
            vary = headers.get("Vary")
            headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
        if response.media_type and status != 304:
            headers["Content-Type"] = response.media_type
        if status not in (204, 304):  # these have no body, and say nothing of its length
            headers["Content-Length"] = str(len(body))
        if self.close_connection:
            headers["Connection"] = "close"
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        head = [
            f"HTTP/1.1 {status} {reason}",
            f"Server: {self.server_version}",
            f"Date: {self.date.now()}",
            *(f"{k}: {v}" for k, v in headers.items()),
        ]
        payload = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        if self.command != "HEAD" and status not in (204, 304):
            payload += body
        self.wfile.write(payload)
        self.log.access(
            self.client_address[0],
            self.command or "-",
            getattr(self, "path", "-"),
            status,
            len(body),
            time.monotonic() - self._started,
        )

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors the stdlib detects itself (bad request line, unknown method)."""
        if code == HTTPStatus.NOT_IMPLEMENTED:
            code = HTTPStatus.METHOD_NOT_ALLOWED
        self.close_connection = True
        if not hasattr(self, "command") or self.command is None:
            self.command = "GET"
        self._send(
            text(
                code,
                message or HTTPStatus(code).phrase,
                {"Allow": "GET, HEAD, POST, OPTIONS"} if code == 405 else {},
            )
        )

    def log_message(self, format: str, *args: object) -> None:
        """The stdlib's own messages (request timed out, bad request line) are events."""
        self.log.event("http", client=self.client_address[0], message=format % args)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        app: App,
        log: Log | None = None,
        header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    ) -> None:
        handler = type(
            "BoundHandler",
            (Handler,),
            {"app": app, "log": log or Log(), "header_timeout": header_timeout},
        )
        super().__init__(address, handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}"
