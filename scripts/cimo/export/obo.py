"""The OBO stack: ``cimo.owl``, ``cimo.ofn`` and ``cimo.obo`` from the OWL API, and
``cimo.json`` (OBO Graphs) from fastobo.

Each file comes from a maintained converter, never from a writer of our own:
the OWL API for RDF/XML, Functional Syntax and OBO (the translation ROBOT
uses), and fastobo-graphs (the library pronto's JSON export calls) for OBO
Graphs, read from the OBO file so both OBO formats tell the same story.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from cimo.export import owlapi
from cimo.vocab import ONTOLOGY_IRI

OWLAPI_FILES = ["cimo.owl", "cimo.ofn", "cimo.obo"]
#: Namespaces of vocabularies, not identifier spaces: never an OBO idspace.
NOT_IDSPACES = {"skos", "semapv", "owl", "rdf", "rdfs", "xsd", "cimo_project", "bioregistry"}


def obographs(obo: bytes, version_iri: str) -> bytes:
    """OBO Graphs JSON of an OBO document, converted by fastobo-graphs.

    fastobo-graphs names the graph ``<OBO PURL><ontology>.owl``, which is right
    only for ontologies under the OBO PURL; the graph's IRI and version IRI are
    set to CIMO's own.
    """
    import fastobo

    with tempfile.TemporaryDirectory(prefix="cimo-obographs-") as tmp:
        source, target = Path(tmp) / "cimo.obo", Path(tmp) / "cimo.json"
        source.write_bytes(obo)
        fastobo.dump_graph(fastobo.load(str(source)), str(target))
        document = json.loads(target.read_bytes())
    for graph in document["graphs"]:
        graph["id"] = ONTOLOGY_IRI
        if graph.get("meta"):
            graph["meta"]["version"] = version_iri
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _settle_ties(obo: bytes) -> bytes:
    """Clauses that differ only in their qualifiers, in a fixed order.

    The OWL API's OBO writer sorts a frame's clauses by tag and value but leaves
    ties (one annotation asserted twice with different axiom annotations, such as a
    status per jurisdiction) in the order of a Java hash set, which changes from run
    to run. Sorting each run of tied lines by its full text makes the bytes a
    function of the ontology again.
    """
    lines = obo.decode("utf-8").split("\n")
    out: list[str] = []
    run: list[str] = []

    def key(line: str) -> str:
        return line.split(" {", 1)[0]

    for line in lines:
        if run and key(line) != key(run[0]):
            out.extend(sorted(run))
            run = []
        run.append(line)
    out.extend(sorted(run))
    return "\n".join(out).encode("utf-8")


def owlapi_files(
    turtle: bytes,
    curie_map: dict[str, str],
    version_iri: str,
    also: list[tuple[bytes, list[str]]] | None = None,
) -> tuple[dict[str, bytes], list[dict[str, bytes]]]:
    """Every release file the OWL API and fastobo derive from the Turtle release.

    ``curie_map`` (the SSSOM table's) gives the OBO id spaces of cross-references.
    ``also`` are more ``owlapi.convert`` jobs (the release diff's) run in the same
    JVM; what they wrote is returned beside the files.
    """
    idspaces = {p: iri for p, iri in curie_map.items() if p not in NOT_IDSPACES}
    files, *written = owlapi.convert([(turtle, OWLAPI_FILES), *(also or [])], idspaces)
    files["cimo.obo"] = _settle_ties(files["cimo.obo"])
    files["cimo.json"] = obographs(files["cimo.obo"], version_iri)
    return files, written
