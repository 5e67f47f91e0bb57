"""The CIMO IRIs an endpoint's data uses, with counts and roles, by SPARQL.

This is what the streaming reader collects from files, asked of a store we
cannot stream: one query per position (subject, predicate, object, object of
``rdf:type``/``rdfs:subClassOf``), each filtered to the CIMO namespaces and
grouped, so only the distinct CIMO IRIs travel over the network.
"""

from __future__ import annotations

import pyoxigraph as ox

from cimo.linking.catalog import RDF_TYPE, RDFS_SUBCLASS
from cimo.linking.validate.sparql import QueryRunner
from cimo.linking.validate.terms import AS_CLASS, AS_PREDICATE, NAMESPACES, Usage, in_scope


def _in_namespace(var: str) -> str:
    tests = " || ".join(f'STRSTARTS(STR({var}), "{ns}")' for ns in NAMESPACES)
    return f"isIRI({var}) && ({tests})"


#: position -> (pattern binding ?x, role it gives, whether it counts as a use)
POSITIONS: dict[str, tuple[str, str | None, bool]] = {
    "subject": ("?x ?p ?o", None, True),
    "predicate": ("?s ?x ?o", AS_PREDICATE, True),
    "object": ("?s ?p ?x", None, True),
    "class": (f"?s ?p ?x . VALUES ?p {{ <{RDF_TYPE}> <{RDFS_SUBCLASS}> }}", AS_CLASS, False),
}


def collect_usages(runner: QueryRunner) -> dict[str, Usage]:
    usages: dict[str, Usage] = {}
    for pattern, role, counts in POSITIONS.values():
        query = (
            f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ {pattern} . FILTER({_in_namespace('?x')}) }}"
            " GROUP BY ?x"
        )
        for row in runner.select(query, order_by="x"):
            node, count = row.get("x"), row.get("n")
            if not isinstance(node, ox.NamedNode) or not in_scope(node.value):
                continue
            usage = usages.setdefault(node.value, Usage())
            if role is not None:
                usage.roles.add(role)
            if counts and isinstance(count, ox.Literal):
                usage.uses += int(count.value)
    return usages
