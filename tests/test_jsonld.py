"""pyld, an independent JSON-LD processor, expands cimo.jsonld offline with the local
context and gets the same graph as cimo.ttl."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from cimo.linking.errors import InputError
from cimo.linking.jsonld_context import with_local_context
from conftest import run_cimo
from graphs import same_graph


def local_loader(release_dir: Path):
    def load(url: str, options: dict | None = None) -> dict:
        name = url.rsplit("/", 1)[-1]
        path = release_dir / name
        if name != "cimo.context.jsonld" or not path.is_file():
            raise jsonld.JsonLdError(
                f"refusing to load {url}: only the local context is allowed",
                "loading document failed",
            )
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads(path.read_text()),
        }

    return load


def test_pyld_expands_to_the_same_graph_as_turtle(release_dir: Path) -> None:
    document = json.loads((release_dir / "cimo.jsonld").read_text())
    options = {
        "documentLoader": local_loader(release_dir),
        "base": (release_dir / "cimo.jsonld").as_uri(),
    }
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
    used = {str(p) for p in graph.predicates()} - {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    }
    assert used <= declared


def test_remote_contexts_are_refused(release_dir: Path) -> None:
    loader = local_loader(release_dir)
    with pytest.raises(jsonld.JsonLdError):
        loader("https://example.org/context.jsonld")


def _context(release_dir: Path, name: str = "cimo.context.jsonld") -> dict:
    return json.loads((release_dir / name).read_text())["@context"]


def test_every_relation_has_a_term_with_iri_values(release_dir: Path) -> None:
    """CIMO's, RO's and BFO's relations, under their readable name and their CURIE."""
    graph = Graph().parse(release_dir / "cimo.ttl")
    relations = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    relations |= set(graph.objects(None, OWL.onProperty))
    assert {str(r).split("/")[-1].split("_")[0] for r in relations} >= {"CIMO", "RO", "BFO"}
    context = _context(release_dir)
    by_iri: dict[str, set[str]] = {}
    for key, value in context.items():
        if isinstance(value, dict) and value.get("@type") == "@id":
            by_iri.setdefault(value["@id"], set()).add(key)
    for relation in relations:
        keys = by_iri.get(str(relation), set())
        assert any(":" in k for k in keys) and any(":" not in k for k in keys), relation
    assert "has_therapeutic_agent" in by_iri["https://w3id.org/cimo/CIMO_0000005"]


USER_DOCUMENT = {
    "@id": "http://example.org/arm/1",
    "CIMO:0000005": "ex:product/1",
    "RO:0002436": "http://example.org/protein/9",
    "is_used_to_treat": "CIMO:0000141",
}
EXPECTED_OBJECTS = {
    "https://w3id.org/cimo/CIMO_0000005": "ex:product/1",
    "http://purl.obolibrary.org/obo/RO_0002436": "http://example.org/protein/9",
    "https://w3id.org/cimo/CIMO_0000006": "https://w3id.org/cimo/CIMO_0000141",
}


def _links(expanded: list) -> dict[str, object]:
    (node,) = expanded
    return {key: values[0] for key, values in node.items() if key != "@id"}


def test_a_users_relation_values_expand_to_iris_not_strings(release_dir: Path) -> None:
    document = {"@context": "cimo.context.jsonld", **USER_DOCUMENT}
    options = {"documentLoader": local_loader(release_dir), "base": "http://example.org/"}
    links = _links(jsonld.expand(document, options))
    assert links == {iri: {"@id": value} for iri, value in EXPECTED_OBJECTS.items()}


# --- JSON-LD 1.0: jsonld-java (Debian libjsonld-java), a 1.0 processor -----------------

JSONLD_JAVA = [
    "jsonld-java",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "httpclient",
    "httpcore",
    "httpclient-cache",
    "commons-codec",
    "commons-logging",
    "commons-io",
    "slf4j-api",
    "slf4j-nop",
]
READER_1_0 = Path(__file__).resolve().parent / "java" / "JsonLd10.java"


