"""Stage 4: classify with HermiT and add the inferred direct superclasses.

A release that contradicts itself, or has a class nothing can belong to, is a
modelling error, so both stop the build with the offending classes named.
Like an ODK "full" release, the output then carries the inferred direct
superclasses, so that users without a reasoner see the classified hierarchy.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import owlready2
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from cimo.errors import BuildError, Problem
from cimo.vocab import CIMO_NS

log = logging.getLogger(__name__)


def _label(cls: owlready2.ThingClass) -> str:
    labels = list(cls.label)
    return f"{cls.iri} ({labels[0]})" if labels else cls.iri


class _Ancestors:
    """Each class's strict ancestors, asked of owlready2 once per class.

    owlready2 walks the hierarchy again on every ``ancestors()`` call; asking it for
    every pair of a class's ancestors made this stage quadratic in the depth of the
    hierarchy times its size (a 100x synthetic CIMO did not finish in 15 minutes).
    """

    def __init__(self) -> None:
        self._known: dict[owlready2.ThingClass, frozenset[owlready2.ThingClass]] = {}

    def __call__(self, cls: owlready2.ThingClass) -> frozenset[owlready2.ThingClass]:
        found = self._known.get(cls)
        if found is None:
            found = frozenset(cls.ancestors(include_self=False)) - {owlready2.Thing}
            self._known[cls] = found
        return found


def _minimal(
    classes: set[owlready2.ThingClass], ancestors: _Ancestors
) -> set[owlready2.ThingClass]:
    """Drop every class that is a strict ancestor of another one in the set (an
    ancestor that is also a descendant, i.e. equivalent, is kept)."""
    result = set(classes)
    for other in classes:
        for cls in ancestors(other) & classes:
            if other not in ancestors(cls):
                result.discard(cls)
    return result


@dataclass
class Classification:
    """What HermiT adds: direct superclasses, and equivalences between named classes."""

    superclasses: Graph
    equivalences: list[tuple[URIRef, URIRef]]


def classify(graph: Graph) -> Classification:
    """Classify; return inferred direct superclasses not already asserted, and named
    equivalences (which QC rejects unless asserted)."""
    with tempfile.TemporaryDirectory(prefix="cimo-reason-") as tmp:
        path = Path(tmp) / "merged.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load()
        try:
            with world.get_ontology("http://cimo.invalid/inferred/"):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as err:
            raise BuildError(
                "reason",
                [
                    Problem(
                        "HermiT finds the ontology inconsistent",
                        "look for an individual or class that violates a disjointness or a "
                        "domain/range axiom; open cimo.owl in Protégé and use "
                        "'Explain inconsistency'",
                        file="ontology/",
                    )
                ],
            ) from err
        unsatisfiable = sorted(
            (c for c in world.inconsistent_classes() if c is not owlready2.Nothing),
            key=lambda c: c.iri,
        )
        if unsatisfiable:
            raise BuildError(
                "reason",
                [
                    Problem(
                        "HermiT finds this class unsatisfiable (equivalent to owl:Nothing)",
                        "check its superclasses and restrictions against the disjointness axioms",
                        term=_label(c),
                    )
                    for c in unsatisfiable
                ],
            )
        inferred = Graph()
        equivalences: list[tuple[URIRef, URIRef]] = []
        ancestors = _Ancestors()
        for cls in world.classes():
            if not cls.iri.startswith(CIMO_NS):
                continue
            all_ancestors = set(ancestors(cls))
            equivalent = {a for a in all_ancestors if cls in ancestors(a)}
            equivalences.extend((URIRef(cls.iri), URIRef(e.iri)) for e in equivalent)
            for parent in _minimal(all_ancestors - equivalent, ancestors):
                triple = (URIRef(cls.iri), RDFS.subClassOf, URIRef(parent.iri))
                if triple not in graph:
                    inferred.add(triple)
        world.close()
    return Classification(inferred, sorted(equivalences))
