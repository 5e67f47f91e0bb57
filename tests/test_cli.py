"""The ``cimo`` command line: version, logging levels, error exits, help examples, queries.

Queries run on a two-file release written here (the same file names as
``build/``), so these tests need no build.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

from cimo import __version__, progress
from cimo.cli import main as cli
from cimo.cli.main import EXAMPLES, main, parser
from conftest import REPO, run_cimo

RELEASE_TTL = """\
@prefix CIMO: <https://w3id.org/cimo/CIMO_> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
CIMO:0000106 a owl:Class ; rdfs:label "drug"@en .
CIMO:0000107 a owl:Class ; rdfs:label "immunotherapy drug"@en ; rdfs:subClassOf CIMO:0000106 .
"""
EDGES_TTL = """\
<https://w3id.org/cimo/CIMO_0000107> <http://purl.obolibrary.org/obo/RO_0000087> \
<https://w3id.org/cimo/CIMO_0000200> .
"""
QUERIES = {
    "select": (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?label WHERE { ?c rdfs:label ?label } ORDER BY ?label",
        "?label\ndrug\nimmunotherapy drug\n",
    ),
    "ask": (
        "ASK { <https://w3id.org/cimo/CIMO_0000107> ?p <https://w3id.org/cimo/CIMO_0000200> }",
        "true\n",
    ),
    "construct": (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "CONSTRUCT { ?super ?p ?sub } WHERE { ?sub rdfs:subClassOf ?super . "
        "BIND(<urn:x:has-child> AS ?p) }",
        "<https://w3id.org/cimo/CIMO_0000106> <urn:x:has-child> "
        "<https://w3id.org/cimo/CIMO_0000107> .\n",
    ),
    "describe": (
        "DESCRIBE <https://w3id.org/cimo/CIMO_0000106>",
        "<https://w3id.org/cimo/CIMO_0000106> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://www.w3.org/2002/07/owl#Class> .\n"
        "<https://w3id.org/cimo/CIMO_0000106> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "drug"@en .\n',
    ),
}
ENGINES = ("oxigraph", "rdflib")


@pytest.fixture(scope="module")
def small_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small-release")
    (folder / "cimo.ttl").write_text(RELEASE_TTL, encoding="utf-8")
    (folder / "cimo-edges.ttl").write_text(EDGES_TTL, encoding="utf-8")
    for form, (text, _) in QUERIES.items():
        (folder / f"{form}.rq").write_text(text, encoding="utf-8")
    (folder / "broken.rq").write_text("SELEC ?x WHERE { ?x ?y ?z }", encoding="utf-8")
    return folder


def test_version_prints_the_package_version() -> None:
    result = run_cimo("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"cimo {__version__}"
    pyproject = (REPO / "pyproject.toml").read_text()
    assert 'version = {attr = "cimo.__version__"}' in pyproject


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("form", list(QUERIES))
def test_query_answers_every_query_form_on_both_engines(
    small_release: Path, engine: str, form: str
) -> None:
    result = run_cimo(
        "query",
        "--build",
        str(small_release),
        "--engine",
        engine,
        str(small_release / f"{form}.rq"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == QUERIES[form][1]
    assert result.stderr == ""


@pytest.mark.parametrize("engine", ENGINES)
def test_query_reports_a_syntax_error_with_the_file_and_exit_2(
    small_release: Path, engine: str
) -> None:
    result = run_cimo(
        "query", "--build", str(small_release), "--engine", engine, str(small_release / "broken.rq")
    )
    assert result.returncode == 2
    assert "broken.rq: the query does not parse" in result.stderr
    assert "fix the query" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback_of_an_error(small_release: Path) -> None:
    result = run_cimo(
        "query", "--debug", "--build", str(small_release), str(small_release / "broken.rq")
    )
    assert result.returncode == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert "QuerySyntaxError" in result.stderr


def test_query_refuses_a_missing_query_file_with_exit_2(small_release: Path) -> None:
    result = run_cimo("query", "--build", str(small_release), str(small_release / "nope.rq"))
    assert result.returncode == 2
    assert "cannot read the query file" in result.stderr and "nope.rq" in result.stderr


@pytest.mark.parametrize("flags", [("-v",), ("--verbose",)])
def test_verbose_logs_what_the_command_did_and_quiet_does_not(
    small_release: Path, flags: tuple[str, ...]
) -> None:
    query = str(small_release / "select.rq")
    loud = run_cimo("query", *flags, "--build", str(small_release), query)
    before = run_cimo(*flags, "query", "--build", str(small_release), query)
    plain = run_cimo("query", "--build", str(small_release), query)
    quiet = run_cimo("query", "-q", "--build", str(small_release), query)
    for result in (loud, before):
        assert result.returncode == 0
        assert "select.rq: 2 rows in" in result.stderr
    assert plain.stderr == "" and quiet.stderr == ""
    assert loud.stdout == plain.stdout == quiet.stdout


def test_every_command_takes_verbose_quiet_and_debug() -> None:
    top = parser()
    commands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        options = {o for action in sub._actions for o in action.option_strings}
        assert {"-v", "-q", "--debug"} <= options, name


@pytest.mark.parametrize("command", sorted(EXAMPLES))
def test_every_command_help_shows_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert "example:\n  cimo " + command in shown


def test_examples_cover_every_command() -> None:
    top = parser()
    commands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == set(EXAMPLES)


def test_a_bug_is_not_disguised_as_an_error_message(
    small_release: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only CimoError becomes a message; any other exception keeps its traceback."""
    from cimo import queries

    class Broken:
        def __init__(self, build: Path) -> None:
            raise KeyError("a programming error")

    monkeypatch.setitem(queries.ENGINES, "oxigraph", Broken)
    with pytest.raises(KeyError, match="a programming error"):
        main(["query", "--build", str(small_release), str(small_release / "select.rq")])


