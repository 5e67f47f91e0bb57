"""Compile the data shapes to SPARQL SELECT queries, one per shape constraint.

A query returns the focus nodes that fail the constraint, with one triple
that made each a focus node (for the message). The same text runs on the
embedded store and on a user's endpoint; ``sh:class`` is resolved through the
``ClassIndex`` into ``IN`` lists, so no query needs CIMO's hierarchy to be
loaded where the data is (see ``compile_shapes`` for CIMO's own types).

``compile_graph_shapes`` compiles the build's QC shapes the same way, for a
store that holds the whole graph: ``sh:class`` and ``sh:targetClass`` then
follow the graph's own ``rdfs:subClassOf``, property shapes become
``EXISTS``/``NOT EXISTS`` tests over their path, and SHACL-SPARQL constraints
are joined with their shape's focus nodes (``$this``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pyoxigraph as ox

from cimo.linking.catalog import RDF_TYPE
from cimo.linking.validate.classes import ClassIndex
from cimo.linking.validate.shapes import (
    AllOf,
    AnyOf,
    ClassOf,
    Constraint,
    Count,
    Datatype,
    Every,
    Expr,
    HasValue,
    NodeKind,
    Not,
    OneOf,
    Pattern,
    Shape,
    SparqlSelect,
)

RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
#: lexical forms a datatype accepts; a literal outside them is ill-typed (fails sh:datatype)
WELL_FORMED = {
    XSD_BOOLEAN: "^(true|false|1|0)$",
    "http://www.w3.org/2001/XMLSchema#integer": "^[+-]?[0-9]+$",
}

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
        #: when a list, the focus node's class tests become OPTIONAL lookups gathered here
        self.lookups: list[str] | None = None

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
            lookup = f"{var} <{RDF_TYPE}> {t} . FILTER({t} IN ({_iri_list(types)}))"
            if self.lookups is not None and var == f"?{FOCUS}":
                self.lookups.append(f"OPTIONAL {{ {lookup} }}")
                parts.append(f"BOUND({t})")
            else:
                parts.append(f"EXISTS {{ {lookup} }}")
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
            tests = {
                "IRI": f"isIRI({var})",
                "BlankNode": f"isBlank({var})",
                "Literal": f"isLiteral({var})",
            }
            kinds = [k for k in ("IRI", "BlankNode", "Literal") if k in expr.kind]
            return "(" + " || ".join(tests[k] for k in kinds) + ")"
        if isinstance(expr, OneOf):
            parts = [f"sameTerm({var}, {_term(v)})" for v in expr.values]
            return "(" + " || ".join(parts) + ")" if parts else "false"
        if isinstance(expr, Pattern):
            return (
                f"(!isBlank({var}) && REGEX(STR({var}), {_string(expr.regex)}, "
                f"{_string(expr.flags)}))"
            )
        if isinstance(expr, Datatype):
            test = f"(isLiteral({var}) && sameTerm(DATATYPE({var}), <{expr.iri}>)"
            lexical = WELL_FORMED.get(expr.iri)
            return test + (f" && REGEX(STR({var}), {_string(lexical)}))" if lexical else ")")
        if isinstance(expr, Every):
            value = self.fresh()
            return (
                f"(NOT EXISTS {{ {var} <{expr.path}> {value} . "
                f"FILTER(!{self.expr(value, expr.part)}) }})"
            )
        if isinstance(expr, HasValue):
            return f"(EXISTS {{ {var} <{expr.path}> {_term(expr.value)} }})"
        if isinstance(expr, Count):
            return self._count(var, expr)
        raise TypeError(f"cannot compile {expr!r}")

    def fresh(self) -> str:
        return f"?v{next(self.counter)}"

    def _count(self, var: str, expr: Count) -> str:
        """Cardinality 0 or 1 (the reader refuses more): EXISTS and NOT EXISTS tests."""
        tests = []
        if expr.least:
            value = self.fresh()
            keep = f" FILTER({self.expr(value, expr.part)})" if expr.part else ""
            tests.append(f"(EXISTS {{ {var} <{expr.path}> {value} .{keep} }})")
        if expr.most == 0:
            value = self.fresh()
            keep = f" FILTER({self.expr(value, expr.part)})" if expr.part else ""
            tests.append(f"(NOT EXISTS {{ {var} <{expr.path}> {value} .{keep} }})")
        elif expr.most == 1:
            one, two = self.fresh(), self.fresh()
            keep = (
                f" && {self.expr(one, expr.part)} && {self.expr(two, expr.part)}"
                if expr.part
                else ""
            )
            tests.append(
                f"(NOT EXISTS {{ {var} <{expr.path}> {one} . {var} <{expr.path}> "
                f"{two} . FILTER(!sameTerm({one}, {two}){keep}) }})"
            )
        return "(" + " && ".join(tests) + ")" if tests else "true"

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
                groups.append(
                    f"{{ ?focus <{RDF_TYPE}> ?tt . FILTER(?tt IN ({_iri_list(types)})) }}"
                )
            if own:
                groups.append(f"{{ {_values('?focus', own)} }}")
        if t.nodes:
            groups.append(f"{{ VALUES ?focus {{ {' '.join(str(n) for n in t.nodes)} }} }}")
        for select in t.selects:
            groups.append(f"{{ {{ {_body(select)} }} BIND(?this AS ?{FOCUS}) }}")
        return " UNION ".join(groups) if groups else "FILTER(false)"


class _GraphCompiler(_Compiler):
    """Classes are the graph's own: an instance of C is typed C or a subclass of C."""

    def __init__(self) -> None:
        super().__init__(ClassIndex({}, {}, {}), catalog_in_data=True)  # type: ignore[arg-type]

    def _classes(self, var: str, classes: list[str]) -> str:
        # one EXISTS per class with the class as a constant: the path is walked from the
        # node up, never the closure of every type in the graph
        tests = [
            f"EXISTS {{ {var} <{RDF_TYPE}>/<{RDFS_SUBCLASS}>* <{c}> }}" for c in sorted(classes)
        ]
        return "(" + " || ".join(tests) + ")" if tests else "false"

    def targets(self, shape: Shape) -> str:
        classes = shape.targets.classes
        rest = super().targets(
            Shape(
                shape.iri,
                type(shape.targets)(
                    shape.targets.subjects_of,
                    shape.targets.objects_of,
                    (),
                    shape.targets.nodes,
                    shape.targets.selects,
                ),
                shape.constraints,
                shape.message,
                shape.severity,
            )
        )
        if not classes:
            return rest
        # from the class down to its subclasses, then their instances: no path from every node
        by_class = (
            f"{{ {_values('?tt', classes)} ?tc <{RDFS_SUBCLASS}>* ?tt . "
            f"?{FOCUS} <{RDF_TYPE}> ?tc }}"
        )
        return by_class if rest == "FILTER(false)" else f"{by_class} UNION {rest}"


