"""``cimo map``: every form of every mapped identifier translates, both ways, offline;
bad input is reported line by line while the rest is still translated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import bioregistry
import pytest

from cimo.linking.catalog import load_catalog
from cimo.linking.identifiers import IdentifierProblem, normalize
from cimo.linking.mapping_index import read_index
from cimo.linking.prefixes import build_table, cache_key, load_table
from cimo.linking.translate import ERROR, MAPPED, UNMAPPED, Translator
from cimo.mappings import read_sssom
from cimo.sssom_table import SssomRow as Mapping
from conftest import REPO, run_cimo

TABLE = REPO / "ontology" / "mappings" / "cimo.sssom.tsv"


@pytest.fixture(scope="module")
def cache_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(tmp_path_factory.mktemp("cache"))}


def cimo_map(
    *args: str, env: dict[str, str], stdin: str | None = None, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    if stdin is None:
        return run_cimo("map", *args, env=env, cwd=cwd)
    return subprocess.run(
        [sys.executable, "-m", "cimo.cli.main", "map", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


@pytest.fixture(scope="module")
def translator() -> Translator:
    index = read_index(TABLE)
    catalog = load_catalog(sorted((REPO / "ontology").glob("*.ttl")))
    return Translator(index, build_table(index.curie_map), lambda: catalog)


@pytest.fixture(scope="module")
def rows() -> list[Mapping]:
    """Read with the build's own reader, independently of cimo.linking."""
    return read_sssom(TABLE).rows


def test_every_mapping_translates_both_ways(translator: Translator, rows: list[Mapping]) -> None:
    for row in rows:
        forward = translator.translate(row.object_id, "test")
        assert forward.status == MAPPED, (row.object_id, forward.message)
        assert row.subject_id in {r.subject_id for r in forward.rows}
        backward = translator.translate(row.subject_id, "test")
        assert backward.status == MAPPED
        assert (row.predicate_id, row.object_id) in {
            (r.predicate_id, r.object_id) for r in backward.rows
        }


def test_every_iri_form_bioregistry_knows_normalizes_to_the_table_curie(
    translator: Translator, rows: list[Mapping]
) -> None:
    table = translator.table
    checked = 0
    for curie in sorted({row.object_id for row in rows}):
        prefix, _, local = curie.partition(":")
        resource = bioregistry.get_resource(prefix)
        assert resource is not None
        for uri_prefix in sorted(resource.get_uri_prefixes() or ()):
            if "$1" in uri_prefix:
                continue
            assert normalize(uri_prefix + local, table).curie == curie, uri_prefix + local
            checked += 1
        for synonym in sorted(resource.get_synonyms()):
            if ":" not in synonym and " " not in synonym:
                assert normalize(f"{synonym}:{local}", table).curie == curie, synonym
    assert checked > 100


@pytest.mark.parametrize(
    "text",
    [
        "DRUGBANK:DB00073",
        "drugbank:DB00073",
        "DrugBank:DB00073",
        "https://go.drugbank.com/drugs/DB00073",
        "http://www.drugbank.ca/drugs/DB00073",
        "https://identifiers.org/drugbank:DB00073",
        "<https://go.drugbank.com/drugs/DB00073>",
        "  drugbank:DB00073  ",
    ],
)
def test_every_drugbank_spelling_normalizes_to_one_curie(translator: Translator, text: str) -> None:
    assert normalize(text, translator.table).curie == "drugbank:DB00073"


@pytest.mark.parametrize(
    "text", ["http://purl.obolibrary.org/obo/NCIT_C1702", "NCIT:C1702", "ncit:C1702", "NCIT_C1702"]
)
def test_every_ncit_spelling_normalizes_to_one_curie(translator: Translator, text: str) -> None:
    assert normalize(text, translator.table).curie == "NCIT:C1702"


