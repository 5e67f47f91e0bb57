"""`cimo diff` reports what changed; published IDs can never silently disappear."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cimo.paths import ProjectPaths
from conftest import FIXTURES, REPO, place_release, run_cimo


def test_diff_reports_terms_and_axioms() -> None:
    old, new = FIXTURES / "diff" / "old.ttl", FIXTURES / "diff" / "new.ttl"
    result = run_cimo("diff", str(old), str(new))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "| terms added | 1 |" in text and "- CIMO:0000905 immunotherapy" in text
    assert "| terms removed | 1 |" in text and "**CIMO:0000904 retired**" in text
    assert "| terms deprecated | 1 |" in text
    assert "- CIMO:0000902 obsolete biological therapy" in text
    assert "CIMO:0000903 label: `chemo` → `chemotherapy`" in text
    assert "CIMO:0000901 definition: `A planned process.` → `A planned process of care.`" in text
    # axiom lines are the OWL API's Functional Syntax (CIMO:0000905 is no valid OFN name)
    new_sub = (
        "SubClassOf(<https://w3id.org/cimo/CIMO_0000905> <https://w3id.org/cimo/CIMO_0000901>)"
    )
    old_sub = (
        "SubClassOf(<https://w3id.org/cimo/CIMO_0000902> <https://w3id.org/cimo/CIMO_0000901>)"
    )
    assert f"- `{new_sub}`" in text
    assert f"- `{old_sub}`" in text.split("## Axioms removed")[1]


def test_diff_of_a_release_with_itself_is_empty() -> None:
    same = str(FIXTURES / "diff" / "new.ttl")
    text = run_cimo("diff", same, same).stdout
    assert "| axioms added | 0 |" in text and "| axioms removed | 0 |" in text


def test_diff_refuses_a_missing_file() -> None:
    result = run_cimo("diff", "nope.ttl", str(FIXTURES / "diff" / "new.ttl"))
    assert result.returncode == 2 and "nope.ttl does not exist" in result.stderr


def test_build_fails_when_a_published_id_is_gone(project: ProjectPaths) -> None:
    published = project.releases / "2020-01-01"
    published.mkdir(parents=True)
    shutil.copy(FIXTURES / "diff" / "old.ttl", published / "cimo.ttl")
    result = run_cimo("build", cwd=project.root)
    assert result.returncode == 1
    assert "stage 'releases'" in result.stderr
    assert "CIMO:0000904 was published in release 2020-01-01 and is gone" in result.stderr
    assert "fix: IDs are never deleted" in result.stderr


@pytest.mark.slow
def test_build_diffs_against_the_latest_release(project: ProjectPaths, release_dir: Path) -> None:
    place_release(release_dir, project)
    shutil.rmtree(project.releases, ignore_errors=True)
    assert run_cimo("release", cwd=project.root).returncode == 0
    assert run_cimo("build", cwd=project.root).returncode == 0
    diff = (project.build / "reports" / "diff.md").read_text()
    assert "| terms removed | 0 |" in diff and "| axioms removed | 0 |" in diff


def test_release_never_overwrites_a_published_snapshot(
    project: ProjectPaths, release_dir: Path
) -> None:
    place_release(release_dir, project)
    shutil.rmtree(project.releases, ignore_errors=True)
    assert run_cimo("release", cwd=project.root).returncode == 0
    snapshot = next(project.releases.glob("*/cimo.ttl"))
    snapshot.write_text(snapshot.read_text() + "\n# edited\n")
    result = run_cimo("release", cwd=project.root)
    assert result.returncode == 2 and "already published with different content" in result.stderr


def test_committed_snapshots_are_kept_by_the_source() -> None:
    assert list((REPO / "releases").glob("*/cimo.ttl")), "the first release is snapshotted"
