"""One validation result, in the shape of a SHACL ``sh:ValidationResult``.

Term checks and shape checks both produce these, so the text output, the
SHACL report and the comparison with pyshacl in the tests treat them alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from cimo.linking.catalog import curie

SH = "http://www.w3.org/ns/shacl#"
VIOLATION = SH + "Violation"
SHAPES_NS = "https://w3id.org/cimo/shapes/data#"

Node = ox.NamedNode | ox.BlankNode | ox.Literal
#: vocabularies shown with their usual prefix in messages
SHORT = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dcterms:",
}


@dataclass(frozen=True)
class Finding:
    shape: str
    component: str
    focus: Node
    message: str
    severity: str = VIOLATION
    value: Node | None = None
    #: how often the IRI occurs (term checks), for people; not part of the SHACL result
    uses: int = 0
    #: one triple that shows where the focus node occurs, for people
    context: str | None = None

    @property
    def check(self) -> str:
        """The shape's local name, e.g. ``existing_term`` or ``evaluates_object``."""
        return self.shape[len(SHAPES_NS) :] if self.shape.startswith(SHAPES_NS) else self.shape

    def key(self) -> tuple[str, str, str]:
        return (self.shape, self.component, str(self.focus))


def show(node: Node | ox.Triple | None) -> str:
    """A node for people: CIMO terms as CURIEs, other IRIs in brackets, literals quoted."""
    if node is None:
        return ""
    if isinstance(node, ox.NamedNode):
        for namespace, prefix in SHORT.items():
            local = node.value[len(namespace) :]
            if node.value.startswith(namespace) and local.isidentifier():
                return prefix + local
        return curie(node.value)
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    if isinstance(node, ox.Triple):  # RDF 1.2 quoted triple
        return f"<< {show(node.subject)} {show(node.predicate)} {show(node.object)} >>"
    return f'"{node.value}"'
