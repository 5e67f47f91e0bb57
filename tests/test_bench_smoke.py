"""`make bench` still works: every benchmark runs on tiny sizes and the report is written.

The benchmarks themselves never run in the test suite; numbers live in bench/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


@pytest.mark.slow
def test_bench_pipeline_runs_on_tiny_sizes(release_dir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "bench/run_all.py",
            "--smoke",
            "--out-dir",
            str(tmp_path),
            "--build",
            str(release_dir),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = (tmp_path / "results.md").read_text()
    for section in ("## Build", "## Queries", "## Validation", "## Serving", "## Runs"):
        assert section in report
    assert "FAILED" not in report
    assert (tmp_path / "scaling.png").read_bytes().startswith(b"\x89PNG")
