"""The registration records in docs/registry agree with the release they describe."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from cimo.vocab import CIMO_NS, TERM_IRI_RE
from conftest import REPO

REGISTRY = REPO / "docs" / "registry"


def test_bioregistry_entry_matches_the_release(release_dir: Path) -> None:
    ((prefix, entry),) = json.loads((REGISTRY / "bioregistry.json").read_text()).items()
    assert prefix == "cimo" and entry["preferred_prefix"] == "CIMO"
    graph = Graph().parse(release_dir / "cimo.ttl")
    ids = {
        TERM_IRI_RE.match(str(s)).group(1)
        for s in graph.subjects()  # type: ignore[union-attr]
        if isinstance(s, URIRef) and TERM_IRI_RE.match(str(s))
    }
    assert all(re.match(entry["pattern"], i) for i in ids)
    example = URIRef(entry["uri_format"].replace("$1", entry["example"]))
    assert str(graph.value(example, RDFS.label)) == "rituximab"
    assert entry["uri_format"] == CIMO_NS + "CIMO_$1"
    for key, name in (
        ("download_owl", "cimo.owl"),
        ("download_obo", "cimo.obo"),
        ("download_json", "cimo.json"),
    ):
        assert entry[key] == CIMO_NS + name and (release_dir / name).is_file()
    assert entry["license"] == "CC-BY-4.0"


def test_obo_foundry_and_ols_records_name_the_release_files(release_dir: Path) -> None:
    front = (REGISTRY / "cimo.md").read_text().split("---")[1]
    obo = yaml.safe_load(front)
    assert obo["id"] == "cimo" and obo["preferredPrefix"] == "CIMO"
    assert {p["id"] for p in obo["products"]} == {"cimo.owl", "cimo.obo", "cimo.json"}
    assert all((release_dir / p["id"]).is_file() for p in obo["products"])
    (ols,) = yaml.safe_load((REGISTRY / "ols.yaml").read_text())["ontologies"]
    assert ols["uri"] == ols["ontology_purl"] == CIMO_NS + "cimo.owl"
    assert ols["base_uri"] == [CIMO_NS + "CIMO_"]
    graph = Graph().parse(release_dir / "cimo.ttl")
    used = {str(p) for _, p, _ in graph}
    assert set(ols["definition_property"]) <= used
    assert set(ols["synonym_property"]) & used
