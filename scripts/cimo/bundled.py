"""The release that ships inside the installed package (``cimo/data/``).

A ``pip install`` of the wheel gives the ontology with the tools: the release
files of the build the wheel was made from, plus the data shapes, so
``cimo map``, ``cimo validate`` and ``cimo query`` work outside a checkout,
offline. In a checkout the source and ``build/`` win (see ``cimo.linking.locate``);
an editable install has no bundled copy, which is why every caller handles ``None``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: The release files copied into the wheel (``setup.py`` reads this list).
RELEASE_FILES = (
    "cimo.ttl",
    "cimo-edges.ttl",
    "cimo.owl",
    "cimo.obo",
    "cimo.json",
    "cimo.sssom.tsv",
    "cimo.context.jsonld",
    "manifest.json",
)
SHAPES_FOLDER = "shapes"


def release_folder() -> Path | None:
    """``cimo/data`` of the installed package, if it holds a release."""
    folder = Path(str(resources.files("cimo"))) / "data"
    return folder if (folder / "cimo.ttl").is_file() else None


def shapes() -> list[Path]:
    folder = release_folder()
    return sorted((folder / SHAPES_FOLDER).glob("*.ttl")) if folder else []
