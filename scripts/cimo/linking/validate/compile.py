"""Compile the data shapes to SPARQL SELECT queries, one per shape constraint.

A query returns the focus nodes that fail the constraint, with one triple
that made each a focus node (for the message). The same text runs on the
embedded store and on a user's endpoint; ``sh:class`` is resolved through the
``ClassIndex`` into ``IN`` lists, so no query needs CIMO's hierarchy to be
loaded where the data is (see ``compile_shapes`` for CIMO's own types).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pyoxigraph as ox

from cimo.linking.catalog import RDF_TYPE
from cimo.linking.validate.classes import ClassIndex
from cimo.linking.validate.shapes import (
    AllOf,
    AnyOf,
    ClassOf,
    Constraint,
    Expr,
    NodeKind,
    Not,
    OneOf,
    Pattern,
    Shape,
)

FOCUS, FROM, TO, VIA = "focus", "from", "to", "via"


@dataclass(frozen=True)
class CompiledCheck:
    shape: Shape
    constraint: Constraint
    query: str


def _term(term: ox.NamedNode | ox.Literal) -> str:
    return str(term)


def _iri_list(iris: list[str]) -> str:
    return ", ".join(f"<{iri}>" for iri in iris)


def _values(var: str, iris: list[str] | tuple[str, ...]) -> str:
    return f"VALUES {var} {{ {' '.join(f'<{iri}>' for iri in iris)} }}"


def _string(text: str) -> str:
    return str(ox.Literal(text))


class _Compiler:
    def __init__(self, classes: ClassIndex, catalog_in_data: bool) -> None:
        self.classes = classes
        self.catalog_in_data = catalog_in_data
        self.counter = itertools.count()

    def _own(self, classes: list[str]) -> list[str]:
        """CIMO's own instances of ``classes``, when the data does not hold CIMO's types."""
        if self.catalog_in_data:
            return []
        return sorted({i for c in classes for i in self.classes.catalog_instances(c)})

    def _classes(self, var: str, classes: list[str]) -> str:
        """Instance of any of ``classes``: a data type in the list, or CIMO's own instance."""
        types = sorted({t for c in classes for t in self.classes.types_within(c)})
        own = self._own(classes)
        parts = []
        if types:
            t = f"?t{next(self.counter)}"
            parts.append(f"EXISTS {{ {var} <{RDF_TYPE}> {t} . "
                         f"FILTER({t} IN ({_iri_list(types)})) }}")
        if own:
            parts.append(f"({var} IN ({_iri_list(own)}))")
        return "(" + " || ".join(parts) + ")" if parts else "false"

    def expr(self, var: str, expr: Expr) -> str:
        if isinstance(expr, ClassOf):
            return self._classes(var, [expr.cls])
        if isinstance(expr, AnyOf):
            # sh:or of sh:class alternatives is one membership test, not one EXISTS each
            classes = [p.cls for p in expr.parts if isinstance(p, ClassOf)]
            rest = [self.expr(var, p) for p in expr.parts if not isinstance(p, ClassOf)]
            parts = ([self._classes(var, classes)] if classes else []) + rest
            return "(" + " || ".join(parts) + ")" if parts else "false"
        if isinstance(expr, AllOf):
            parts = [self.expr(var, p) for p in expr.parts]
            return "(" + " && ".join(parts) + ")" if parts else "true"
        if isinstance(expr, Not):
            return f"(!{self.expr(var, expr.part)})"
        if isinstance(expr, NodeKind):
            tests = {"IRI": f"isIRI({var})", "BlankNode": f"isBlank({var})",
                     "Literal": f"isLiteral({var})"}
            kinds = [k for k in ("IRI", "BlankNode", "Literal") if k in expr.kind]
            return "(" + " || ".join(tests[k] for k in kinds) + ")"
        if isinstance(expr, OneOf):
            parts = [f"sameTerm({var}, {_term(v)})" for v in expr.values]
            return "(" + " || ".join(parts) + ")" if parts else "false"
        if isinstance(expr, Pattern):
            return (f"(!isBlank({var}) && REGEX(STR({var}), {_string(expr.regex)}, "
                    f"{_string(expr.flags)}))")
        raise TypeError(f"cannot compile {expr!r}")

    def targets(self, shape: Shape) -> str:
        t = shape.targets
        groups = []
        if t.subjects_of:
            groups.append(f"{{ ?focus ?p0 ?o0 . {_values('?p0', t.subjects_of)} }}")
        if t.objects_of:
            groups.append(f"{{ ?s0 ?p0 ?focus . {_values('?p0', t.objects_of)} }}")
        if t.classes:
            types = sorted({x for c in t.classes for x in self.classes.types_within(c)})
            own = self._own(list(t.classes))
            if types:
                groups.append(f"{{ ?focus <{RDF_TYPE}> ?tt . "
                              f"FILTER(?tt IN ({_iri_list(types)})) }}")
            if own:
                groups.append(f"{{ {_values('?focus', own)} }}")
        if t.nodes:
            groups.append(f"{{ VALUES ?focus {{ {' '.join(str(n) for n in t.nodes)} }} }}")
        return " UNION ".join(groups) if groups else "FILTER(false)"


def compile_shapes(shapes: list[Shape], classes: ClassIndex, catalog_in_data: bool = False
                   ) -> list[CompiledCheck]:
    """One query per (shape, constraint), answering the failing focus nodes.

    ``catalog_in_data``: the store also holds the ``rdf:type`` triples of CIMO's term
    graph, so "is CIMO's own instance of C" is an index lookup rather than a long ``IN``
    list (which oxigraph compares item by item for every focus node). A user's endpoint
    cannot be written to, so there the lists are inlined.
    """
    compiler = _Compiler(classes, catalog_in_data)
    checks = []
    for shape in shapes:
        where = compiler.targets(shape)
        for constraint in shape.constraints:
            test = compiler.expr("?focus", constraint.expr)
            # Test each distinct focus node once (a node is often the target of many triples),
            # then fetch one triple per failing node for the message.
            distinct = f"{{ SELECT DISTINCT ?{FOCUS} WHERE {{ {where} }} }}"
            failing = f"{{ SELECT ?{FOCUS} WHERE {{ {distinct} FILTER(!{test}) }} }}"
            query = (f"SELECT ?{FOCUS} (SAMPLE(?s0) AS ?{FROM}) (SAMPLE(?o0) AS ?{TO}) "
                     f"(SAMPLE(?p0) AS ?{VIA}) WHERE {{ {failing} OPTIONAL {{ {where} }} }} "
                     f"GROUP BY ?{FOCUS}")
            checks.append(CompiledCheck(shape, constraint, query))
    return checks
