"""Judge each CIMO IRI a dataset uses: does it exist, is it live, is its role right?

The checks are declared as shapes in ``shapes/data/terms.ttl``; this module
is their implementation on a summary of the data (each IRI with its use count
and roles), which the streaming reader or the endpoint queries produce. A
"did you mean" is added to every unknown IRI and the replacement to every
deprecated term.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from cimo.linking.catalog import Catalog
from cimo.linking.suggest import did_you_mean
from cimo.linking.validate.findings import SHAPES_NS, Finding

SPARQL_COMPONENT = "http://www.w3.org/ns/shacl#SPARQLConstraintComponent"
EXISTING = SHAPES_NS + "existing_term"
LIVE = SHAPES_NS + "live_term"
PREDICATE = SHAPES_NS + "predicate_is_a_property"
TYPE = SHAPES_NS + "type_is_a_class"
TERM_SHAPES = (EXISTING, LIVE, PREDICATE, TYPE)

#: the canonical namespace, and the http:// spelling people type by mistake
NAMESPACES = ("https://w3id.org/cimo/", "http://w3id.org/cimo/")
AS_PREDICATE, AS_CLASS = "predicate", "class"


def in_scope(iri: str) -> bool:
    """A term-like IRI of the CIMO namespace: no '/' or '#' after the namespace.

    Documents under the namespace (``releases/...``, ``shapes/...``) are not terms.
    """
    for namespace in NAMESPACES:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            return bool(local) and "/" not in local and "#" not in local
    return False


@dataclass
class Usage:
    uses: int = 0
    roles: set[str] = field(default_factory=set)
    #: one triple per role (None: any position) showing where the IRI occurs
    examples: dict[str | None, str] = field(default_factory=dict)

    def example(self, role: str | None = None) -> str | None:
        return self.examples.get(role) or self.examples.get(None)


def _uses(usage: Usage) -> str:
    return f"{usage.uses} use{'s' if usage.uses != 1 else ''}"


def judge(catalog: Catalog, iri: str, usage: Usage) -> list[Finding]:
    """The findings for one CIMO IRI of the data."""
    node = ox.NamedNode(iri)
    common: dict[str, Any] = {
        "focus": node,
        "value": node,
        "component": SPARQL_COMPONENT,
        "uses": usage.uses,
        "context": usage.example(),
    }
    term = catalog.term(iri) if iri in catalog.namespace_iris else None
    if iri not in catalog.namespace_iris:
        return [
            Finding(
                EXISTING,
                message=f"{iri} is not a CIMO term ({_uses(usage)}); {did_you_mean(catalog, iri)}",
                **common,
            )
        ]
    findings = []
    if term is not None and term.deprecated:
        replacement = (
            f"use {catalog.describe(term.replaced_by)} instead"
            if term.replaced_by
            else "it has no recorded replacement"
        )
        findings.append(
            Finding(
                LIVE,
                message=f"{catalog.describe(iri)} is deprecated ({_uses(usage)}); {replacement}",
                **common,
            )
        )
    if AS_PREDICATE in usage.roles and not (term is not None and term.is_property):
        kind = term.kind if term is not None else "resource"
        findings.append(
            Finding(
                PREDICATE,
                message=f"{catalog.describe(iri)} is a CIMO {kind}, "
                "not a property, but is used as a predicate",
                **{**common, "context": usage.example(AS_PREDICATE)},
            )
        )
    if AS_CLASS in usage.roles and not (term is not None and term.is_class):
        kind = term.kind if term is not None else "resource"
        findings.append(
            Finding(
                TYPE,
                message=f"{catalog.describe(iri)} is a CIMO {kind}, not a "
                "class, but is used as the object of rdf:type or "
                "rdfs:subClassOf",
                **{**common, "context": usage.example(AS_CLASS)},
            )
        )
    return findings


def judge_all(catalog: Catalog, usages: dict[str, Usage]) -> list[Finding]:
    return [f for iri in sorted(usages) for f in judge(catalog, iri, usages[iri])]
