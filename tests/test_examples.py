"""Every example in examples/manifest.tsv gives its stated result; plain pyshacl agrees on
every RDF example; the examples use only identifiers CIMO has, and only fictitious trials."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from cimo.linking.catalog import load_catalog
from cimo.linking.mapping_index import read_index
from cimo.linking.validate.findings import show
from cimo.linking.validate.reference import validate_with_pyshacl
from cimo.linking.validate.runner import validate_files
from cimo.linking.validate.shapes import load_shapes
from conftest import REPO, run_cimo

EXAMPLES = REPO / "examples"
SHAPE_FILES = sorted((REPO / "shapes" / "data").glob("*.ttl"))
QUERY = REPO / "queries" / "25-formulary-drug-targets.rq"


def manifest() -> list[dict[str, str]]:
    lines = [
        line
        for line in (EXAMPLES / "manifest.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    return list(csv.DictReader(lines, delimiter="\t"))


ROWS = manifest()


def _arguments(row: dict[str, str]) -> list[str]:
    return [str(EXAMPLES / a) if (EXAMPLES / a).exists() else a for a in row["arguments"].split()]


def _name(row: dict[str, str]) -> str:
    return f"{row['command']}:{row['arguments'].replace('--input ', '').split()[0]}"


@pytest.mark.parametrize("row", ROWS, ids=_name)
def test_example_gives_its_stated_result(row: dict[str, str], tmp_path: Path) -> None:
    args = _arguments(row)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = (
        run_cimo(row["command"], *args, "--max-results", "0", env=env)
        if row["command"] == "validate"
        else run_cimo(row["command"], *args, env=env)
    )
    output = result.stdout + result.stderr
    assert result.returncode == int(row["exit"]), output
    for text in filter(None, row["mentions"].split("|")):
        assert text in output, (text, output)
    if row["command"] == "validate":
        expected = set(filter(None, row["findings"].split("|")))
        found = set()
        for line in result.stdout.splitlines():
            match = re.match(r"VIOLATION \[(\w+)\] (.+)$", line)
            if match:
                found.add(f"{match.group(1)}={match.group(2)}")
        assert found == expected


VALIDATED = [r for r in ROWS if r["command"] == "validate" and r["exit"] in ("0", "1")]


@pytest.mark.parametrize("row", VALIDATED, ids=lambda r: r["arguments"].split()[0])
def test_plain_pyshacl_agrees_on_the_example(row: dict[str, str]) -> None:
    catalog = load_catalog(sorted((REPO / "ontology").glob("*.ttl")))
    paths = [Path(a) for a in _arguments(row)]
    fast = {f.key() for f in validate_files(paths, catalog, load_shapes(SHAPE_FILES)).findings}
    slow = {f.key() for f in validate_with_pyshacl(paths, catalog, SHAPE_FILES).findings}
    assert fast == slow
    assert len(fast) == len(list(filter(None, row["findings"].split("|"))))


def _example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*") if p.is_file())


def test_every_example_file_is_in_the_manifest() -> None:
    listed = {a for row in ROWS for a in row["arguments"].split() if (EXAMPLES / a).exists()}
    data = {
        str(p.relative_to(EXAMPLES))
        for p in _example_files()
        if p.name not in ("manifest.tsv", "README.md")
    }
    assert data == listed


def test_drugbank_ids_in_examples_are_in_the_mapping_table() -> None:
    mapped = {
        row.object_id for row in read_index(REPO / "ontology" / "mappings" / "cimo.sssom.tsv").rows
    }
    found = set()
    for path in _example_files():
        found |= set(re.findall(r"(?<![\w:/])DB\d{5}(?!\d)", path.read_text(encoding="utf-8")))
    assert found and {f"drugbank:{i}" for i in found} <= mapped


def test_valid_examples_use_only_live_cimo_terms() -> None:
    catalog = load_catalog(sorted((REPO / "ontology").glob("*.ttl")))
    for path in [*EXAMPLES.glob("formulary/*.ttl"), *EXAMPLES.glob("trials/*")]:
        for quad in ox.parse(path=str(path)):
            for node in (quad.subject, quad.predicate, quad.object):
                if isinstance(node, ox.NamedNode) and node.value.startswith(
                    "https://w3id.org/cimo/"
                ):
                    term = catalog.term(node.value)
                    assert term is not None and not term.deprecated, (path, show(node))


def test_trials_are_fictitious() -> None:
    for path in _example_files():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"NCT\d{8}", text), path
        for iri in re.findall(r"https?://[^\s\"'<>]*trial[^\s\"'<>]*", text):
            assert iri.startswith("https://example.org/"), (path, iri)


def test_formulary_csv_maps_each_product_to_the_drug_it_names(tmp_path: Path) -> None:
    result = run_cimo(
        "map",
        "--input",
        str(EXAMPLES / "formulary" / "drug-products.csv"),
        "--column",
        "drugbank_id",
        "--prefix",
        "drugbank",
        "--format",
        "json",
        env={"XDG_CACHE_HOME": str(tmp_path)},
    )
    assert result.returncode == 0
    import json

    answers = json.loads(result.stdout)
    products = list(
        csv.DictReader(
            (EXAMPLES / "formulary" / "drug-products.csv").read_text(encoding="utf-8").splitlines()
        )
    )
    assert len(answers) == len(products)
    for answer, product in zip(answers, products, strict=True):
        labels = {m["subject_label"] for m in answer["mappings"]}
        assert any(label in product["product"] for label in labels), (product, labels)


def test_query_25_values_mirror_the_formulary() -> None:
    """queries/25 carries the formulary's (product, DrugBank ID) rows as VALUES so that it runs
    on the release alone; they must be exactly the rows of the example file."""
    rows = set(
        re.findall(
            r"\(<(https://example\.org/formulary/product/\d+)> \"(DB\d{5})\"\)",
            QUERY.read_text(encoding="utf-8"),
        )
    )
    data = set()
    for quad in ox.parse(path=str(EXAMPLES / "formulary" / "drug-products.ttl")):
        if quad.predicate.value == "https://example.org/formulary/vocab#drugbankId":
            data.add((quad.subject.value, quad.object.value))
    assert rows and rows == data


def test_query_25_on_the_real_example_data(release_dir: Path) -> None:
    """The same question with the formulary file loaded instead of the VALUES rows."""
    store = ox.Store()
    for name in ("cimo.ttl", "cimo-edges.ttl"):
        store.bulk_load(path=str(release_dir / name), format=ox.RdfFormat.TURTLE)
    store.bulk_load(
        path=str(EXAMPLES / "formulary" / "drug-products.ttl"), format=ox.RdfFormat.TURTLE
    )
    text = QUERY.read_text(encoding="utf-8")
    start = text.index("  VALUES (?product ?drugbankId)")
    end = text.index("  }\n", start) + len("  }\n")
    from_data = text[:start] + "  ?product fv:drugbankId ?drugbankId .\n" + text[end:]
    assert from_data != text
    answer = {
        tuple(str(s[v].value) for v in ("product", "drugLabel", "targetLabel"))
        for s in store.query(from_data)
    }  # type: ignore[union-attr]
    expected = {
        tuple(store_row)
        for store_row in (
            line.split("\t")
            for line in QUERY.with_suffix(".tsv").read_text(encoding="utf-8").splitlines()[1:]
        )
    }
    assert answer == {(p, d, t) for p, _, d, t in expected}