_PREFIX_LINE = re.compile(r"^\s*PREFIX\s+[^\n]*$", re.IGNORECASE | re.MULTILINE)
_THIS = re.compile(r"\$this\b")


def _prefixes(query: str) -> list[str]:
    return [line.strip() for line in _PREFIX_LINE.findall(query)]


def _body(query: str) -> str:
    return _PREFIX_LINE.sub("", query).strip()


@dataclass(frozen=True)
class GraphCheck:
    """One QC query. Rows carry ``focus`` and, where the rule says, ``value`` and ``path``."""

    shape: Shape
    constraint: Constraint
    query: str
    #: ``value``: a row per failing value of ``constraint.path``; ``node``: a row per
    #: failing focus node; ``sparql``: the rows of a SHACL-SPARQL constraint
    kind: str


def compile_graph_shapes(shapes: list[Shape]) -> list[GraphCheck]:
    """One query per (shape, constraint) over a store holding the whole graph."""
    compiler = _GraphCompiler()
    checks = []
    for shape in shapes:
        where = compiler.targets(shape)
        focus = f"{{ SELECT DISTINCT ?{FOCUS} WHERE {{ {where} }} }}"
        prefixes = sorted({p for s in shape.targets.selects for p in _prefixes(s)})
        for constraint in shape.constraints:
            expr = constraint.expr
            if isinstance(expr, SparqlSelect):
                if f"?{FOCUS}" in expr.query:
                    raise ValueError(f"{shape.iri}: its SPARQL may not use ?{FOCUS}")
                header = "\n".join(sorted(set(prefixes) | set(_prefixes(expr.query))))
                inner = _THIS.sub(f"?{FOCUS}", _body(expr.query))
                query = f"{header}\nSELECT * WHERE {{ {focus} {{ {inner} }} }}"
                kind = "sparql"
            elif isinstance(expr, Every) and constraint.path:
                test = compiler.expr("?value", expr.part)
                query = (
                    f"SELECT DISTINCT ?{FOCUS} ?value WHERE {{ {focus} "
                    f"?{FOCUS} <{expr.path}> ?value . FILTER(!{test}) }}"
                )
                kind = "value"
            else:
                test = compiler.expr(f"?{FOCUS}", expr)
                query = f"SELECT DISTINCT ?{FOCUS} WHERE {{ {focus} FILTER(!{test}) }}"
                kind = "node"
            if prefixes and kind != "sparql":
                query = "\n".join(prefixes) + "\n" + query
            checks.append(GraphCheck(shape, constraint, query, kind))
    return checks


def _targets_classes(shape: Shape) -> bool:
    """Whether the focus nodes are the objects of rdf:type or rdfs:subClassOf only.

    Those are classes, and a dataset has few of them beside its instances, so their
    class tests are better looked up node by node (``OPTIONAL``) than answered by
    oxigraph's plan for ``EXISTS``, which reads every ``rdf:type`` triple of the
    store once per query: 9 s against 0.3 s at 3 million triples on disk.
    """
    t = shape.targets
    return (
        bool(t.objects_of)
        and set(t.objects_of) <= {RDF_TYPE, RDFS_SUBCLASS}
        and not (t.subjects_of or t.classes or t.nodes or t.selects)
    )


def compile_shapes(
    shapes: list[Shape], classes: ClassIndex, catalog_in_data: bool = False
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
            compiler.lookups = [] if _targets_classes(shape) else None
            test = compiler.expr("?focus", constraint.expr)
            lookups = " ".join(compiler.lookups or [])
            # Test each distinct focus node once (a node is often the target of many triples),
            # then fetch one triple per failing node for the message.
            distinct = f"{{ SELECT DISTINCT ?{FOCUS} WHERE {{ {where} }} }}"
            failing = f"{{ SELECT ?{FOCUS} WHERE {{ {distinct} {lookups} FILTER(!{test}) }} }}"
            query = (
                f"SELECT ?{FOCUS} (SAMPLE(?s0) AS ?{FROM}) (SAMPLE(?o0) AS ?{TO}) "
                f"(SAMPLE(?p0) AS ?{VIA}) WHERE {{ {failing} OPTIONAL {{ {where} }} }} "
                f"GROUP BY ?{FOCUS}"
            )
            checks.append(CompiledCheck(shape, constraint, query))
    return checks