def test_progress_bars_draw_only_on_a_terminal_and_not_when_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

        def write(self, text: str) -> int:
            return len(text)

        def flush(self) -> None:
            pass

    monkeypatch.setattr(sys, "stderr", Terminal(True))
    cli.configure_logging(0)
    assert progress.shown() and not progress.bar("work").disable
    cli.configure_logging(-1)
    assert not progress.shown()
    cli.configure_logging(0)
    monkeypatch.setattr(sys, "stderr", Terminal(False))
    assert not progress.shown() and progress.bar("work").disable


@pytest.mark.parametrize(
    ("argv", "verbose", "quiet"),
    [
        (["-v", "validate", "x.ttl"], 1, 0),
        (["validate", "-v", "x.ttl"], 1, 0),
        (["validate", "x.ttl"], 0, 0),
        (["-q", "query", "a.rq"], 0, 1),
        (["query", "-vv", "a.rq"], 2, 0),
        (["validate", "-q", "x.ttl"], 0, 1),
    ],
)
def test_verbose_and_quiet_count_before_or_after_the_command(
    argv: list[str], verbose: int, quiet: int
) -> None:
    args = parser().parse_args(argv)
    assert (int(args.verbose), int(args.quiet)) == (verbose, quiet)


def test_the_command_skips_the_teardown_only_when_nothing_is_left_running() -> None:
    """After a success ``cimo`` ends at once, unless a thread Python would wait for, or a
    child process, is still there; a daemon thread (the progress bar's monitor) is not."""
    import threading

    from cimo.cli.main import nothing_left_running
    from cimo.forked import Forked

    release = threading.Event()
    daemon = threading.Thread(target=release.wait, daemon=True)
    daemon.start()
    assert nothing_left_running()
    worker = threading.Thread(target=release.wait)
    worker.start()
    assert not nothing_left_running()
    release.set()
    worker.join()
    daemon.join()
    job = Forked(lambda: __import__("time").sleep(0.5))
    assert not nothing_left_running()
    job.result()
    assert nothing_left_running()


def test_a_successful_build_ends_without_the_teardown(tmp_path: Path) -> None:
    """The fast exit must really be taken after a build: a thread or child process left
    running would make every build pay the teardown. (On a terminal the progress bar's
    monitor thread runs too; it is a daemon, which the first test covers.)"""
    import subprocess

    script = (
        "import os, sys\n"
        "import cimo.cli.main as cli\n"
        "real = os._exit\n"
        "def exit_now(code):\n"
        "    print('exit without teardown', file=sys.stderr, flush=True)\n"
        "    real(code)\n"
        "os._exit = exit_now\n"
        f"sys.argv = ['cimo', 'build', '--out', {str(tmp_path / 'build')!r}]\n"
        "cli.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert "exit without teardown" in done.stderr
