"""Where the project's files live, resolved from the repository root.

The root is found from the working directory (the folder holding
``ontology/``), so the CLI works from any sub-folder of a checkout and tests
can point it at a fixture tree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cimo.errors import NoCheckout


@dataclass(frozen=True)
class ProjectPaths:
    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def ledger(self) -> Path:
        return self.ontology / "id-ledger.tsv"

    @property
    def imports(self) -> Path:
        """The MIREOT tables, ``ontology/imports/<prefix>.tsv``."""
        return self.ontology / "imports"

    @property
    def mappings(self) -> Path:
        return self.ontology / "mappings" / "cimo.sssom.tsv"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def releases(self) -> Path:
        """Snapshots of published releases, ``releases/<version>/cimo.ttl``."""
        return self.root / "releases"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def seeds(self) -> Path:
        """The source documents: ``$CIMO_SEEDS``, else ``../shared/seeds`` beside the checkout."""
        override = os.environ.get("CIMO_SEEDS")
        return Path(override) if override else self.root.parent / "shared" / "seeds"

    def snapshots(self) -> list[Path]:
        """Published snapshots, oldest first (versions are ISO dates, so they sort)."""
        return snapshots(self.releases)

    def modules(self) -> list[Path]:
        """The edited Turtle modules, in a fixed order."""
        return sorted(self.ontology.glob("*.ttl"))


def snapshots(releases: Path) -> list[Path]:
    """The ``<version>/cimo.ttl`` files under ``releases``, oldest version first."""
    return sorted(releases.glob("*/cimo.ttl"), key=lambda p: p.parent.name)


def find_root(start: Path | None = None) -> ProjectPaths:
    """Walk up from ``start`` to the folder that holds ``ontology/``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "ontology").is_dir() and (candidate / "pyproject.toml").is_file():
            return ProjectPaths(candidate)
    raise NoCheckout(
        f"no CIMO checkout found at or above {here}: run cimo from inside the repository"
    )
