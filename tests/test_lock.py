"""The lock files cover pyproject.toml: a dependency added without `make lock` fails here.

`make build` and `make test` install only from requirements/run.txt and dev.txt
(with hashes), so a package missing from them would be missing on a fresh machine.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import REPO

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ \\]+) \\$")


def locked(path: Path) -> dict[str, str]:
    """Package name -> pinned version, for every pin that carries at least one hash."""
    lines = path.read_text(encoding="utf-8").splitlines()
    pins = {}
    for number, line in enumerate(lines):
        match = PIN.match(line)
        if match and number + 1 < len(lines) and "--hash=sha256:" in lines[number + 1]:
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def unlocked(requirements: list[str], pins: dict[str, str]) -> list[str]:
    """The requirements the pins leave out or pin to a version they do not allow."""
    missing = []
    for text in requirements:
        requirement = Requirement(text)
        version = pins.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            missing.append(text)
    return missing


def test_every_dependency_is_locked_with_a_hash_at_an_allowed_version() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    run, dev = locked(REPO / "requirements" / "run.txt"), locked(REPO / "requirements" / "dev.txt")
    assert unlocked(project["dependencies"], run) == [], "run `make lock`"
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    assert unlocked([*project["dependencies"], *extras], dev) == [], "run `make lock`"
    # the runtime lock is the development lock restricted to what the build needs
    assert all(dev.get(name) == version for name, version in run.items())


def test_a_dependency_added_without_relocking_is_caught(tmp_path: Path) -> None:
    lock = tmp_path / "run.txt"
    lock.write_text("rdflib==7.6.0 \\\n    --hash=sha256:00\npyyaml==6.0 \\\n")
    pins = locked(lock)
    assert pins == {"rdflib": "7.6.0"}, "a pin without a hash does not count"
    assert unlocked(["rdflib>=7.1,<8", "pyyaml>=6", "newthing>=1"], pins) == [
        "pyyaml>=6",
        "newthing>=1",
    ]
    assert unlocked(["rdflib>=8"], pins) == ["rdflib>=8"]
