"""Files a user did not write: ``cimo validate``, ``cimo diff``, ``cimo fmt``, ``cimo map``.

Each test is an attack from the security audit, run for real and bounded in time
(and, for the entity bomb, in memory): the command must refuse with exit 2 and a
message naming the file, never crash, hang, fetch, or print a traceback.
"""

from __future__ import annotations

import gzip
import http.server
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cimo.linking.input_guard import Limits, read_all
from cimo.linking.validate.findings import Finding
from cimo.linking.validate.report import text
from cimo.paths import ProjectPaths
from cimo.pipeline.pipeline import STALE_AFTER_SECONDS, remove_stale_staging, write_atomically
from cimo.terminal import printable
from conftest import REPO, run_cimo

CIMO = "https://w3id.org/cimo/CIMO_"
MEMORY_LIMIT = 1536 * 1024 * 1024


def cimo(
    *args: str, timeout: float = 120, memory: int | None = None, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess, killed after ``timeout`` s, optionally under RLIMIT_AS."""

    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "cimo.cli.main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
        env=os.environ.copy(),
        check=False,
    )


def refused(result: subprocess.CompletedProcess[str], name: str, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert name in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def billion_laughs(levels: int = 9) -> str:
    entities = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, levels + 1)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:e="https://example.org/"><rdf:Description rdf:about="https://example.org/s">'
        f"<e:p>&lol{levels};</e:p></rdf:Description></rdf:RDF>\n"
    )


# --- XML entities ------------------------------------------------------------------------


def test_billion_laughs_exits_2_within_seconds_under_a_memory_limit(tmp_path: Path) -> None:
    bomb = tmp_path / "laughs.rdf"
    bomb.write_text(billion_laughs(), encoding="utf-8")
    assert bomb.stat().st_size < 1200
    start = time.monotonic()
    result = cimo("validate", str(bomb), timeout=60, memory=MEMORY_LIMIT)
    refused(result, "laughs.rdf", "DOCTYPE", "fix:")
    assert time.monotonic() - start < 30
    # the same limit leaves room for an honest RDF/XML file
    honest = tmp_path / "honest.rdf"
    honest.write_text(
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        '22-rdf-syntax-ns#" xmlns:e="https://example.org/"><rdf:Description '
        'rdf:about="https://example.org/s"><e:p>laugh</e:p></rdf:Description>'
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    ok = cimo("validate", str(honest), timeout=60, memory=MEMORY_LIMIT)
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE rdf:RDF [<!ENTITY e "x">]>',
        '<!DOCTYPE rdf:RDF SYSTEM "file:///etc/passwd">',
        "<!DOCTYPE rdf:RDF>",
    ],
)
def test_any_doctype_or_entity_declaration_is_refused(tmp_path: Path, declaration: str) -> None:
    path = tmp_path / "declared.owl.gz"
    path.write_bytes(
        gzip.compress(
            f'<?xml version="1.0"?>\n{declaration}\n<rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'.encode()
        )
    )
    refused(cimo("validate", str(path), timeout=60), "declared.owl.gz", "DOCTYPE")


def test_xml_in_another_encoding_is_refused_not_reinterpreted(tmp_path: Path) -> None:
    path = tmp_path / "utf16.rdf"
    path.write_bytes(
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY a "b">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'.encode("utf-16")
    )
    refused(cimo("validate", str(path), timeout=60), "utf16.rdf")


def test_deep_xml_is_refused_before_the_quadratic_parser_runs(tmp_path: Path) -> None:
    depth = 40_000  # about 30 s in the RDF/XML parser; refused at --max-depth
    path = tmp_path / "deep.rdf"
    path.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:e="https://example.org/"><rdf:Description>'
        + "<e:p><rdf:Description>" * depth
        + "</rdf:Description></e:p>" * depth
        + "</rdf:Description></rdf:RDF>",
        encoding="utf-8",
    )
    refused(
        cimo("validate", str(path), timeout=20), "deep.rdf", "nested more than 256", "--max-depth"
    )


# --- JSON-LD nesting ---------------------------------------------------------------------


def nested_contexts(levels: int) -> str:
    inner = '{"@vocab": "https://example.org/"}'
    for _ in range(levels):
        inner = '{"p": {"@id": "https://example.org/p", "@context": ' + inner + "}}"
    return '{"@context": ' + inner + ', "@id": "https://example.org/s", "p": "x"}'


def test_five_thousand_nested_contexts_exit_2_instead_of_crashing(tmp_path: Path) -> None:
    path = tmp_path / "contexts.jsonld"
    path.write_text(nested_contexts(5000), encoding="utf-8")
    refused(
        cimo("validate", str(path), timeout=60),
        "contexts.jsonld",
        "@context",
        "--max-context-depth",
    )


def test_deep_json_exits_2_instead_of_crashing(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonld"
    depth = 6000
    path.write_text(
        '{"@context": {"@vocab": "https://example.org/"}, '
        '"@id": "https://example.org/s", ' + '"p": {' * depth + '"q": 1' + "}" * depth + "}",
        encoding="utf-8",
    )
    refused(
        cimo("validate", str(path), timeout=60), "deep.jsonld", "nested more than", "--max-depth"
    )


def test_context_depth_is_counted_however_the_bytes_are_split() -> None:
    """The @context key, its colon and the bracket may arrive in different reads."""
    document = nested_contexts(20).replace('"@context": ', '"\\u0040context"   :   ').encode()
    limits = Limits(max_context_depth=16)
    for size in (1, 2, 3, 7, 64):
        chunks = _Chunks([document[i : i + size] for i in range(0, len(document), size)])
        with pytest.raises(Exception, match="nested more than 16") as caught:
            read_all(chunks, "x.jsonld", "json", limits=limits)  # type: ignore[arg-type]
        assert type(caught.value).__name__ == "InputError"
    brackets_in_strings = b'{"a": "{{{{[[[[", "b": "\\"{{{{"}'
    assert (
        read_all(
            _Bytes(brackets_in_strings),
            "y.json",
            "json",  # type: ignore[arg-type]
            limits=Limits(max_depth=2),
        )
        == brackets_in_strings
    )


class _Chunks:
    """A stream that returns exactly the given pieces, one per read."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def read(self, _size: int = -1) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""

    def close(self) -> None:
        pass


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        chunk, self.data = self.data[: max(size, 1)], self.data[max(size, 1) :]
        return chunk

    def close(self) -> None:
        pass


# --- sizes -------------------------------------------------------------------------------


def test_gzip_bomb_stops_at_the_decompressed_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.nt.gz"
    triple = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"
    path.write_bytes(gzip.compress(triple * 300_000, 9))  # 22 MB from about 70 KB
    result = cimo("validate", str(path), "--max-decompressed", "1000000", timeout=60)
    refused(result, "bomb.nt.gz", "decompresses to more than 1000000 bytes", "--max-decompressed")


def test_oversized_literals_exit_2_not_1(tmp_path: Path) -> None:
    big = tmp_path / "huge.nt.gz"
    big.write_bytes(
        gzip.compress(
            b'<https://example.org/s> <https://example.org/p> "' + b"a" * 40_000_000 + b'" .\n'
        )
    )
    refused(cimo("validate", str(big), timeout=60), "huge.nt.gz", "too large")
    over = tmp_path / "over.ttl"
    over.write_text(
        '<https://example.org/s> <https://example.org/p> "' + "b" * 5000 + '" .\n', encoding="utf-8"
    )
    refused(
        cimo("validate", str(over), "--max-literal", "4096", timeout=60),
        "over.ttl",
        "literal longer than 4096",
        "--max-literal",
    )


def test_limits_must_be_positive_numbers() -> None:
    for option in (
        "--max-literal",
        "--max-depth",
        "--max-decompressed",
        "--read-timeout",
        "--page-size",
    ):
        result = cimo("validate", "x.ttl", option, "0", timeout=60)
        assert result.returncode == 2 and option in result.stderr, result.stderr
    assert cimo("validate", "x.ttl", "--max-depth", "100000").returncode == 2


# --- no fetching -------------------------------------------------------------------------


class _Listener:
    """An HTTP server on 127.0.0.1 that records every request: nothing may arrive."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.paths.append(self.path)
                body = b'{"@context": {"@vocab": "https://example.org/"}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    served = _Listener()
    yield served
    served.server.shutdown()
    served.server.server_close()


def test_diff_never_fetches_a_remote_context(
    tmp_path: Path, listener: _Listener, release_dir: Path
) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(
        '{"@context": "' + listener.url + f'/ctx.jsonld", "@id": "{CIMO}0000001", "label": "x"}}',
        encoding="utf-8",
    )
    result = cimo("diff", str(path), str(release_dir / "cimo.ttl"), timeout=60)
    assert listener.paths == []
    refused(result, "remote.jsonld", "refusing to load", "ctx.jsonld")


def test_validate_never_fetches_a_remote_context(tmp_path: Path, listener: _Listener) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(
        '{"@context": ["'
        + listener.url
        + '/a.jsonld", {"@import": "'
        + listener.url
        + '/b.jsonld"}], "@id": "https://example.org/s"}',
        encoding="utf-8",
    )
    result = cimo("validate", str(path), timeout=60)
    assert listener.paths == []
    refused(result, "remote.jsonld")


def test_diff_reads_the_release_jsonld_with_its_local_context(release_dir: Path) -> None:
    result = cimo(
        "diff", str(release_dir / "cimo.jsonld"), str(release_dir / "cimo.ttl"), timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "| axioms added | 0 |" in result.stdout and "| terms added | 0 |" in result.stdout


def test_diff_refuses_a_doctype(tmp_path: Path, release_dir: Path) -> None:
    bomb = tmp_path / "laughs.owl"
    bomb.write_text(billion_laughs(), encoding="utf-8")
    refused(
        cimo("diff", str(bomb), str(release_dir / "cimo.ttl"), timeout=60, memory=MEMORY_LIMIT),
        "laughs.owl",
        "DOCTYPE",
    )


# --- fmt, build, map, terminal -----------------------------------------------------------


def test_fmt_refuses_to_rewrite_a_module_linked_outside_ontology(
    project: ProjectPaths, tmp_path: Path
) -> None:
    victim = tmp_path / "elsewhere.ttl"
    original = "@prefix ex: <https://example.org/> .\n\n\nex:b ex:p ex:o .\nex:a ex:p ex:o .\n"
    victim.write_text(original, encoding="utf-8")
    (project.ontology / "linked.ttl").symlink_to(victim)
    result = cimo("--root", str(project.root), "fmt", timeout=120, cwd=project.root)
    assert result.returncode == 2, result.stderr
    assert "linked.ttl" in result.stderr and "outside" in result.stderr
    assert victim.read_text(encoding="utf-8") == original
    minted = cimo(
        "--root",
        str(project.root),
        "new-term",
        "--module",
        "linked",
        "--label",
        "x",
        "--definition",
        "An x.",
        "--source",
        "https://example.org/",
        timeout=120,
        cwd=project.root,
    )
    assert minted.returncode == 2 and "outside" in minted.stderr, minted.stderr
    assert victim.read_text(encoding="utf-8") == original


def test_a_killed_builds_staging_folder_is_removed_by_the_next_build(tmp_path: Path) -> None:
    target = tmp_path / "build"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".build.tmp-{dead_pid}"
    (stale / "reports").mkdir(parents=True)
    (stale / "cimo.ttl").write_text("half", encoding="utf-8")
    # a concurrent build that is still running (this process's parent) keeps its folder
    live = tmp_path / f".build.tmp-{os.getppid()}"
    live.mkdir()
    write_atomically(target, {"cimo.ttl": b"whole"})
    assert not stale.exists() and live.exists()
    assert (target / "cimo.ttl").read_bytes() == b"whole"
    # a folder older than the threshold is stale even if its PID is in use again
    assert remove_stale_staging(target, now=time.time() + STALE_AFTER_SECONDS + 60) == [live]


def test_map_column_zero_is_an_error() -> None:
    result = run_cimo("map", "--column", "0", "NCIT:C1702")
    assert result.returncode == 2 and "numbered from 1" in result.stderr, result.stderr


def test_map_oversized_csv_field_exits_2_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("NCIT:C1702\n" + "x" * 200_000 + "\n", encoding="utf-8")
    result = run_cimo("map", "--input", str(path))
    refused(result, "ids.csv:2", "field")


def test_escape_sequences_from_input_never_reach_the_terminal(tmp_path: Path) -> None:
    name = "evil\x1b]0;owned\x07\x1b[2J.ttl"
    path = tmp_path / name
    path.write_text("<https://example.org/s> <https://example.org/p> nope:x .\n", encoding="utf-8")
    result = cimo("validate", str(path), timeout=60)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "evil\\x1b]0;owned\\x07\\x1b[2J.ttl" in result.stderr
    mapped = run_cimo("map", "CIMO:0000110", "\x1b[31mNCIT:C1702\u202e")
    assert "\x1b" not in mapped.stdout + mapped.stderr and "\u202e" not in mapped.stderr


def test_findings_print_literals_with_controls_escaped() -> None:
    import pyoxigraph as ox

    finding = Finding(
        "https://w3id.org/cimo/shapes/data#x",
        "c",
        ox.Literal("a\x1b[31mb\nc"),
        'the value is the literal "a\x1b[31mb\nc"',
        context="s p \x9b1m",
    )
    lines = text([finding], 0)
    assert all("\x1b" not in line and "\n" not in line and "\x9b" not in line for line in lines)
    assert printable("tab\tkept, \u2028 not") == "tab\tkept, \\u2028 not"
