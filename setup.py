"""Puts the release into the wheel: ``build/`` files and ``shapes/data`` go to ``cimo/data``.

Only this step needs code; all other metadata is in ``pyproject.toml``. A wheel
is made from a built release (``cimo build`` first, or ``CIMO_RELEASE_DIR`` naming
another release folder), so a wheel never ships without its ontology. An editable
install (``make``'s development venv) reads the checkout instead and copies nothing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
_SPEC = importlib.util.spec_from_file_location("bundled", ROOT / "scripts" / "cimo" / "bundled.py")
assert _SPEC is not None and _SPEC.loader is not None
BUNDLED = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(BUNDLED)  # stdlib only: the release file list, without importing cimo
RELEASE_FILES: tuple[str, ...] = BUNDLED.RELEASE_FILES


class BuildWithRelease(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        release = Path(os.environ.get("CIMO_RELEASE_DIR") or ROOT / "build")
        missing = [name for name in RELEASE_FILES if not (release / name).is_file()]
        if missing:
            raise SystemExit(f"{release}: {', '.join(missing)} missing; run `cimo build` "
                             "before building the wheel, so it carries the ontology")
        version = json.loads((release / "manifest.json").read_text())["version"]
        target = Path(self.build_lib) / "cimo" / "data"
        shutil.rmtree(target, ignore_errors=True)
        (target / BUNDLED.SHAPES_FOLDER).mkdir(parents=True)
        for name in RELEASE_FILES:
            shutil.copyfile(release / name, target / name)
        for shape in sorted((ROOT / "shapes" / "data").glob("*.ttl")):
            shutil.copyfile(shape, target / BUNDLED.SHAPES_FOLDER / shape.name)
        print(f"bundled CIMO release {version} into {target}")


setup(cmdclass={"build_py": BuildWithRelease})
