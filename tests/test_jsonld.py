"""pyld, an independent JSON-LD processor, expands cimo.jsonld offline with the local
context and gets the same graph as cimo.ttl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Graph

from graphs import same_graph


def local_loader(release_dir: Path):
    def load(url: str, options: dict | None = None) -> dict:
        name = url.rsplit("/", 1)[-1]
        path = release_dir / name
        if name != "cimo.context.jsonld" or not path.is_file():
            raise jsonld.JsonLdError(f"refusing to load {url}: only the local context is allowed",
                                     "loading document failed")
        return {"contentType": "application/ld+json", "contextUrl": None,
                "documentUrl": url, "document": json.loads(path.read_text())}
    return load


def test_pyld_expands_to_the_same_graph_as_turtle(release_dir: Path) -> None:
    document = json.loads((release_dir / "cimo.jsonld").read_text())
    options = {"documentLoader": local_loader(release_dir),
               "base": (release_dir / "cimo.jsonld").as_uri()}
    expanded = jsonld.expand(document, options)
    assert expanded, "expansion produced nothing"
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads", **options})
    from_jsonld = Graph().parse(data=nquads, format="nt")  # default graph only: N-Triples
    from_turtle = Graph().parse(release_dir / "cimo.ttl", format="turtle")
    assert len(from_jsonld) == len(from_turtle)
    assert same_graph(from_jsonld, from_turtle)


def test_context_declares_the_prefix_and_every_property(release_dir: Path) -> None:
    context = json.loads((release_dir / "cimo.context.jsonld").read_text())["@context"]
    assert context["@version"] == 1.1
    assert context["CIMO"] == {"@id": "https://w3id.org/cimo/CIMO_", "@prefix": True}
    graph = Graph().parse(release_dir / "cimo.ttl")
    declared = {v["@id"] for v in context.values() if isinstance(v, dict)}
    used = {str(p) for p in graph.predicates()} - {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}
    assert used <= declared


def test_remote_contexts_are_refused(release_dir: Path) -> None:
    loader = local_loader(release_dir)
    with pytest.raises(jsonld.JsonLdError):
        loader("https://example.org/context.jsonld")
