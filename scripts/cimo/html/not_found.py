"""The not-found page, written once by the site build and rendered by the server per request."""

from __future__ import annotations

from urllib.parse import quote

from cimo.html.layout import SiteInfo, esc, page


def not_found(info: SiteInfo, what: str, *, root: str) -> str:
    """The 404 page; ``what`` is the path or ID asked for, used as the search."""
    query = what.rsplit("/", 1)[-1].removesuffix(".html")
    search = f"{root}terms.html?q={esc(quote(query, safe=''))}"
    body = f"""<h1>Not found</h1>
<p>There is no page or term at <code>{esc(what)}</code>.</p>
<p><a href="{search}">Search the terms for “{esc(query)}”</a>, or browse
<a href="{root}terms.html">all terms</a>.</p>"""
    return page(info, title="Not found", body=body, root=root)
