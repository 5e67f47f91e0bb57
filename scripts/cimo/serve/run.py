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
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from cimo.errors import UsageError
from cimo.html.layout import SiteInfo
from cimo.queries import RELEASE_FILES
from cimo.serve.app import App
from cimo.serve.engine import QueryEngine
from cimo.serve.publication import Publication
from cimo.serve.server import Server


@dataclass(frozen=True)
class Settings:
    build: Path
    host: str = "127.0.0.1"
    port: int = 8000
    releases: tuple[Path, ...] = ()
    workers: int = 2
    timeout: float = 10.0
    max_bytes: int = 10 << 20
    access_log: bool = False


@dataclass
class Running:
    server: Server
    engine: QueryEngine
    publication: Publication


def start(settings: Settings) -> Running:
    """Load the release, start the workers and bind the socket."""
    publication = Publication(settings.build, settings.releases)
    missing = [n for n in RELEASE_FILES if not (settings.build / n).is_file()]
    if missing:
        raise UsageError(f"{settings.build} lacks {', '.join(missing)}: run `cimo build`")
    engine = QueryEngine([settings.build / n for n in RELEASE_FILES], size=settings.workers,
                         timeout=settings.timeout, max_bytes=settings.max_bytes)
    try:
        info = SiteInfo(publication.title, publication.version, publication.licence)
        app = App(publication, engine, info)
        try:
            server = Server((settings.host, settings.port), app, settings.access_log)
        except OSError as err:
            raise UsageError(f"cannot listen on {settings.host}:{settings.port}: "
                             f"{err.strerror}") from None
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
    print(f"cimo serve: CIMO {version} at {running.server.url}/cimo/ "
          f"(SPARQL: {running.server.url}/sparql); Ctrl-C stops", flush=True)
    try:
        running.server.serve_forever()
    finally:
        running.server.server_close()
        running.engine.close()
    print("cimo serve: stopped", file=sys.stderr, flush=True)
    return 0
