"""The site's fixed pages: home, term index (with search), downloads.

Each function returns the HTML of one page. The term index doubles as the
search page: it lists every term with its synonyms and CURIE, and a small
script filters the list as the reader types (``terms.html?q=...`` pre-fills
it), so the not-found page can point a reader with a mistyped IRI to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cimo.html.layout import SiteInfo, esc, link, page, table
from cimo.site.terms import IndexEntry

#: What each release file is for, shown on the downloads page.
FILE_PURPOSES = {
    "cimo.owl": "RDF/XML: open it in Protégé",
    "cimo.ttl": "Turtle",
    "cimo.nt": "sorted N-Triples",
    "cimo.ofn": "OWL Functional Syntax, one axiom per line",
    "cimo.obo": "OBO 1.4, with evidence quotes as qualifiers (pronto, fastobo, obonet, OAK)",
    "cimo.json": "OBO Graphs JSON (pronto, OAK)",
    "cimo.jsonld": "JSON-LD 1.1 (needs cimo.context.jsonld beside it)",
    "cimo.context.jsonld": "the JSON-LD context",
    "cimo-edges.ttl": "plain “A relation B” triples from every existential restriction",
    "cimo-shapes.ttl": "the SHACL shapes",
    "cimo.sssom.tsv": "all mappings to external identifiers (SSSOM)",
    "cimo-terms.tsv": "one row per term, for spreadsheets",
    "manifest.json": "the release manifest with every file's checksum",
    "SHA256SUMS": "checksums, for sha256sum -c",
    "void.ttl": "VoID and DCAT dataset description",
}


@dataclass(frozen=True)
class Overview:
    """Facts about the release shown on the home page."""

    description: str
    ontology_iri: str
    version_iri: str
    counts: list[tuple[str, str, int]]  # (singular, plural, count)


def home(info: SiteInfo, overview: Overview) -> str:
    counts = "".join(
        f"<li><strong>{n}</strong> {esc(plural if n != 1 else one)}</li>"
        for one, plural, n in overview.counts
    )
    body = f"""<h1>{esc(info.title)}</h1>
<p class="lead">{esc(overview.description)}</p>
<form class="search" action="terms.html" method="get" role="search">
<label for="q">Find a term</label>
<input id="q" name="q" type="search" placeholder="label, synonym or CIMO:0000110">
<button type="submit">Search</button>
</form>
<section aria-labelledby="release"><h2 id="release">This release</h2>
<dl class="summary">
<dt>Ontology IRI</dt><dd><code>{esc(overview.ontology_iri)}</code></dd>
<dt>Version</dt><dd>{esc(info.version)} (<code>{esc(overview.version_iri)}</code>)</dd>
<dt>Licence</dt><dd>{link(info.licence, "Creative Commons Attribution 4.0", external=True)}</dd>
</dl>
<ul class="counts">{counts}</ul>
</section>
<section aria-labelledby="explore"><h2 id="explore">Explore</h2>
<ul class="cards">
<li><a href="ontology.html">Ontology overview</a><p>Every class and property on one page.</p></li>
<li><a href="terms.html">All terms</a><p>One page per term, with evidence and mappings.</p></li>
<li><a href="queries.html">SPARQL examples</a><p>Competency questions with their answers.</p></li>
<li><a href="sparql.html">Query editor</a><p>Run SPARQL on the release.</p></li>
<li><a href="downloads.html">Downloads</a><p>Every file of the release, with checksums.</p></li>
</ul>
</section>
<section aria-labelledby="use"><h2 id="use">Use it from a program</h2>
<p>Every term IRI answers by content negotiation:</p>
<pre><code>curl -L -H 'Accept: text/turtle' https://w3id.org/cimo/CIMO_0000110</code></pre>
<p>The suffixes <code>.ttl</code>, <code>.jsonld</code>, <code>.owl</code> and <code>.nt</code>
give one form directly. The SPARQL endpoint is <code>/sparql</code> (SPARQL 1.1 Protocol),
and the dataset is described in VoID and DCAT at <code>/.well-known/void</code>
(also <a href="void.ttl">void.ttl</a>).</p>
</section>"""
    return page(
        info, title="Home", body=body, current="index.html", description=overview.description
    )


def term_index(info: SiteInfo, terms: list[IndexEntry]) -> str:
    items = []
    for term in sorted(terms, key=lambda t: (t.ref.label.lower(), t.ref.iri)):
        keys = " ".join([term.ref.label, term.ref.curie, term.local, *term.synonyms]).lower()
        flag = ' <span class="tag">deprecated</span>' if term.deprecated else ""
        syn = f'<span class="syn">{esc(", ".join(term.synonyms))}</span>' if term.synonyms else ""
        items.append(
            f'<li data-search="{esc(keys)}"><a href="{term.local}.html">'
            f'{esc(term.ref.label)}</a> <span class="curie">{esc(term.ref.curie)}'
            f'</span> <span class="tag">{esc(term.kind)}</span>{flag}{syn}</li>'
        )
    body = f"""<h1>Terms</h1>
<form class="search" action="terms.html" method="get" role="search">
<label for="q">Filter</label>
<input id="q" name="q" type="search" placeholder="label, synonym or CIMO:0000110"
 aria-controls="term-list">
<button type="submit">Search</button>
</form>
<p id="term-count" aria-live="polite">{len(terms)} terms</p>
<ul id="term-list" class="term-list">{"".join(items)}</ul>"""
    return page(
        info,
        title="Terms",
        body=body,
        current="terms.html",
        scripts=("assets/search.js",),
        description="Every CIMO term.",
    )


@dataclass(frozen=True)
class Download:
    name: str
    size: int
    sha256: str
    versioned: bool  # also kept at releases/<version>/<name>


def downloads(info: SiteInfo, files: list[Download], versions: list[str]) -> str:
    rows = []
    for f in files:
        copy = (
            f'<a href="releases/{esc(info.version)}/{esc(f.name)}">'
            f"releases/{esc(info.version)}/{esc(f.name)}</a>"
            if f.versioned
            else "not yet: this build differs from the published snapshot"
        )
        rows.append(
            [
                f'<a href="{esc(f.name)}">{esc(f.name)}</a>',
                esc(FILE_PURPOSES.get(f.name, "report")),
                f"{f.size:,}",
                f'<code class="digest">{f.sha256}</code>',
                copy,
            ]
        )
    releases = "".join(
        f'<li><a href="releases/{esc(v)}/cimo.ttl">{esc(v)}</a> '
        f"<code>https://w3id.org/cimo/releases/{esc(v)}/cimo.ttl</code></li>"
        for v in versions
    )
    body = f"""<h1>Downloads</h1>
<p>Release {esc(info.version)}. Each file is also kept at its versioned address
<code>https://w3id.org/cimo/releases/{esc(info.version)}/FILE</code>.</p>
{
        table(
            ["file", "what", "bytes", "SHA-256", "versioned copy"],
            rows,
            caption=f"Files of release {info.version}",
        )
    }
<h2>Check a download</h2>
<p>Put the files you downloaded next to <a href="SHA256SUMS">SHA256SUMS</a> and run:</p>
<pre><code>sha256sum -c --ignore-missing SHA256SUMS</code></pre>
<h2>Releases</h2>
<p>Every published release stays at its versioned address:</p>
<ul>{releases}</ul>"""
    return page(
        info,
        title="Downloads",
        body=body,
        current="downloads.html",
        description=f"Files of CIMO release {info.version}, with checksums.",
    )