@pytest.mark.parametrize(
    "text",
    [
        "CIMO:0000110",
        "cimo:0000110",
        "CIMO_0000110",
        "https://w3id.org/cimo/CIMO_0000110",
        "http://w3id.org/cimo/CIMO_0000110",
    ],
)
def test_every_cimo_spelling_normalizes_to_one_curie(translator: Translator, text: str) -> None:
    assert normalize(text, translator.table).curie == "CIMO:0000110"


@pytest.mark.parametrize(
    ("text", "curie"),
    [
        ("GO:GO:0006955", "GO:0006955"),
        ("CHEBI:CHEBI:64357", "CHEBI:64357"),
        ("MONDO:MONDO:0004992", "MONDO:0004992"),
    ],
)
def test_doubled_prefix_as_some_exports_write_it(
    translator: Translator, text: str, curie: str
) -> None:
    assert normalize(text, translator.table).curie == curie


def test_bare_id_needs_a_prefix_and_the_message_names_the_one_that_fits(
    translator: Translator,
) -> None:
    assert normalize("DB00073", translator.table, "drugbank").curie == "drugbank:DB00073"
    with pytest.raises(IdentifierProblem) as problem:
        normalize("DB00073", translator.table)
    assert "drugbank" in problem.value.message and "--prefix drugbank" in problem.value.fix


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("foo:123", "bioregistry does not know it"),
        ("chembl.compound:CHEMBL1201576", "not one CIMO maps to"),
        ("drugbank:DB0073", "malformed"),
        ("drugbank:db00073", "did you mean drugbank:DB00073?"),
        ("https://example.org/drug/1", "not an IRI form bioregistry recognises"),
        ("https://w3id.org/cimo/rituximab", "not a CIMO term IRI"),
        ("", "empty identifier"),
    ],
)
def test_bad_identifiers_say_what_is_wrong(translator: Translator, text: str, words: str) -> None:
    result = translator.translate(text, "test")
    assert result.status == ERROR
    assert words in f"{result.message} {result.fix}"


def test_cimo_term_without_mappings_deprecated_and_unknown(translator: Translator) -> None:
    catalog = translator.catalog
    unmapped = next(
        t
        for iri, t in sorted(catalog.terms.items())
        if t.is_class
        and not t.deprecated
        and t.curie.startswith("CIMO:")
        and not translator.index.for_subject(t.curie)
    )
    assert translator.translate(unmapped.curie, "t").status == UNMAPPED
    deprecated = next(t for t in catalog.terms.values() if t.deprecated and t.replaced_by)
    result = translator.translate(deprecated.curie, "t")
    assert result.status == UNMAPPED and catalog.describe(deprecated.replaced_by) in result.fix
    unknown = translator.translate("CIMO:9999999", "t")
    assert unknown.status == ERROR
    assert "did you mean" in (unknown.fix or "") or "look it up" in (unknown.fix or "")


def test_cli_translates_many_forms_and_keeps_going_after_bad_ones(
    cache_env: dict[str, str],
) -> None:
    result = cimo_map(
        "DRUGBANK:DB00073",
        "foo:1",
        "http://purl.obolibrary.org/obo/NCIT_C1985",
        "drugbank:DB0073",
        env=cache_env,
    )
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == [
        "input",
        "subject_id",
        "subject_label",
        "predicate_id",
        "object_id",
        "object_label",
        "mapping_justification",
    ]
    mapped = [line.split("\t") for line in lines[1:]]
    assert [(r[0], r[1], r[3], r[4]) for r in mapped] == [
        ("DRUGBANK:DB00073", "CIMO:0000110", "skos:exactMatch", "drugbank:DB00073"),
        (
            "http://purl.obolibrary.org/obo/NCIT_C1985",
            "CIMO:0000133",
            "skos:exactMatch",
            "NCIT:C1985",
        ),
    ]
    assert "argument 2: 'foo:1'" in result.stderr and "argument 4" in result.stderr
    assert "fix:" in result.stderr


