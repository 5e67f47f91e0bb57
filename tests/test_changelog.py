"""CHANGELOG.md is generated from ``cimo diff`` of the published releases, and the
committed file is exactly what a fresh generation gives."""

from __future__ import annotations

import shutil
from pathlib import Path

from cimo.changelog import generate
from cimo.paths import ProjectPaths
from conftest import REPO, run_cimo


def test_committed_changelog_matches_a_fresh_generation() -> None:
    fresh = generate(REPO / "releases")
    assert (REPO / "CHANGELOG.md").read_text(encoding="utf-8") == fresh
    versions = sorted(p.name for p in (REPO / "releases").iterdir() if p.is_dir())
    for version in versions:
        assert f"## {version} (" in fresh
    assert "| terms added |" in fresh


def test_changelog_check_fails_when_the_file_is_stale(project: ProjectPaths) -> None:
    shutil.copy(REPO / "CHANGELOG.md", project.root / "CHANGELOG.md")
    assert run_cimo("--root", str(project.root), "changelog", "--check").returncode == 0
    stale = project.root / "CHANGELOG.md"
    stale.write_text(
        stale.read_text(encoding="utf-8").replace("terms added", "terms addded"), encoding="utf-8"
    )
    result = run_cimo("--root", str(project.root), "changelog", "--check")
    assert result.returncode == 1
    assert "run `cimo changelog`" in result.stderr


def test_a_new_release_gets_its_own_entry(project: ProjectPaths, tmp_path: Path) -> None:
    """A later snapshot that adds a term shows up as a newer entry listing that term."""
    (latest,) = sorted(project.releases.glob("*/cimo.ttl"))[-1:]
    newer = project.releases / "2099-01-01"
    newer.mkdir()
    text = latest.read_text(encoding="utf-8") + (
        "\n<https://w3id.org/cimo/CIMO_0009999> a <http://www.w3.org/2002/07/owl#Class> ;\n"
        '    <http://www.w3.org/2000/01/rdf-schema#label> "changelog fixture"@en .\n'
    )
    (newer / "cimo.ttl").write_text(text, encoding="utf-8")
    log = generate(project.releases)
    entry = log.split("## 2099-01-01", 1)[1].split("\n## ", 1)[0]
    assert f"compared with {latest.parent.name}" in entry
    assert "- CIMO:0009999 changelog fixture" in entry
    assert log.index("## 2099-01-01") < log.index(f"## {latest.parent.name}")
