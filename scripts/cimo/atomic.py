"""Replace several files as one change: all of them, or none.

Each new text goes to a temporary sibling first (so a full disk or a bad
path fails before anything is touched); then the temporaries are renamed over
their targets one by one, and if a rename fails, the targets already replaced
get their old text back. ``os.replace`` is atomic per file on POSIX, so a reader
never sees a half-written file.
"""

from __future__ import annotations

import os
from pathlib import Path


def replace_together(texts: dict[Path, str]) -> None:
    """Write every ``path: text`` pair, or leave every path as it was; re-raises the failure."""
    originals = {path: path.read_bytes() if path.exists() else None for path in texts}
    staged: dict[Path, Path] = {}
    replaced: list[Path] = []
    try:
        for path, text in texts.items():
            temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            temp.write_text(text, encoding="utf-8")
            staged[path] = temp
        for path, temp in staged.items():
            os.replace(temp, path)
            replaced.append(path)
    except BaseException:
        for path in replaced:
            old = originals[path]
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)
        for temp in staged.values():
            temp.unlink(missing_ok=True)
        raise
