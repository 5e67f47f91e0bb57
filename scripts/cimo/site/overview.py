"""The ontology overview page (``ontology.html``), made with pyLODE 3.3.4.

pyLODE's output is not a pure function of the graph: it lists the members of
an ``owl:intersectionOf``/``owl:unionOf`` from a ``set`` of HTML elements
(hashed by identity, so the order changes run to run), and rdflib's blank-node
IDs are random. Both are pinned here: pyLODE gets the release graph with
canonical (RDFC-1.0) blank-node labels inserted in sorted order (the same canonical
form the exporters use), and its ``intersperse`` helper, which receives that
set, is given the members sorted by their rendered HTML while pyLODE runs.

Importing pyLODE calls ``logging.basicConfig(level=DEBUG)`` (in its
``supermodel.loader``), which would make every later library chatter on
stderr during ``cimo build``; the root logger is restored after the import.

The page is then fitted into the site: a language, a viewport for phones, a
link back to the site, and a few CSS rules so its wide tables scroll instead
of overflowing a small screen. It has no external scripts, styles or fonts.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any

from rdflib import Graph
from rdflib.plugins.stores.memory import SimpleMemory

from cimo.export.canonical import Triple, canonical_dataset, sorted_triples

#: Appended to pyLODE's own stylesheet: readable on a phone, visible focus.
EXTRA_CSS = """
body { max-width: 72rem; margin: 0 auto; }
#pylode { display: none; }
a:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
.site-back { margin: 0 0 1rem; font-size: 1rem; }
#toc { max-width: 100%; }
@media (max-width: 48rem) {
  body { padding: 1rem; }
  #toc { position: static; width: auto; max-height: none; overflow: visible;
         margin: 1rem 0; }
  #content { margin: 0; width: auto; }
  .entity, table { display: block; overflow-x: auto; max-width: 100%; }
  .entity th { width: auto; }
  pre, code { white-space: pre-wrap; overflow-wrap: anywhere; }
  a { overflow-wrap: anywhere; }
}
"""


@contextmanager
def _sorted_sets(module: Any) -> Any:
    """Make ``module.intersperse`` order a ``set`` argument by its rendered HTML."""
    original: Callable[[Iterable[Any], Any], list[Any]] = module.intersperse

    def intersperse(items: Iterable[Any], separator: Any) -> list[Any]:
        if isinstance(items, set | frozenset):
            items = sorted(
                items, key=lambda item: item.render() if hasattr(item, "render") else str(item)
            )
        return original(list(items), separator)

    module.intersperse = intersperse
    try:
        yield
    finally:
        module.intersperse = original


@contextmanager
def _linear_namespaces(ont_pub: Any) -> Any:
    """Replace pyLODE's namespace scan, which walks every namespace for every node of every
    triple (minutes at 10 times CIMO's size), by one pass over the distinct IRIs.

    The section lists each bound prefix whose namespace starts some IRI of the graph,
    sorted by prefix: exactly what pyLODE's own scan collects, in the same markup.
    """
    original = ont_pub._make_namespaces

    def make_namespaces(self: Any) -> None:
        bound = list(self.ont.namespaces())
        used: dict[str, str] = {}
        for node in {str(n) for t in self.ont for n in t}:
            for prefix, ns in bound:
                if prefix not in used and node.startswith(ns):
                    used[prefix] = str(ns)
        nses = {prefix: ns for prefix, ns in bound if prefix in used}
        tags = _import_dominate()
        with self.content, tags.div(id="namespaces"):
            tags.h2("Namespaces")
            with tags.dl():
                if self.toc.get("namespaces") is None:
                    self.toc["namespaces"] = []
                for prefix, ns in sorted(nses.items()):
                    p_ = prefix if prefix != "" else ":"
                    tags.dt(p_, id=p_)
                    tags.dd(tags.code(ns))
                    self.toc["namespaces"].append(("#" + prefix, prefix))

    ont_pub._make_namespaces = make_namespaces
    try:
        yield
    finally:
        ont_pub._make_namespaces = original


class _Markdown:
    """Stands for the ``markdown`` module in pyLODE's ``utils``: one converter, reset
    between texts as Python-Markdown documents, and each distinct text converted once
    (pyLODE made a new converter, with its extensions, for every literal)."""

    def __init__(self) -> None:
        markdown = importlib.import_module("markdown")  # pyLODE's dependency, untyped
        self._converter = markdown.Markdown()
        self._done: dict[str, str] = {}

    def markdown(self, text: str) -> str:
        html = self._done.get(text)
        if html is None:
            html = self._done[text] = self._converter.reset().convert(text)
        return html


@contextmanager
def _one_markdown(module: Any) -> Any:
    original = module.markdown
    module.markdown = _Markdown()
    try:
        yield
    finally:
        module.markdown = original


def _import_dominate() -> Any:
    from dominate import tags

    return tags


def _fit(html: str) -> str:
    """Add a language, a viewport, the extra CSS and a link back to the site."""
    html = html.replace("<html>", '<html lang="en">', 1)
    head = (
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{EXTRA_CSS}</style>\n</head>"
    )
    html = html.replace("</head>", head, 1)
    back = (
        '<p class="site-back"><a href="index.html">← CIMO home</a> · '
        '<a href="terms.html">all terms</a> · <a href="downloads.html">downloads</a></p>'
    )
    return html.replace('<div id="content">', f'<div id="content">\n{back}', 1)


def preload() -> None:
    """Import pyLODE and its Markdown now, while the build waits for HermiT, so the
    child forked later to write the page inherits them instead of importing them."""
    _import_pylode()
    importlib.import_module("markdown")
    _import_dominate()


def _import_pylode() -> tuple[Any, Any]:
    """pyLODE's ``utils`` module and ``OntPub``, imported without touching logging."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        from pylode import utils
        from pylode.profiles.ontpub import OntPub
    finally:
        root.setLevel(level)
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
    return utils, OntPub


@contextmanager
def _sorted_from(ontpub: Any, shell: Graph, triples: list[Triple]) -> Any:
    """pyLODE's ``sort_ontology`` (sorted statements into a new graph with the input's
    prefixes), taking the statements of ``shell`` from ``triples``: the canonical
    statements, which need not be put into an rdflib graph first only to be copied.

    The new graph is on rdflib's ``SimpleMemory`` store, which keeps no named-graph
    bookkeeping (pyLODE's graph has none): adding and matching statements costs less,
    and the page is byte-identical (pyLODE then reads the same statements in the same order).
    """
    original = ontpub.sort_ontology

    def sort_ontology(ont_orig: Graph) -> Graph:
        if ont_orig is not shell:
            return original(ont_orig)  # type: ignore[no-any-return]
        ont_sorted = Graph(store=SimpleMemory(), bind_namespaces="core")
        for prefix, namespace in ont_orig.namespace_manager.namespaces():
            ont_sorted.namespace_manager.bind(prefix, namespace, override=True)
        for triple in sorted(triples):
            ont_sorted.add(triple)
        return ont_sorted

    ontpub.sort_ontology = sort_ontology
    try:
        yield
    finally:
        ontpub.sort_ontology = original


def render(graph: Graph, triples: list[Triple] | None = None) -> str:
    """The pyLODE page of ``graph``; the same graph always gives the same bytes.

    pyLODE reads the graph's canonical statements (``triples``, its
    ``sorted_triples``, when the caller has them) with the graph's prefixes.
    """
    utils, OntPub = _import_pylode()
    triples = triples if triples is not None else sorted_triples(canonical_dataset(graph))
    shell = Graph()  # the prefixes pyLODE sees, as on ``cimo.export.canonical.ordered(graph)``
    for prefix, namespace in graph.namespaces():
        shell.bind(prefix, namespace, override=True, replace=True)
    ontpub = sys.modules[OntPub.__module__]
    with (
        _sorted_sets(utils),
        _one_markdown(utils),
        _linear_namespaces(OntPub),
        _sorted_from(ontpub, shell, triples),
    ):
        html = OntPub(ontology=shell, sort_subjects=True).make_html()
    return _fit(html)
