"""The documentation site and publication files of a CIMO release.

``render_site`` (in :mod:`cimo.site.render`) is what the build calls; the
other modules each make one part: term model and pages, pyLODE overview,
examples page, query page, downloads, VoID/DCAT, Apache rules and assets.
"""

from cimo.site.render import TermPages, TermRenderer, render_site

__all__ = ["TermPages", "TermRenderer", "render_site"]
