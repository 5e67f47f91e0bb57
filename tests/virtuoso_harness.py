"""A private, throw-away Virtuoso on 127.0.0.1, for tests and benchmarks.

Virtuoso is the route for users who load CIMO beside large datasets, so the
examples and ``cimo validate --endpoint`` are checked against a real one. It
runs from its own ``virtuoso.ini`` in a temporary folder, on free loopback
ports, and is stopped (by PID) when the context ends, whatever happens.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
ServerThreads = 10
CheckpointInterval = 0
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {dir}, /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
DefaultQuery = SELECT * WHERE {{ ?s ?p ?o }} LIMIT 10
"""


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def available() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


@dataclass
class Virtuoso:
    folder: Path
    sql_port: int
    http_port: int

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def isql(self, command: str) -> str:
        result = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={command}"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0 or "*** Error" in result.stdout:
            raise RuntimeError(f"isql failed: {result.stdout}{result.stderr}")
        return result.stdout

    def load(self, files: list[Path], graph: str) -> None:
        """Bulk-load RDF files (Turtle or N-Triples) into one named graph."""
        self.load_each({path: graph for path in files})

    def load_each(self, graphs: dict[Path, str]) -> None:
        """Bulk-load each file into its own named graph, in one loader run."""
        data = self.folder / "data"
        data.mkdir(exist_ok=True)
        statements = []
        for path, graph in graphs.items():
            if path.parent != data:
                shutil.copy(path, data / path.name)
            statements.append(f"ld_dir('{data}', '{path.name}', '{graph}');")
        self.isql(" ".join(statements) + " rdf_loader_run(); checkpoint;")

    def select(self, query: str, graph: str | None = None) -> dict:
        params = {"query": query, "format": "application/sparql-results+json"}
        if graph:
            params["default-graph-uri"] = graph
        request = urllib.request.Request(
            self.endpoint,
            data=urllib.parse.urlencode(params).encode(),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())


@contextlib.contextmanager
def running() -> Iterator[Virtuoso]:
    """Start Virtuoso, wait until its SPARQL endpoint answers, stop it on exit."""
    folder = Path(tempfile.mkdtemp(prefix="cimo-virtuoso-"))
    server = Virtuoso(folder, free_port(), free_port())
    (folder / "virtuoso.ini").write_text(
        INI.format(dir=folder, sql_port=server.sql_port, http_port=server.http_port)
    )
    log = (folder / "stdout.log").open("w")
    process = subprocess.Popen(
        ["virtuoso-t", "+configfile", str(folder / "virtuoso.ini"), "+foreground"],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"virtuoso exited: {(folder / 'stdout.log').read_text()}")
            try:
                server.select("ASK { ?s ?p ?o }")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("virtuoso did not start within 60 s") from None
                time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
