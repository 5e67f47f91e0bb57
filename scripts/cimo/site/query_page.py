"""The query page (``sparql.html``): YASGUI on the endpoint, with the examples.

The endpoint address is in a ``<meta>`` element (``/sparql``, where
``cimo serve`` and the documented deployment put it) and is taken from there
only: an ``?endpoint=`` in the page's URL is ignored, so nobody can hand out
a link that points the page at their own server. ``?example=NN-slug`` opens
that example. The examples are
embedded in the page as JSON so that nothing is fetched to show them. Without
JavaScript the page still offers a plain form that GETs the endpoint.
"""

from __future__ import annotations

import json

from cimo.html.layout import SiteInfo, esc, page
from cimo.site.examples import Example

DEFAULT_ENDPOINT = "/sparql"


def render(info: SiteInfo, examples: list[Example], endpoint: str = DEFAULT_ENDPOINT) -> str:
    data = [{"slug": e.slug, "question": e.question, "query": e.text} for e in examples]
    # "</" cannot appear inside a script element; JSON allows the escaped form.
    embedded = json.dumps(data, ensure_ascii=False, indent=0).replace("</", "<\\/")
    first = examples[0].text if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    options = "".join(f'<option value="{esc(e.slug)}">{esc(e.question)}</option>' for e in examples)
    head = (
        f'<meta name="cimo-sparql-endpoint" content="{esc(endpoint)}">\n'
        '<link rel="stylesheet" href="assets/yasgui/yasgui.min.css">\n'
        '<script src="assets/yasgui/yasgui.min.js" defer></script>\n'
    )
    body = f"""<h1>Query CIMO with SPARQL</h1>
<p>The endpoint is <code>{esc(endpoint)}</code> (SPARQL 1.1 Protocol, read-only). Pick an
example or write your own query; <kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs it.</p>
<form id="example-form" class="search">
<label for="example-select">Example</label>
<select id="example-select">{options}</select>
<button type="submit">Load and run</button>
</form>
<p>Loaded: <span id="current-example" aria-live="polite">(none)</span></p>
<div id="yasgui"></div>
<noscript>
<form action="{esc(endpoint)}" method="get">
<p><label for="plain-query">Query</label></p>
<p><textarea id="plain-query" name="query" rows="12" cols="80">{esc(first)}</textarea></p>
<p><button type="submit">Run</button></p>
</form>
</noscript>
<script type="application/json" id="cimo-examples">{embedded}</script>"""
    return page(
        info,
        title="Query",
        body=body,
        current="sparql.html",
        head_extra=head,
        scripts=("assets/sparql.js",),
        description="Run SPARQL queries on CIMO in the browser.",
    )
