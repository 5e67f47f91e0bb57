"""Wire a publication, a query engine and an HTTP server together, and run them.

``start`` loads the release, starts the query workers and binds the socket
(stopping the workers again if binding fails); ``serve_until_stopped`` then
serves until SIGINT or SIGTERM and stops the workers, so no process outlives
the server.
"""

from __future__ import annotations

import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from cimo.errors import UsageError
from cimo.html.layout import SiteInfo
from cimo.queries import RELEASE_FILES
from cimo.serve.app import App
from cimo.serve.engine import Limits, QueryEngine
from cimo.serve.log import Log
from cimo.serve.publication import Publication
from cimo.serve.screen import DEFAULT_MAX_DEPTH
from cimo.serve.server import DEFAULT_HEADER_TIMEOUT, Server


@dataclass(frozen=True)
class Settings:
    build: Path
    host: str = "127.0.0.1"
    port: int = 8000
    releases: tuple[Path, ...] = ()
    workers: int = 2
    limits: Limits = field(default_factory=Limits)
    max_depth: int = DEFAULT_MAX_DEPTH
    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    access_log: bool = False
    json_log: bool = False


@dataclass
class Running:
    server: Server
    engine: QueryEngine
    publication: Publication


def start(settings: Settings) -> Running:
    """Load the release, start the workers and bind the socket."""
    log = Log(json_lines=settings.json_log, access=settings.access_log)
    publication = Publication(settings.build, settings.releases)
    for skipped in publication.skipped:
        log.event("not-served", path=skipped, reason="a symlink that leads out of the site root")
    missing = [n for n in RELEASE_FILES if not (settings.build / n).is_file()]
    if missing:
        raise UsageError(f"{settings.build} lacks {', '.join(missing)}: run `cimo build`")
    engine = QueryEngine(
        [settings.build / n for n in RELEASE_FILES],
        size=settings.workers,
        limits=settings.limits,
        log=log,
    )
    try:
        info = SiteInfo(publication.title, publication.version, publication.licence)
        app = App(publication, engine, info, log, settings.max_depth)
        try:
            server = Server((settings.host, settings.port), app, log, settings.header_timeout)
        except OSError as err:
            raise UsageError(
                f"cannot listen on {settings.host}:{settings.port}: {err.strerror}"
            ) from None
    except BaseException:
        engine.close()
        raise
    return Running(server, engine, publication)


def serve_until_stopped(settings: Settings) -> int:
    running = start(settings)
    version = running.publication.version

    def stop(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=running.server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(
        f"cimo serve: CIMO {version} at {running.server.url}/cimo/ "
        f"(SPARQL: {running.server.url}/sparql); Ctrl-C stops",
        flush=True,
    )
    try:
        # how often the loop looks for a stop request: Ctrl-C and SIGTERM take effect
        # within 0.1 s, not the library's default 0.5 s
        running.server.serve_forever(poll_interval=0.1)
    finally:
        running.server.server_close()
        running.engine.close()
    print("cimo serve: stopped", file=sys.stderr, flush=True)
    return 0
