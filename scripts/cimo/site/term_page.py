"""One HTML page per term, from a :class:`cimo.site.terms.Term`.

Sections appear only when they have content, in the order a reader asks:
what is it (label, definition, synonyms), where does it sit (parents,
children, logical definition), what is it related to (both directions), how
is it known elsewhere (mappings), why do we believe it (evidence), and in
which formats can a program read it.
"""

from __future__ import annotations

from cimo.html.layout import SiteInfo, esc, link, page, table
from cimo.site.terms import Evidence, Expr, Ref, Relation, Term

#: The machine-readable forms of every term, as (suffix, label).
RDF_FORMS = ((".ttl", "Turtle"), (".jsonld", "JSON-LD"), (".owl", "RDF/XML"), (".nt", "N-Triples"))


def ref_html(ref: Ref) -> str:
    """A link to a term page (with its CURIE) or to an external IRI."""
    if ref.local:
        curie = f' <span class="curie">{esc(ref.curie)}</span>' if ref.curie else ""
        return f'<a href="{esc(ref.href)}">{esc(ref.label)}</a>{curie}'
    return link(ref.href, ref.label, external=True)


def expr_html(expr: Expr) -> str:
    return "".join(ref_html(p) if isinstance(p, Ref) else esc(p) for p in expr.parts)


def _ref_list(refs: list[Ref]) -> str:
    return "<ul>" + "".join(f"<li>{ref_html(r)}</li>" for r in refs) + "</ul>"


def _section(heading: str, anchor: str, content: str) -> str:
    return (
        f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{esc(heading)}</h2>'
        f"{content}</section>"
    )


def evidence_html(items: list[Evidence], *, show_subject: bool) -> str:
    blocks = []
    for ev in items:
        sources = ", ".join(ref_html(s) for s in ev.sources) or "no source recorded"
        subject = f"{ref_html(ev.subject)} " if show_subject else ""
        quote = f"<blockquote><p>{esc(ev.quote)}</p></blockquote>" if ev.quote else ""
        blocks.append(
            f'<li class="evidence"><p>{subject}{expr_html(ev.statement)}</p>'
            f'{quote}<p class="source">Source: {sources}</p></li>'
        )
    return '<ul class="evidence-list">' + "".join(blocks) + "</ul>"


def _relations_table(relations: list[Relation], other_heading: str, caption: str) -> str:
    rows = [
        [ref_html(r.prop), ref_html(r.other), "asserted" if r.asserted else "inherited"]
        for r in relations
    ]
    return table(["relation", other_heading, "how"], rows, caption=caption)


def _summary(term: Term) -> str:
    items = [
        f"<dt>IRI</dt><dd><code>{esc(term.ref.iri)}</code></dd>",
        f"<dt>CURIE</dt><dd><code>{esc(term.ref.curie)}</code></dd>",
        f"<dt>Type</dt><dd>{esc(term.kind)}</dd>",
    ]
    if term.definition:
        items.append(f'<dt>Definition</dt><dd class="definition">{esc(term.definition)}</dd>')
    if term.definition_sources:
        sources = ", ".join(
            ref_html(s) if isinstance(s, Ref) else esc(s) for s in term.definition_sources
        )
        items.append(f"<dt>Definition source</dt><dd>{sources}</dd>")
    if term.synonyms:
        syns = "".join(
            f'<li>{esc(s.text)} <span class="tag">{esc(s.scope)}</span>'
            + (f' <span class="tag">{esc(s.kind)}</span>' if s.kind else "")
            + "</li>"
            for s in term.synonyms
        )
        items.append(f'<dt>Synonyms</dt><dd><ul class="synonyms">{syns}</ul></dd>')
    for heading, exprs in (("Domain", term.domain), ("Range", term.range)):
        if exprs:
            items.append(
                f"<dt>{heading}</dt><dd>" + "<br>".join(expr_html(e) for e in exprs) + "</dd>"
            )
    for prop, value in term.annotations:
        shown = ref_html(value) if isinstance(value, Ref) else esc(value)
        items.append(f"<dt>{ref_html(prop)}</dt><dd>{shown}</dd>")
    return f'<dl class="summary">{"".join(items)}</dl>'


