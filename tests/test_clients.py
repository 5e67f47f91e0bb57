"""Independent tools accept the release: the OWL API (what Protégé is built on) and rapper.

OWL API 5.1.20 is run with the format given explicitly. Its strict mode cannot
be used here: in that version strict RDF parsing rejects an ordinary logical
definition, ``EquivalentClasses(A ObjectIntersectionOf(B ObjectSomeValuesFrom(p C)))``,
even with every entity declared and every node typed (see
``tests/fixtures/owlapi/strict-restriction.ttl``, which the test below keeps honest).
The check that strict mode would give, nothing left unparsed, is asserted
directly on the loader's metadata instead.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO

JARS = [
    "owlapi-api",
    "owlapi-impl",
    "owlapi-parsers",
    "owlapi-apibinding",
    "owlapi-oboformat",
    "guava",
    "slf4j-api",
    "slf4j-nop",
    "caffeine",
    "commons-rdf-api",
    "hppcrt",
    "xz",
    "commons-io",
    "atinject-jsr330-api",
    "jsr305",
]
CHECKER = REPO / "tests" / "java" / "OwlApiCheck.java"


def owlapi(kind: str, path: Path, mode: str = "lax", dump: bool = False) -> dict[str, list[str]]:
    classpath = ":".join(f"/usr/share/java/{jar}.jar" for jar in JARS)
    missing = [p for p in classpath.split(":") if not Path(p).exists()]
    assert not missing, f"install libowlapi-java (make test does): {missing}"
    result = subprocess.run(
        [
            "java",
            "-cp",
            classpath,
            str(CHECKER),
            kind,
            str(path),
            mode,
            *(["dump"] if dump else []),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    facts: dict[str, list[str]] = {"exit": [str(result.returncode)], "stderr": [result.stderr]}
    for line in result.stdout.splitlines():
        key, _, value = line.partition("\t")
        facts.setdefault(key, []).append(value)
    return facts


@pytest.fixture(scope="module")
def loaded(release_dir: Path) -> dict[str, dict[str, list[str]]]:
    return {
        kind: owlapi(kind, release_dir / name, dump=True)
        for kind, name in (("rdfxml", "cimo.owl"), ("turtle", "cimo.ttl"), ("ofn", "cimo.ofn"))
    }


@pytest.mark.parametrize("kind", ["rdfxml", "turtle", "ofn"])
def test_owlapi_loads_with_nothing_unparsed_and_inside_owl2_dl(
    loaded: dict[str, dict[str, list[str]]], kind: str
) -> None:
    facts = loaded[kind]
    assert facts["exit"] == ["0"], facts["stderr"]
    assert facts["unparsed"] == ["0"], facts.get("unparsed_triple")
    assert facts["error_entities"] == ["0"]
    assert facts["dl_violations"] == ["0"], facts.get("violation")
    assert facts["ontology"] == ["https://w3id.org/cimo/cimo.owl"]


def test_owlapi_sees_the_same_ontology_in_every_format(
    loaded: dict[str, dict[str, list[str]]],
) -> None:
    """cimo.owl and cimo.ofn are written by the OWL API from cimo.ttl; reading each back
    must give the very same axioms, annotations included (not only the same counts)."""
    for key in ("ontology", "version", "axioms", "logical_axioms"):
        values = {kind: facts[key][0] for kind, facts in loaded.items()}
        assert len(set(values.values())) == 1, (key, values)
    assert int(loaded["ofn"]["logical_axioms"][0]) > 300
    turtle = loaded["turtle"]["axiom"]
    assert len(turtle) == int(loaded["turtle"]["axioms"][0])
    for kind in ("rdfxml", "ofn"):
        assert loaded[kind]["axiom"] == turtle, kind


def test_owlapi_checks_fire_on_a_malformed_class_expression() -> None:
    """A class expression the OWL API cannot translate shows up as an error entity and as
    OWL 2 DL violations (undeclared entities), so the assertions above can fail."""
    facts = owlapi("turtle", FIXTURES / "owlapi" / "malformed-class-expression.ttl")
    assert facts["error_entities"] != ["0"]
    assert facts["dl_violations"] != ["0"]


def test_owlapi_strict_mode_still_rejects_logical_definitions() -> None:
    """Documents why strict mode is not used; fails once the OWL API is fixed."""
    facts = owlapi("turtle", FIXTURES / "owlapi" / "strict-restriction.ttl", "strict")
    lax = owlapi("turtle", FIXTURES / "owlapi" / "strict-restriction.ttl", "lax")
    assert lax["unparsed"] == ["0"]
    assert facts["exit"] != ["0"] or facts["unparsed"] != ["0"]


@pytest.mark.parametrize(
    ("name", "syntax"),
    [
        ("cimo.ttl", "turtle"),
        ("cimo.owl", "rdfxml"),
        ("cimo.nt", "ntriples"),
        ("cimo-edges.ttl", "turtle"),
    ],
)
def test_rapper_parses_the_release(release_dir: Path, name: str, syntax: str) -> None:
    assert shutil.which("rapper"), "install raptor2-utils (make test does)"
    result = subprocess.run(
        ["rapper", "-i", syntax, "-c", str(release_dir / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Parsing returned" in result.stderr
