"""Class membership over the data *and* CIMO, without property paths in SPARQL.

SHACL's ``sh:class C`` asks whether a node has an ``rdf:type`` whose
``rdfs:subClassOf*`` reaches C. Written as a SPARQL property path that is
very slow on oxigraph (the path is re-evaluated for every focus node) and
unreliable on other endpoints, and CIMO's hierarchy is not in the user's
store anyway. So the hierarchy is resolved here, once: the distinct types
the data uses, their superclasses in the data (fetched level by level) and in
CIMO. A ``sh:class C`` then compiles to "has a type in this short list", and
"is itself one of CIMO's own instances of C" (for example a CIMO class, which
is an instance of ``owl:Class`` in CIMO's term graph).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache

import pyoxigraph as ox

from cimo.linking.catalog import RDF_TYPE, RDFS_SUBCLASS, Catalog
from cimo.linking.validate.sparql import QueryRunner

BATCH = 200


class ClassIndex:
    """Superclasses in the union of the data's own axioms and CIMO's hierarchy."""

    def __init__(
        self, catalog: Catalog, data_types: Iterable[str], data_parents: dict[str, set[str]]
    ) -> None:
        self.catalog = catalog
        self.data_types = sorted(set(data_types))
        self.data_parents = data_parents
        self.ancestors = cache(self._ancestors)

    def _ancestors(self, cls: str) -> frozenset[str]:
        seen = {cls}
        stack = [cls]
        while stack:
            current = stack.pop()
            for parent in (
                *self.catalog.parents.get(current, ()),
                *self.data_parents.get(current, ()),
            ):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return frozenset(seen)

    def types_within(self, cls: str) -> list[str]:
        """The data's types whose instances are instances of ``cls``."""
        return [t for t in self.data_types if cls in self.ancestors(t)]

    def catalog_instances(self, cls: str) -> list[str]:
        """CIMO's own resources (classes, properties, individuals) that are instances of ``cls``."""
        return sorted(
            iri
            for iri, kinds in self.catalog.types.items()
            if any(cls in self.ancestors(k) for k in kinds)
        )

    def cimo_classes_of(self, types: Iterable[str]) -> list[str]:
        """The most specific CIMO classes among the superclasses of ``types``, for messages."""
        reached = {a for t in types for a in self.ancestors(t) if a in self.catalog.terms}
        return sorted(
            c
            for c in reached
            if not any(c != other and c in self.ancestors(other) for other in reached)
        )


def _values(iris: list[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def _iri(node: object) -> str | None:
    return node.value if isinstance(node, ox.NamedNode) else None


def fetch_class_index(catalog: Catalog, runner: QueryRunner) -> ClassIndex:
    """Ask the data (store or endpoint) for its types and, level by level, their superclasses."""
    rows = runner.select(
        f"SELECT DISTINCT ?t WHERE {{ ?x <{RDF_TYPE}> ?t . FILTER(isIRI(?t)) }}", order_by="t"
    )
    data_types = {iri for row in rows if (iri := _iri(row.get("t")))}
    parents: dict[str, set[str]] = defaultdict(set)
    frontier = sorted(data_types)
    seen = set(frontier)
    while frontier:
        batch, frontier = frontier[:BATCH], frontier[BATCH:]
        query = (
            f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {_values(batch)} }} "
            f"?a <{RDFS_SUBCLASS}> ?b . FILTER(isIRI(?b)) }}"
        )
        for row in runner.select(query):
            child, parent = _iri(row.get("a")), _iri(row.get("b"))
            if child is None or parent is None:
                continue
            parents[child].add(parent)
            if parent not in seen:
                seen.add(parent)
                frontier.append(parent)
        for cls in batch:
            for parent in catalog.parents.get(cls, ()):
                if parent not in seen:
                    seen.add(parent)
                    frontier.append(parent)
    return ClassIndex(catalog, data_types, dict(parents))