def _deprecation(term: Term) -> str:
    if not term.deprecated:
        return ""
    replacement = (
        " Use " + ", ".join(ref_html(r) for r in term.replaced_by) + " instead."
        if term.replaced_by
        else " It has no replacement."
    )
    return (
        f'<div class="notice" role="note"><p><strong>Deprecated.</strong> This term is '
        f"obsolete and kept only so that its IRI keeps resolving.{replacement}</p></div>"
    )


def _hierarchy(term: Term) -> str:
    parts = []
    if term.parents:
        parts.append(f"<h3>Parents</h3>{_ref_list(term.parents)}")
    if term.children:
        parts.append(f"<h3>Children</h3>{_ref_list(term.children)}")
    if term.equivalents:
        parts.append(
            "<h3>Equivalent to</h3><ul>"
            + "".join(f"<li>{expr_html(e)}</li>" for e in term.equivalents)
            + "</ul>"
        )
    if term.superclass_expressions:
        parts.append(
            "<h3>Every instance also</h3><ul>"
            + "".join(f"<li>{expr_html(e)}</li>" for e in term.superclass_expressions)
            + "</ul>"
        )
    return _section("Hierarchy", "hierarchy", "".join(parts)) if parts else ""


def _relations(term: Term) -> str:
    parts = []
    if term.outgoing:
        parts.append(
            _relations_table(term.outgoing, "related term", f"{term.ref.label} → other terms")
        )
    if term.incoming:
        parts.append(
            _relations_table(term.incoming, "related term", f"other terms → {term.ref.label}")
        )
    return _section("Relations", "relations", "".join(parts)) if parts else ""


def _mappings(term: Term) -> str:
    if not term.mappings:
        return ""
    rows = [
        [
            esc(m.predicate),
            link(m.iri, m.curie, external=True) if m.iri else esc(m.curie),
            esc(m.label),
        ]
        for m in term.mappings
    ]
    return _section(
        "Mappings",
        "mappings",
        table(["match", "identifier", "label there"], rows, caption="External identifiers"),
    )


def _formats(term: Term) -> str:
    items = "".join(
        f'<li><a href="{esc(term.local + suffix)}" type="{mime}">{label}</a></li>'
        for (suffix, label), mime in zip(
            RDF_FORMS,
            ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"),
            strict=True,
        )
    )
    return _section(
        "Machine-readable forms",
        "formats",
        f'<ul class="formats">{items}</ul><p>The IRI also answers by content '
        "negotiation: ask for <code>text/turtle</code>, "
        "<code>application/ld+json</code>, <code>application/rdf+xml</code> or "
        "<code>application/n-triples</code>.</p>",
    )


def render(term: Term, info: SiteInfo, extra: str = "") -> str:
    """The HTML page of ``term``; ``extra`` is ready-made HTML (e.g. regulatory facts)."""
    body = [
        f'<h1>{esc(term.ref.label)} <span class="curie">{esc(term.ref.curie)}</span></h1>',
        _deprecation(term),
        _summary(term),
        _hierarchy(term),
        _relations(term),
        extra,
        _mappings(term),
    ]
    if term.evidence:
        body.append(
            _section("Evidence", "evidence", evidence_html(term.evidence, show_subject=False))
        )
    if term.cited_by:
        body.append(
            _section(
                "Quoted as evidence for",
                "cited-by",
                evidence_html(term.cited_by, show_subject=True),
            )
        )
    body.append(_formats(term))
    alternates = "".join(
        f'<link rel="alternate" type="{mime}" href="{esc(term.local + suffix)}">\n'
        for suffix, mime in (
            (".ttl", "text/turtle"),
            (".jsonld", "application/ld+json"),
            (".owl", "application/rdf+xml"),
            (".nt", "application/n-triples"),
        )
    )
    return page(
        info,
        title=term.ref.label,
        body="\n".join(b for b in body if b),
        head_extra=alternates,
        current="terms.html",
        description=term.definition or term.ref.label,
    )
