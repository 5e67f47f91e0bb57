"""The page shell every site page shares: head, skip link, navigation, footer.

Pages are plain strings built here rather than with a template engine, so the
output is a pure function of its inputs (byte-stable builds) and the markup
stays small enough to check by eye. Every link to a site page is relative and
prefixed by ``root``: ``""`` for pages in the site's top folder, ``"/cimo/"``
for pages the server renders at arbitrary depths (errors), so the same shell
works on a static host, under ``cimo serve`` and from a local folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

#: (file, label) of the main navigation, in order.
NAV = (
    ("index.html", "Home"),
    ("ontology.html", "Overview"),
    ("terms.html", "Terms"),
    ("queries.html", "Examples"),
    ("sparql.html", "Query"),
    ("downloads.html", "Downloads"),
)


@dataclass(frozen=True)
class SiteInfo:
    """What the shell shows on every page: the release it documents."""

    title: str
    version: str
    licence: str


def esc(text: object) -> str:
    """Escape text for element content and double-quoted attributes."""
    return escape(str(text), quote=True)


def link(href: str, text: str, *, external: bool = False) -> str:
    """An anchor; external links are marked so readers know they leave the site."""
    rel = ' rel="external noopener"' if external else ""
    return f'<a href="{esc(href)}"{rel}>{esc(text)}</a>'


def page(
    info: SiteInfo,
    *,
    title: str,
    body: str,
    current: str = "",
    root: str = "",
    head_extra: str = "",
    scripts: tuple[str, ...] = (),
    description: str = "",
) -> str:
    """A complete HTML document around ``body`` (already-escaped HTML)."""
    nav_items = []
    for href, label in NAV:
        aria = ' aria-current="page"' if href == current else ""
        nav_items.append(f'<li><a href="{root}{href}"{aria}>{esc(label)}</a></li>')
    script_tags = "".join(f'<script src="{root}{src}" defer></script>' for src in scripts)
    meta_description = (
        f'<meta name="description" content="{esc(description)}">' if description else ""
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} | CIMO</title>\n"
        f"{meta_description}"
        f'<link rel="icon" href="{root}assets/favicon.svg" type="image/svg+xml">\n'
        f'<link rel="stylesheet" href="{root}assets/site.css">\n'
        f"{head_extra}{script_tags}"
        "</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to content</a>\n'
        '<header class="site">\n'
        f'<p class="brand"><a href="{root}index.html">CIMO</a> '
        f'<span class="version">release {esc(info.version)}</span></p>\n'
        f'<nav aria-label="Site"><ul>{"".join(nav_items)}</ul></nav>\n'
        "</header>\n"
        f'<main id="main" tabindex="-1">\n{body}\n</main>\n'
        '<footer class="site">\n'
        f"<p>{esc(info.title)}, release {esc(info.version)}. "
        f"Licence: {link(info.licence, 'CC BY 4.0', external=True)}.</p>\n"
        "</footer>\n</body>\n</html>\n"
    )


def table(headers: list[str], rows: list[list[str]], *, caption: str = "", css: str = "") -> str:
    """A table whose cells are already HTML; wrapped so it scrolls on a phone."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    cls = f' class="{css}"' if css else ""
    label = esc(caption or headers[0])
    return (
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label}">'
        f"<table{cls}>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )
