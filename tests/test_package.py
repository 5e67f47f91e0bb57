"""The wheel carries the ontology: installed in a fresh virtualenv outside the checkout,
``cimo map``, ``cimo validate`` and ``cimo query`` work on the bundled release, offline.

The wheel is built from this session's release; its dependencies come from the
package registry (pip's cache makes that quick after the first run). The three
commands then run with no network at all (a fresh network namespace, ``unshare -n``),
from a folder that is not a checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

COMMANDS_NEED = ("cimo.ttl", "cimo-edges.ttl", "cimo.sssom.tsv", "shapes/relations.ttl")


@pytest.fixture(scope="module")
def wheel(release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "CIMO_RELEASE_DIR": str(release_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (path,) = out.glob("cimo-*.whl")
    return path


def clean_env() -> dict[str, str]:
    """The environment without the checkout on PYTHONPATH (pip would take the checkout's
    cimo for an installed one, and the commands would run the checkout's code)."""
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "CIMO_SEEDS"}}


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``bin/`` of a fresh virtualenv (no system site-packages) holding the wheel."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=clean_env())
    result = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
        env=clean_env(),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (venv / "bin" / "cimo").is_file(), result.stdout[-3000:]
    return venv / "bin"


def offline(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    prefix = ["unshare", "-n"] if shutil.which("unshare") else []
    return subprocess.run(
        [*prefix, str(bin_dir / "cimo"), *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_the_wheel_holds_the_release_licences_and_converter(wheel: Path, release_dir: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for name in COMMANDS_NEED:
            assert f"cimo/data/{name}" in names, name
        assert archive.read("cimo/data/cimo.ttl") == (release_dir / "cimo.ttl").read_bytes()
        assert "cimo/java/ReleaseWriter.java" in names
        licences = {n.rsplit("/", 1)[-1] for n in names if "/licenses/" in n}
        assert licences == {"LICENSE", "LICENSE-ontology"}
        metadata = archive.read(next(n for n in names if n.endswith("/METADATA"))).decode()
    assert "License-Expression: MIT AND CC-BY-4.0" in metadata


def test_map_validate_and_query_work_offline_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    work = tmp_path / "elsewhere"
    work.mkdir()
    assert not (work / "ontology").exists()
    for name in ("trials/trial-arms.ttl", "invalid/wrong-branch.ttl"):
        shutil.copy(REPO / "examples" / name, work / Path(name).name)
    shutil.copy(REPO / "queries" / "01-drugs-targeting-cd20.rq", work / "query.rq")

    mapped = offline(installed, "map", "--prefix", "drugbank", "DB00073", cwd=work)
    assert mapped.returncode == 0, mapped.stderr
    assert "CIMO:0000110" in mapped.stdout

    good = offline(installed, "validate", "trial-arms.ttl", cwd=work)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = offline(installed, "validate", "wrong-branch.ttl", cwd=work)
    assert bad.returncode == 1, bad.stdout + bad.stderr  # the bundled data shapes are used

    query = offline(installed, "query", "query.rq", cwd=work)
    assert query.returncode == 0, query.stderr
    expected = (REPO / "queries" / "01-drugs-targeting-cd20.tsv").read_text()
    assert query.stdout == expected


def test_offline_means_offline(installed: Path, tmp_path: Path) -> None:
    """The namespace really has no network, so the test above cannot pass by fetching."""
    if not shutil.which("unshare"):
        pytest.skip("unshare is not available")
    probe = subprocess.run(
        [
            "unshare",
            "-n",
            str(installed / "python"),
            "-c",
            "import socket; socket.create_connection(('pypi.org', 443), 5)",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=clean_env(),
    )
    assert probe.returncode != 0
