"""Where ``cimo map`` and ``cimo validate`` read CIMO from.

Inside a checkout they read the source (``ontology/*.ttl``, the import tables
``ontology/imports/*.tsv`` and
``ontology/mappings/cimo.sssom.tsv``): it is always present, even on a fresh
clone before ``cimo build``, and never stale. Outside a checkout they read the
release bundled in the installed package (``cimo/data``, see ``cimo.bundled``),
and a user can point at other released files with ``--ontology`` (``cimo.ttl``,
``cimo.nt``, ``cimo.owl``), ``--mappings`` (``cimo.sssom.tsv``) and ``--shapes``.
"""

from __future__ import annotations

from pathlib import Path

from cimo import bundled
from cimo.errors import UsageError
from cimo.imports import table_paths
from cimo.linking.errors import InputError
from cimo.paths import ProjectPaths, find_root


def _checkout(root: Path | None, what: str, option: str) -> ProjectPaths:
    try:
        return find_root(root)
    except UsageError as err:
        raise InputError(
            f"no CIMO checkout here, so no {what} to read",
            f"run inside a CIMO checkout, or pass {option} with the released file",
            file=root or Path.cwd(),
        ) from err


def _in_checkout(root: Path | None) -> bool:
    try:
        find_root(root)
    except FileNotFoundError:
        return False
    return True


def ontology_files(root: Path | None, explicit: list[Path] | None) -> list[Path]:
    if explicit:
        return list(explicit)
    release = bundled.release_folder()
    if release is not None and root is None and not _in_checkout(root):
        return [release / "cimo.ttl"]
    paths = _checkout(root, "ontology", "--ontology cimo.ttl")
    modules = paths.modules()
    if not modules:
        raise InputError(
            "the checkout has no ontology/*.ttl", "pass --ontology cimo.ttl", file=paths.ontology
        )
    return modules + table_paths(paths.imports)


def mapping_table(root: Path | None, explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    release = bundled.release_folder()
    if release is not None and root is None and not _in_checkout(root):
        return release / "cimo.sssom.tsv"
    return _checkout(root, "mapping table", "--mappings cimo.sssom.tsv").mappings


def data_shapes(root: Path | None, explicit: list[Path] | None) -> list[Path]:
    """``shapes/data/*.ttl`` of the checkout, or the files given with ``--shapes``."""
    if explicit:
        return list(explicit)
    if bundled.shapes() and root is None and not _in_checkout(root):
        return bundled.shapes()
    folder = _checkout(root, "data shapes", "--shapes").shapes / "data"
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise InputError("no data shapes found", "restore shapes/data/*.ttl", file=folder)
    return files