def read_with_json_ld_1_0(document: Path, contexts: Path) -> subprocess.CompletedProcess[str]:
    jars = [Path(f"/usr/share/java/{jar}.jar") for jar in JSONLD_JAVA]
    missing = [str(j) for j in jars if not j.exists()]
    assert not missing, f"install libjsonld-java (make system-test does): {missing}"
    return subprocess.run(
        ["java", "-cp", ":".join(map(str, jars)), str(READER_1_0), str(document), str(contexts)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_a_json_ld_1_0_processor_reads_the_1_0_context_and_refuses_the_1_1_one(
    release_dir: Path, tmp_path: Path
) -> None:
    """Why both contexts ship; and with the 1.0 one, a user's values are IRIs there too."""
    old = _context(release_dir, "cimo.context-1.0.jsonld")
    assert "@version" not in old
    assert not any(isinstance(v, dict) and "@prefix" in v for v in old.values())
    for name in ("cimo.context.jsonld", "cimo.context-1.0.jsonld"):
        (tmp_path / name).write_bytes((release_dir / name).read_bytes())
    user = tmp_path / "user.jsonld"
    user.write_text(json.dumps({"@context": "cimo.context-1.0.jsonld", **USER_DOCUMENT}))
    result = read_with_json_ld_1_0(user, tmp_path)
    assert result.returncode == 0, result.stderr
    got = {
        (t[1].toPython(), t[2].toPython()) for t in Graph().parse(data=result.stdout, format="nt")
    }
    assert got == {(p, o) for p, o in EXPECTED_OBJECTS.items()}
    user.write_text(json.dumps({"@context": "cimo.context.jsonld", **USER_DOCUMENT}))
    refused = read_with_json_ld_1_0(user, tmp_path)
    assert refused.returncode != 0 and "1.1" in refused.stderr


def test_the_release_document_reads_the_same_in_json_ld_1_0(
    release_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "cimo.context-1.0.jsonld").write_bytes(
        (release_dir / "cimo.context-1.0.jsonld").read_bytes()
    )
    document = json.loads((release_dir / "cimo.jsonld").read_text())
    document["@context"] = "cimo.context-1.0.jsonld"
    (tmp_path / "cimo.jsonld").write_text(json.dumps(document))
    result = read_with_json_ld_1_0(tmp_path / "cimo.jsonld", tmp_path)
    assert result.returncode == 0, result.stderr
    from_1_0 = Graph().parse(data=result.stdout, format="nt")
    assert same_graph(from_1_0, Graph().parse(release_dir / "cimo.ttl", format="turtle"))


# --- cimo validate reads JSON-LD that names the shipped context -------------------------

W3ID_CONTEXT = "https://w3id.org/cimo/cimo.context.jsonld"


def _dataset(folder: Path, context: str) -> Path:
    """An arm whose agent is a resource (fine) and whose disease is a CIMO class (a mistake
    the shapes catch only if the value is read as an IRI)."""
    path = folder / "arms.jsonld"
    path.write_text(
        json.dumps(
            {
                "@context": context,
                "@id": "http://example.org/arm/1",
                "CIMO:0000005": "http://example.org/product/1",
                "is_used_to_treat": "CIMO:0000141",
            }
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "context",
    ["cimo.context.jsonld", W3ID_CONTEXT, "https://w3id.org/cimo/cimo.context-1.0.jsonld"],
)
def test_validate_reads_json_ld_naming_the_shipped_context(
    release_dir: Path, tmp_path: Path, context: str
) -> None:
    (tmp_path / "cimo.context.jsonld").write_bytes(
        (release_dir / "cimo.context.jsonld").read_bytes()
    )
    result = run_cimo("validate", str(_dataset(tmp_path, context)))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "relation_object_is_an_instance" in result.stdout  # CIMO:0000141 read as an IRI
    assert "relation_object_is_a_resource" not in result.stdout  # ex:product/1 too


def test_the_shipped_context_is_never_fetched_and_its_absence_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no checkout, so no build/ to fall back on
    data = _dataset(tmp_path, W3ID_CONTEXT)
    with pytest.raises(InputError, match="never fetched"):
        with_local_context(data, data.read_bytes())
    other = json.dumps({"@context": "https://example.org/other.jsonld"}).encode()
    assert with_local_context(data, other) == other  # left for the parser to refuse
