"""The mapping table is valid SSSOM, every CURIE is what bioregistry says it should be,
and the release states each mapping as skos:*Match to bioregistry's IRI and as hasDbXref."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import bioregistry
import pyoxigraph as ox
import pytest
from rdflib import URIRef

from cimo.mappings import MappingSet, read_sssom
from conftest import REPO

TABLE = REPO / "ontology" / "mappings" / "cimo.sssom.tsv"
SSSOM = Path(sys.executable).with_name("sssom")
SKOS = "http://www.w3.org/2004/02/skos/core#"
XREF = "http://www.geneontology.org/formats/oboInOwl#hasDbXref"
VOCABULARY_PREFIXES = {"CIMO", "semapv", "skos"}


def sssom_validate(path: Path) -> subprocess.CompletedProcess[str]:
    assert SSSOM.exists(), "install the test extras (make test does): pip install -e '.[test]'"
    return subprocess.run(
        [str(SSSOM), "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def table() -> MappingSet:
    return read_sssom(TABLE)


def test_sssom_validate_accepts_the_table_and_its_release_copy(release_dir: Path) -> None:
    for path in (TABLE, release_dir / "cimo.sssom.tsv"):
        result = sssom_validate(path)
        assert result.returncode == 0, f"{path}: {result.stdout}{result.stderr}"


def test_sssom_validate_rejects_a_broken_copy(tmp_path: Path) -> None:
    """Shows the check above can fail: one invalid justification makes sssom exit non-zero."""
    broken = tmp_path / "broken.sssom.tsv"
    text = TABLE.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("semapv:ManualMappingCuration", "semapv:NoSuchJustification", 1),
        encoding="utf-8",
    )
    result = sssom_validate(broken)
    assert result.returncode != 0


def test_header_has_the_required_metadata(table: MappingSet) -> None:
    for key in ("mapping_set_id", "license", "curie_map"):
        assert table.metadata.get(key), f"{TABLE}: header needs {key}"


def test_every_row_says_where_it_was_confirmed(table: MappingSet) -> None:
    for row in table.rows:
        assert row.source.startswith("confirmed in: ") and len(row.source) > 20, (
            f"{TABLE}:{row.line}: the comment must say where the mapping was confirmed"
        )


def test_every_target_curie_uses_bioregistrys_prefix_and_pattern(table: MappingSet) -> None:
    for row in table.rows:
        prefix, _, local = row.object_id.partition(":")
        where = f"{TABLE}:{row.line}: {row.object_id}"
        preferred = bioregistry.get_preferred_prefix(prefix) or bioregistry.normalize_prefix(prefix)
        assert preferred == prefix, f"{where}: bioregistry spells the prefix {preferred!r}"
        pattern = bioregistry.get_pattern(prefix)
        assert pattern, f"{where}: bioregistry has no pattern for {prefix}"
        assert re.fullmatch(pattern, local), f"{where}: does not match {pattern}"


def test_curie_map_expansions_are_bioregistrys_uri_prefixes(table: MappingSet) -> None:
    curie_map = table.curie_map
    targets = {row.object_id.partition(":")[0] for row in table.rows}
    assert targets <= set(curie_map), "every target prefix needs a curie_map entry"
    for prefix, uri_prefix in curie_map.items():
        if prefix == "CIMO":
            assert uri_prefix == "https://w3id.org/cimo/CIMO_"
            continue
        if prefix == "cimo_project":  # the project's own namespace, for creator_id
            assert uri_prefix == "https://w3id.org/cimo/"
            continue
        assert bioregistry.get_uri_prefix(prefix) == uri_prefix, prefix


def test_release_states_every_mapping_as_skos_match_and_xref(
    table: MappingSet, release_dir: Path
) -> None:
    store = ox.Store()
    store.bulk_load(path=str(release_dir / "cimo.nt"), format=ox.RdfFormat.N_TRIPLES)
    for row in table.rows:
        subject = ox.NamedNode(table.expand(row.subject_id))
        predicate = ox.NamedNode(SKOS + row.predicate_id.partition(":")[2])
        iri = bioregistry.get_iri(row.object_id, priority=["default"])
        assert iri == table.expand(row.object_id), row.object_id
        assert ox.Quad(subject, predicate, ox.NamedNode(iri), ox.DefaultGraph()) in store, (
            f"{TABLE}:{row.line}: release lacks {row.subject_id} {row.predicate_id} <{iri}>"
        )
        xref = ox.Quad(subject, ox.NamedNode(XREF), ox.Literal(row.object_id), ox.DefaultGraph())
        exact = {
            (r.subject_id, r.object_id) for r in table.rows if r.predicate_id == "skos:exactMatch"
        }
        if (row.subject_id, row.object_id) in exact:
            assert xref in store, f"{TABLE}:{row.line}: release lacks hasDbXref {row.object_id}"
        else:
            assert xref not in store, (
                f"{TABLE}:{row.line}: a {row.predicate_id} reached hasDbXref {row.object_id}"
            )


def test_only_exact_matches_become_xrefs(tmp_path: Path) -> None:
    """A close, broad, narrow or related match never becomes hasDbXref (a bad fixture)."""
    from cimo.mappings import read_sssom, to_graph

    lines = (
        (REPO / "ontology" / "mappings" / "cimo.sssom.tsv").read_text(encoding="utf-8").splitlines()
    )
    header = [line for line in lines if line.startswith("#")]
    columns = next(line for line in lines if not line.startswith("#")).split("\t")
    rows = []
    for predicate, object_id in (
        ("skos:exactMatch", "NCIT:C15632"),
        ("skos:broadMatch", "NCIT:C15262"),
        ("skos:closeMatch", "NCIT:C268"),
    ):
        values = {
            "subject_id": "CIMO:0000020",
            "subject_label": "chemotherapy",
            "predicate_id": predicate,
            "object_id": object_id,
            "mapping_justification": "semapv:ManualMappingCuration",
        }
        rows.append("\t".join(values.get(c, "") for c in columns))
    fixture = tmp_path / "m.sssom.tsv"
    fixture.write_text("\n".join([*header, "\t".join(columns), *rows]) + "\n", encoding="utf-8")
    graph = to_graph(read_sssom(fixture))
    xrefs = {str(o) for o in graph.objects(None, URIRef(XREF))}
    assert xrefs == {"NCIT:C15632"}


def test_mapping_subjects_are_live_cimo_terms_with_their_labels(table: MappingSet) -> None:
    from cimo.linking.catalog import load_catalog

    catalog = load_catalog(sorted((REPO / "ontology").glob("*.ttl")))
    for row in table.rows:
        term = catalog.term(table.expand(row.subject_id))
        assert term is not None and not term.deprecated, f"{TABLE}:{row.line}"
        assert term.label == row.subject_label, f"{TABLE}:{row.line}: label is {term.label!r}"


def test_header_names_the_creator_version_and_provider(table: MappingSet) -> None:
    """Integrators need to know who made the set and which version it is (issue 10)."""
    assert table.metadata.get("creator_id") == ["cimo_project:cimo.owl"]
    assert table.metadata.get("mapping_set_version")
    assert table.metadata.get("mapping_provider")


def test_every_row_has_object_source_and_a_confidence(table: MappingSet) -> None:
    import csv

    lines = [
        line for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    assert rows
    for row in rows:
        prefix = row["object_id"].partition(":")[0]
        assert row["object_source"] == f"bioregistry:{prefix.lower()}", row["object_id"]
        assert 0.0 < float(row["confidence"]) <= 1.0, row["object_id"]


def test_no_comment_cites_an_opaque_search_hit(table: MappingSet) -> None:
    from cimo.mappings import OPAQUE_REFERENCE

    for row in table.rows:
        assert not OPAQUE_REFERENCE.search(row.comment), f"{TABLE}:{row.line}: {row.comment}"


def test_an_opaque_search_hit_in_a_comment_fails_the_build(tmp_path: Path) -> None:
    """The row the table had before (a find_string id instead of a record) is refused."""
    from cimo.mappings import check

    text = TABLE.read_text(encoding="utf-8").splitlines()
    header = [line for line in text if line.startswith("#") or line.startswith("subject_id")]
    columns = header[-1].split("\t")
    cells = {
        "subject_id": "CIMO:0000022",
        "subject_label": "radiation therapy",
        "predicate_id": "skos:exactMatch",
        "object_id": "NCIT:C15313",
        "object_label": "Radiation Therapy",
        "mapping_justification": "semapv:ManualMappingCuration",
        "object_source": "bioregistry:ncit",
        "object_source_version": "",
        "confidence": "0.8",
        "comment": "confirmed in: stored data-dictionary HTML (find_string hit id 62813769966)",
    }
    path = tmp_path / "m.sssom.tsv"
    path.write_text(
        "\n".join([*header, "\t".join(cells[c] for c in columns)]) + "\n", encoding="utf-8"
    )
    problems = check(read_sssom(path), path, {URIRef("https://w3id.org/cimo/CIMO_0000022")})
    assert [p for p in problems if "opaque" in p.message]
