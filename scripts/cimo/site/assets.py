"""Static assets of the site: our CSS and scripts, and the vendored YASGUI.

YASGUI comes from npm (``package.json`` pins ``@triply/yasgui``; ``npm ci``
installs it into ``node_modules/``). Only its self-contained bundle is copied
into the site (``yasgui.min.js``, ``yasgui.min.css`` and the licence notice);
its ``yasgui.html`` is not used because it loads web fonts from a CDN.
"""

from __future__ import annotations

import json
from pathlib import Path

from cimo.errors import BuildError, Problem
from cimo.vocab import STANDARD_PREFIXES

HERE = Path(__file__).resolve().parent / "assets"
OWN_ASSETS = ("site.css", "search.js", "sparql.js", "favicon.svg")
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css", "yasgui.min.js.LICENSE.txt")
YASGUI_PACKAGE = Path("node_modules") / "@triply" / "yasgui"
#: Prefixes offered by the editor's PREFIX autocompletion (instead of prefix.cc).
EXTRA_PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "ro": "http://purl.obolibrary.org/obo/RO_",
    "void": "http://rdfs.org/ns/void#",
}


def own_assets() -> dict[str, bytes]:
    """The site's own CSS, scripts and icon, keyed by their path in the site."""
    return {f"assets/{name}": (HERE / name).read_bytes() for name in OWN_ASSETS}


def yasgui_dir(root: Path) -> Path:
    """The installed YASGUI build folder: in the checkout, else beside this package."""
    candidates = [root / YASGUI_PACKAGE, Path(__file__).resolve().parents[3] / YASGUI_PACKAGE]
    for candidate in candidates:
        if all((candidate / "build" / name).is_file() for name in YASGUI_FILES):
            return candidate
    raise BuildError(
        "site",
        [
            Problem(
                f"YASGUI is not installed (looked in {', '.join(str(c) for c in candidates)})",
                "run `npm ci` in the checkout (make build does), which installs the version "
                "pinned in package-lock.json",
                file=root / "package.json",
            )
        ],
    )


def yasgui_assets(root: Path) -> dict[str, bytes]:
    """YASGUI's bundle, its version recorded beside it."""
    package = yasgui_dir(root)
    files = {
        f"assets/yasgui/{name}": (package / "build" / name).read_bytes() for name in YASGUI_FILES
    }
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    files["assets/yasgui/VERSION"] = f"@triply/yasgui {version}\n".encode()
    return files


def prefixes_json() -> bytes:
    """The prefix list in prefix.cc's format, for the editor's autocompletion."""
    merged = {p: ns for p, ns in STANDARD_PREFIXES.items()} | EXTRA_PREFIXES
    return (json.dumps(dict(sorted(merged.items())), indent=1) + "\n").encode()
