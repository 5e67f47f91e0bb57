"""The SPARQL examples page: every ``queries/*.rq`` with the answer it gives.

The queries are run at build time on pyoxigraph over the same files the
endpoint serves (``cimo.ttl`` and ``cimo-edges.ttl``), so the page shows what
a user will actually get; each answer is compared with the committed
expected answer (``queries/*.tsv``) and the page says whether they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from cimo.errors import BuildError, Problem
from cimo.html.layout import SiteInfo, esc, page, table
from cimo.queries import RELEASE_FILES, Result, question, read_tsv
from cimo.site.terms import Labels
from cimo.vocab import CIMO_NS, curie_of


@dataclass(frozen=True)
class Example:
    """One example: its file stem, question, text, answer and expected answer."""

    slug: str
    question: str
    text: str
    result: Result
    expected: Result | None

    @property
    def matches(self) -> bool:
        return self.expected is not None and (
            self.expected.variables == self.result.variables
            and sorted(self.expected.rows) == sorted(self.result.rows)
        )


def store_for(files: dict[str, bytes]) -> pyoxigraph.Store:
    """An in-memory store holding the release files the endpoint serves."""
    store = pyoxigraph.Store()
    for name in RELEASE_FILES:
        store.bulk_load(input=files[name], format=pyoxigraph.RdfFormat.TURTLE)
    return store


def _cell(term: object) -> str:
    return "" if term is None else str(term.value)  # type: ignore[attr-defined]


def run_examples(query_dir: Path, store: pyoxigraph.Store) -> list[Example]:
    examples = []
    for path in sorted(query_dir.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        solutions = store.query(text)
        if not isinstance(solutions, pyoxigraph.QuerySolutions):
            raise BuildError(
                "site",
                [
                    Problem(
                        "an example query must be a SELECT query",
                        "rewrite it as SELECT, with a .tsv answer",
                        file=path,
                    )
                ],
            )
        variables = [v.value for v in solutions.variables]
        rows = [tuple(_cell(s[v]) for v in variables) for s in solutions]
        expected_path = path.with_suffix(".tsv")
        expected = read_tsv(expected_path) if expected_path.is_file() else None
        examples.append(
            Example(path.stem, question(text) or path.stem, text, Result(variables, rows), expected)
        )
    return examples


def _value_html(value: str, labels: Labels) -> str:
    if value.startswith(CIMO_NS) and curie_of(value):
        ref = labels.ref(value)  # type: ignore[arg-type]
        return f'<a href="{esc(ref.href)}">{esc(curie_of(value))}</a>'
    if value.startswith(("http://", "https://")):
        return f'<a href="{esc(value)}" rel="external noopener">{esc(value)}</a>'
    return esc(value)


def _result_table(result: Result, labels: Labels, caption: str) -> str:
    rows = [[_value_html(cell, labels) for cell in row] for row in result.rows]
    return table([f"?{v}" for v in result.variables], rows, caption=caption)


def render(info: SiteInfo, examples: list[Example], labels: Labels) -> str:
    toc = "".join(f'<li><a href="#{e.slug}">{esc(e.question)}</a></li>' for e in examples)
    sections = []
    for e in examples:
        status = (
            "matches the expected answer"
            if e.matches
            else "differs from the expected answer"
            if e.expected
            else "has no expected answer on file"
        )
        expected = ""
        if e.expected is not None and not e.matches:
            expected = _result_table(e.expected, labels, f"Expected answer ({e.slug}.tsv)")
        sections.append(f"""<section id="{e.slug}" aria-labelledby="{e.slug}-h">
<h2 id="{e.slug}-h">{esc(e.question)}</h2>
<p class="file"><code>queries/{e.slug}.rq</code> ·
<a href="sparql.html?example={e.slug}">open in the query editor</a></p>
<pre class="sparql"><code>{esc(e.text.rstrip())}</code></pre>
<p class="{"ok" if e.matches else "warn"}">{len(e.result.rows)} rows; this answer
{status} (<code>queries/{e.slug}.tsv</code>).</p>
{_result_table(e.result, labels, f"Answer to {e.slug}")}
{expected}
</section>""")
    body = (
        f"<h1>SPARQL examples</h1><p>{len(examples)} competency questions, each run on "
        "this release (<code>cimo.ttl</code> and <code>cimo-edges.ttl</code> in one "
        "default graph, as the endpoint serves them).</p>"
        f'<nav aria-label="Examples"><ol class="toc">{toc}</ol></nav>' + "\n".join(sections)
    )
    return page(
        info,
        title="SPARQL examples",
        body=body,
        current="queries.html",
        description="SPARQL competency questions over CIMO, with their answers.",
    )