def test_cli_cimo_id_lists_exactly_its_rows(cache_env: dict[str, str], rows: list[Mapping]) -> None:
    result = cimo_map("CIMO:0000110", "--format", "json", env=cache_env)
    assert result.returncode == 0
    [answer] = json.loads(result.stdout)
    got = {(m["predicate_id"], m["object_id"]) for m in answer["mappings"]}
    assert got == {(r.predicate_id, r.object_id) for r in rows if r.subject_id == "CIMO:0000110"}
    assert answer["status"] == "mapped" and answer["id"] == "CIMO:0000110"


def test_cli_exit_one_when_well_formed_ids_have_no_mapping(cache_env: dict[str, str]) -> None:
    result = cimo_map("drugbank:DB00073", "drugbank:DB00001", env=cache_env)
    assert result.returncode == 1
    assert "no CIMO term is mapped to drugbank:DB00001" in result.stderr
    assert "CIMO:0000110" in result.stdout


def test_cli_reads_a_named_column_from_a_file_and_stdin(
    tmp_path: Path, cache_env: dict[str, str]
) -> None:
    ids = tmp_path / "ids.tsv"
    ids.write_text(
        "name\tdrugbank\n# a comment\nrituximab\tDB00073\n\nnivolumab\tDB9035\n", encoding="utf-8"
    )
    result = cimo_map(
        "--input", str(ids), "--column", "drugbank", "--prefix", "drugbank", env=cache_env
    )
    assert result.returncode == 2
    assert "DB00073\tCIMO:0000110" in result.stdout
    assert f"{ids}:5: 'DB9035'" in result.stderr
    piped = cimo_map(
        "--input",
        "-",
        "--column",
        "2",
        env=cache_env,
        stdin="x\tdrugbank:DB00073\ny\tatc:L01FA01\n",
    )
    assert piped.returncode == 0
    assert [line.split("\t")[1] for line in piped.stdout.splitlines()[1:]] == ["CIMO:0000110"] * 2


def test_cli_missing_column_names_the_file_line_and_choices(
    tmp_path: Path, cache_env: dict[str, str]
) -> None:
    ids = tmp_path / "ids.csv"
    ids.write_text("name,id\nx,DB00073\n", encoding="utf-8")
    result = cimo_map("--input", str(ids), "--column", "drugbank_id", env=cache_env)
    assert result.returncode == 2
    assert f"{ids}:1: no column named 'drugbank_id'" in result.stderr


def test_cli_outside_a_checkout_needs_the_release_files(
    tmp_path: Path, cache_env: dict[str, str]
) -> None:
    result = cimo_map("drugbank:DB00073", env=cache_env, cwd=tmp_path)
    assert result.returncode == 2 and "--mappings" in result.stderr
    ok = cimo_map("drugbank:DB00073", "--mappings", str(TABLE), env=cache_env, cwd=tmp_path)
    assert ok.returncode == 0 and "CIMO:0000110" in ok.stdout


def test_cli_broken_mapping_table_is_named_with_its_line(
    tmp_path: Path, cache_env: dict[str, str]
) -> None:
    broken = tmp_path / "broken.sssom.tsv"
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    header_end = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    lines[header_end] = lines[header_end].replace("object_id", "objectid")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cimo_map("drugbank:DB00073", "--mappings", str(broken), env=cache_env)
    assert result.returncode == 2
    assert f"{broken}:{header_end + 1}: missing columns ['object_id']" in result.stderr


def test_prefix_cache_is_written_reused_and_rebuilt_when_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    index = read_index(TABLE)
    fresh = load_table(index.curie_map)
    cached = tmp_path / "cimo" / f"prefixes-{cache_key(index.curie_map)}.json"
    assert cached.is_file()
    assert load_table(index.curie_map).records == fresh.records
    cached.write_text("{not json", encoding="utf-8")
    assert load_table(index.curie_map).records == fresh.records
    assert build_table(index.curie_map).records == fresh.records
