"""Shared fixtures: a fresh release built once per test run, and throw-away
copies of the source tree for the bad-input tests.

``built_release`` is the only fixture that builds the checkout; ``release`` (in
memory) and ``release_dir`` (on disk) are two views of that one build.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cimo.paths import ProjectPaths
from cimo.pipeline.pipeline import Release, build
from serving import Served, start_serve, stop_serve

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ProjectPaths(REPO).seeds
OUTPUT = REPO / "tests" / "output"


def run_cimo(
    *args: str, cwd: Path | None = None, env: dict | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "cimo.cli.main", *args],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture(scope="session")
def built_release(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> tuple[Release, Path]:
    """The one release build of the test run, from the checkout's source into a temporary
    folder: no test reads the developer's own build/, and no test builds it again.

    Under pytest-xdist the first worker to get here builds it and saves the release; the
    others wait on a lock and read that one (a build costs every core for seconds).
    """
    if worker_id == "master":
        out = tmp_path_factory.mktemp("release") / "build"
        return build(ProjectPaths(REPO), out), out
    shared = tmp_path_factory.getbasetemp().parent  # one folder for all workers of this run
    out, saved = shared / "release" / "build", shared / "release.pickle"
    with (shared / "release.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not saved.exists():
            release = build(ProjectPaths(REPO), out)
            staging = saved.with_suffix(".tmp")
            staging.write_bytes(pickle.dumps(release))
            staging.rename(saved)
            return release, out
    loaded: Release = pickle.loads(saved.read_bytes())
    return loaded, out


@pytest.fixture(scope="session")
def release_dir(built_release: tuple[Release, Path]) -> Path:
    """The folder the session's release was written to (treat it as read-only)."""
    return built_release[1]


@pytest.fixture(scope="session")
def release(built_release: tuple[Release, Path]) -> Release:
    """The session's release in memory: graph, edges, files, QC results, timings."""
    return built_release[0]


def place_release(release_dir: Path, project: ProjectPaths) -> None:
    """Put the session's release where `cimo build` would have written it in ``project``,
    for tests that need a previous build but not a build of their own."""
    shutil.copytree(release_dir, project.build)


@pytest.fixture
def project(tmp_path: Path) -> ProjectPaths:
    """A copy of the source tree, with the seeds beside it as in a real checkout."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("ontology", "shapes", "queries", "releases"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    if SEEDS.is_dir():
        (tmp_path / "shared").mkdir()
        (tmp_path / "shared" / "seeds").symlink_to(SEEDS)
    return ProjectPaths(root)


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[Served]:
    """A `cimo serve` over the session's release, shared by the server and browser tests."""
    served = start_serve(release_dir)
    try:
        yield served
    finally:
        stop_serve(served)
