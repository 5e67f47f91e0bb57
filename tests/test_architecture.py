"""The package's import structure: no cycles, and dependencies only point downward.

The contracts live in ``.importlinter`` and run in ``make lint``; these tests
show that the real tree keeps them and that a cycle is caught.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(scripts: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(scripts)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_package_keeps_its_import_contracts() -> None:
    result = lint_imports(ROOT / "scripts")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_import_cycle_between_packages_breaks_the_contracts(tmp_path: Path) -> None:
    shutil.copytree(
        ROOT / "scripts" / "cimo", tmp_path / "cimo", ignore=shutil.ignore_patterns("__pycache__")
    )
    render = tmp_path / "cimo" / "site" / "render.py"
    # The site generator reaching back into the pipeline that calls it: a cycle.
    render.write_text(render.read_text() + "\nfrom cimo.pipeline import releases  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "No import cycles between sibling packages or modules BROKEN" in result.stdout
    assert ".site -> .pipeline" in result.stdout
    assert "cimo.site is not allowed to import cimo.pipeline" in result.stdout


def test_the_server_importing_the_site_generator_breaks_the_contracts(tmp_path: Path) -> None:
    shutil.copytree(
        ROOT / "scripts" / "cimo", tmp_path / "cimo", ignore=shutil.ignore_patterns("__pycache__")
    )
    app = tmp_path / "cimo" / "serve" / "app.py"
    app.write_text(app.read_text() + "\nfrom cimo.site import pages  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cimo.serve is not allowed to import cimo.site" in result.stdout
