"""Render the documentation site and the dataset description for a release.

Called by the build's export stage with the release files already made; it
returns more files: everything under ``site/`` (a folder that can be copied
to a static host as it is and is what ``cimo serve`` publishes) and
``void.ttl``. The site holds the release files at its top (the latest
release, as ``https://w3id.org/cimo/cimo.owl`` etc.) and again under
``releases/<version>/`` so a host keeps every release at its versioned IRI.
Nothing in it depends on the time or the machine, so builds stay byte-stable.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from cimo import heap
from cimo.export import jsonld, rdfxml
from cimo.export.canonical import Triple, canonical_dataset, sorted_triples
from cimo.forked import Forked
from cimo.html.layout import SiteInfo
from cimo.html.not_found import not_found
from cimo.mappings import read_sssom
from cimo.paths import ProjectPaths
from cimo.site import (
    assets,
    examples,
    htaccess,
    overview,
    pages,
    query_page,
    regulatory,
    term_page,
    void,
)
from cimo.site.term_rdf import Forms, describe
from cimo.site.terms import IndexEntry, Labels, TermReader, term_iris
from cimo.vocab import CC_BY_4, EVIDENCE_QUOTE, ONTOLOGY_IRI, RELEASE_IRI_TEMPLATE

SITE = "site/"


def site_info(graph: Graph, version: str) -> SiteInfo:
    onto = URIRef(ONTOLOGY_IRI)
    title = graph.value(onto, DCTERMS.title)
    licence = graph.value(onto, DCTERMS.license)
    return SiteInfo(str(title) if title else "CIMO", version, str(licence or CC_BY_4))


def _overview(graph: Graph, version: str, term_count: int) -> pages.Overview:
    onto = URIRef(ONTOLOGY_IRI)
    cimo_terms = set(term_iris(graph))

    def count(kind: URIRef) -> int:
        return sum(1 for t in cimo_terms if (t, RDF.type, kind) in graph)

    matches = (
        SKOS.exactMatch,
        SKOS.closeMatch,
        SKOS.broadMatch,
        SKOS.narrowMatch,
        SKOS.relatedMatch,
    )
    counts = [
        ("term", "terms", term_count),
        ("class", "classes", count(OWL.Class)),
        ("object property", "object properties", count(OWL.ObjectProperty)),
        ("source document", "source documents", count(OWL.NamedIndividual)),
        ("evidence quote", "evidence quotes", len(set(graph.subjects(EVIDENCE_QUOTE)))),
        ("mapping", "mappings", sum(1 for p in matches for _ in graph.subject_objects(p))),
        (
            "deprecated term",
            "deprecated terms",
            sum(1 for t in cimo_terms if (t, OWL.deprecated, Literal(True)) in graph),
        ),
    ]
    description = graph.value(onto, DCTERMS.description)
    return pages.Overview(
        str(description or ""), ONTOLOGY_IRI, RELEASE_IRI_TEMPLATE.format(version=version), counts
    )


def _downloads(
    release: dict[str, bytes], versioned: dict[str, bytes], version: str
) -> list[pages.Download]:
    order = list(pages.FILE_PURPOSES)
    names = sorted(release, key=lambda n: (order.index(n) if n in order else len(order), n))
    return [
        pages.Download(
            n,
            len(release[n]),
            hashlib.sha256(release[n]).hexdigest(),
            versioned.get(f"releases/{version}/{n}") == release[n],
        )
        for n in names
    ]


def release_folders(
    paths: ProjectPaths, release: dict[str, bytes], version: str
) -> dict[str, bytes]:
    """``releases/<version>/...``: every published snapshot, and this build's files.

    A published snapshot (``releases/<version>/cimo.ttl`` in the repository) is
    immutable, so it wins; its ``cimo.owl`` (the form its version IRI names) is
    written from it with the release's own RDF/XML writer. This build's files go
    under its own version only when that version is unpublished or the build is
    byte-identical to its snapshot; otherwise the source changed without a new
    version, and serving today's files under yesterday's version IRI would
    misstate what was released.
    """
    out: dict[str, bytes] = {}
    published = {path.parent.name: path.read_bytes() for path in paths.snapshots()}
    for name, data in published.items():
        out[f"releases/{name}/cimo.ttl"] = data
        out[f"releases/{name}/cimo.owl"] = rdfxml.serialize(
            Graph().parse(data=data, format="turtle")
        )
    if published.get(version, release["cimo.ttl"]) == release["cimo.ttl"]:
        for name, data in release.items():
            out[f"releases/{version}/{name}"] = data
    return out


@dataclass
class TermPages:
    """The per-term files (HTML and four RDF forms) and what the other pages need of them.

    They depend on the graph alone, so the build writes them while the OWL API
    writes the release's OWL forms in another process.
    """

    files: dict[str, bytes]
    terms: list[IndexEntry]
    labels: Labels


class TermRenderer:
    """What every term page reads, gathered once: the indexed graphs, the JSON-LD
    converter, the regulatory facts and the list of terms.

    Gathered before any fork, so a child process that writes some of the pages
    reads the same indexes without building them again (or copying them back).
    """

    def __init__(
        self,
        graph: Graph,
        edge_graph: Graph,
        paths: ProjectPaths,
        version: str,
        context: dict[str, Any],
        canonical: list[Triple] | None = None,
    ) -> None:
        heap.hold()  # until the pages are collected (:meth:`start`); see ``cimo.heap``
        self.graph = graph
        self.info = site_info(graph, version)
        statements = (
            canonical if canonical is not None else sorted_triples(canonical_dataset(graph))
        )
        self.reader = TermReader(statements, edge_graph, read_sssom(paths.mappings))
        self.forms = Forms(context)
        self.facts = regulatory.collect(self.reader.graph)
        self.iris = term_iris(graph)

    def render(self, iris: list[URIRef]) -> tuple[dict[str, bytes], list[IndexEntry]]:
        """The files and term-index entries of the pages of ``iris``."""
        files: dict[str, bytes] = {}
        terms = []
        for iri in iris:
            term = self.reader.read(iri)
            terms.append(term.entry())
            extra = regulatory.section_html(self.reader.graph, self.facts.get(str(iri), []))
            files[SITE + f"{term.local}.html"] = term_page.render(
                term, self.info, extra=extra
            ).encode()
            description = describe(self.reader.graph, iri, self.reader.axioms.get(str(iri), []))
            for suffix, data in self.forms.write(description).items():
                files[SITE + term.local + suffix] = data
        return files, terms

    def _forked(self, iris: list[URIRef]) -> Forked[tuple[dict[str, bytes], list[IndexEntry]]]:
        return Forked(lambda: self.render(iris))

    def start(self, workers: int = 2) -> Callable[[], TermPages]:
        """Start writing every term's files, the last ``(workers - 1) / workers`` of them
        in forked children (``cimo.forked``), and return what collects them all.

        ``workers=0`` writes none here: every page is written in one child, while the
        caller goes on with other work (the build writes the release files meanwhile).
        """
        count = max(workers, 1)
        cut = [len(self.iris) * i // count for i in range(count + 1)]
        chunks = [self.iris[cut[i] : cut[i + 1]] for i in range(count)]
        jobs = [self._forked(chunk) for chunk in chunks[1:]]
        if workers == 0:
            jobs.insert(0, self._forked(chunks[0]))
            mine: tuple[dict[str, bytes], list[IndexEntry]] | None = None
        else:
            mine = self.render(chunks[0])

        def collect() -> TermPages:
            try:
                parts = ([mine] if mine is not None else []) + [job.result() for job in jobs]
            finally:
                heap.release()
            files = {name: data for part_files, _ in parts for name, data in part_files.items()}
            return TermPages(files, [t for _, terms in parts for t in terms], self.reader.labels)

        return collect


def render_site(
    graph: Graph,
    edge_graph: Graph,
    files: dict[str, bytes],
    paths: ProjectPaths,
    version: str,
    canonical: list[Triple] | None = None,
    term_pages: TermPages | None = None,
    overview_page: Callable[[], str] | None = None,
) -> dict[str, bytes]:
    """The site files (under ``site/``) and ``void.ttl``, from the finished release.

    ``canonical`` is ``cimo.export.canonical.sorted_triples`` of the graph, and
    ``term_pages`` the :class:`TermRenderer` pages of this release, if the caller has them;
    ``overview_page`` gives the pyLODE page (``overview.render``) when it is made elsewhere.
    """
    info = site_info(graph, version)
    release = {name: data for name, data in files.items() if not name.startswith(SITE)}
    release["void.ttl"] = void.serialize(void.describe(graph, release, version))
    out: dict[str, bytes] = {"void.ttl": release["void.ttl"]}

    def put(name: str, data: bytes | str) -> None:
        out[SITE + name] = data.encode() if isinstance(data, str) else data

    if term_pages is None:
        context = (  # the export stage's context, when it made one (the same dictionary)
            json.loads(files[jsonld.CONTEXT_FILE])
            if jsonld.CONTEXT_FILE in files
            else jsonld.build_context(graph)
        )
        term_pages = TermRenderer(graph, edge_graph, paths, version, context, canonical).start()()
    out.update(term_pages.files)
    terms = term_pages.terms

    store = examples.store_for(files)
    example_list = examples.run_examples(paths.queries, store)
    put("index.html", pages.home(info, _overview(graph, version, len(terms))))
    put("terms.html", pages.term_index(info, terms))
    put("queries.html", examples.render(info, example_list, term_pages.labels))
    put("sparql.html", query_page.render(info, example_list))
    versioned = release_folders(paths, release, version)
    put(
        "downloads.html",
        pages.downloads(
            info,
            _downloads(release, versioned, version),
            sorted({n.split("/")[1] for n in versioned}, reverse=True),
        ),
    )
    put("404.html", not_found(info, "this address", root="/cimo/"))
    put("ontology.html", overview_page() if overview_page else overview.render(graph, canonical))
    put(".htaccess", htaccess.rules("/cimo/"))
    put("assets/prefixes.json", assets.prefixes_json())
    for name, data in {**assets.own_assets(), **assets.yasgui_assets(paths.root)}.items():
        put(name, data)
    for name, data in {**release, **versioned}.items():
        put(name, data)
    return out
