"""OWL Functional Syntax, one axiom per line, for axiom-level diffs.

py-horned-owl reads the RDF/XML release and writes OFN that the OWL API loads.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyhornedowl

from cimo.vocab import STANDARD_PREFIXES

OFN_PREFIXES = ("CIMO", "dcterms", "obo", "oboInOwl", "owl", "rdf", "rdfs", "skos", "vann", "xsd")


def serialize(rdfxml: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="cimo-ofn-") as tmp:
        source = Path(tmp) / "cimo.owl"
        source.write_bytes(rdfxml)
        ontology = pyhornedowl.open_ontology_from_file(str(source), "owl")
        for prefix in OFN_PREFIXES:
            ontology.add_prefix_mapping(prefix, STANDARD_PREFIXES[prefix])
        text = ontology.save_to_string("ofn")
    head, _, body = text.partition("Ontology(")
    # Horned-OWL keeps axioms in a set; sort the body lines so output is stable.
    lines = body.rstrip().removesuffix(")").splitlines()
    first, axioms = lines[0], sorted(line for line in lines[1:] if line.strip())
    return (head + "Ontology(" + first + "\n" + "\n".join(axioms) + "\n)\n").encode("utf-8")
