"""Read ``shapes/data/*.ttl`` into the small model the SPARQL compiler understands.

The data shapes use a deliberate subset of SHACL Core: node shapes with
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetClass`` or
``sh:targetNode``, and the node-level constraints ``sh:class``, ``sh:or``,
``sh:and``, ``sh:not``, ``sh:node``, ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``
and ``sh:pattern``. Anything else is refused with the file and the shape named,
rather than silently skipped, because a shape that is not run is a check users
think they have. Shapes with a SPARQL constraint and no target are the term
checks that ``cimo validate`` applies while streaming (see ``terms.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from cimo.linking.errors import InputError
from cimo.linking.rdf_files import quads

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"

TARGETS = {SH + "targetSubjectsOf", SH + "targetObjectsOf", SH + "targetClass", SH + "targetNode"}
#: constraint parameter -> its constraint component (what a result reports)
COMPONENTS = {
    SH + "class": SH + "ClassConstraintComponent",
    SH + "or": SH + "OrConstraintComponent",
    SH + "and": SH + "AndConstraintComponent",
    SH + "not": SH + "NotConstraintComponent",
    SH + "node": SH + "NodeConstraintComponent",
    SH + "nodeKind": SH + "NodeKindConstraintComponent",
    SH + "in": SH + "InConstraintComponent",
    SH + "hasValue": SH + "HasValueConstraintComponent",
    SH + "pattern": SH + "PatternConstraintComponent",
}
#: predicates that describe a shape without constraining anything
DESCRIPTIVE = {RDF + "type", RDFS_LABEL, RDFS_COMMENT, SH + "message", SH + "severity",
               SH + "flags", SH + "deactivated", SH + "name", SH + "description"}
NODE_KINDS = {SH + k for k in ("IRI", "BlankNode", "Literal", "BlankNodeOrIRI",
                               "BlankNodeOrLiteral", "IRIOrLiteral")}


# --- the expression tree --------------------------------------------------------

@dataclass(frozen=True)
class ClassOf:
    cls: str


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Not:
    part: Expr


@dataclass(frozen=True)
class NodeKind:
    kind: str


@dataclass(frozen=True)
class OneOf:
    values: tuple[ox.NamedNode | ox.Literal, ...]


@dataclass(frozen=True)
class Pattern:
    regex: str
    flags: str


Expr = ClassOf | AnyOf | AllOf | Not | NodeKind | OneOf | Pattern


@dataclass(frozen=True)
class Constraint:
    component: str
    expr: Expr


@dataclass(frozen=True)
class Targets:
    subjects_of: tuple[str, ...] = ()
    objects_of: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    nodes: tuple[ox.NamedNode, ...] = ()

    def predicates(self) -> set[str]:
        return {*self.subjects_of, *self.objects_of}


@dataclass(frozen=True)
class Shape:
    """A node shape with targets: the unit results are reported against."""

    iri: str
    targets: Targets
    constraints: tuple[Constraint, ...]
    message: str
    severity: str


@dataclass
class ShapeSet:
    shapes: list[Shape]
    #: shapes without targets and with a SPARQL constraint, by IRI: applied by the term checks
    engine_targeted: dict[str, Path] = field(default_factory=dict)

    def predicates(self) -> set[str]:
        """Every predicate a compiled query can touch: what the store must hold."""
        found = {RDF + "type", "http://www.w3.org/2000/01/rdf-schema#subClassOf"}
        for shape in self.shapes:
            found |= shape.targets.predicates()
        return found


# --- reading ----------------------------------------------------------------------

class _Graph:
    def __init__(self) -> None:
        self.out: dict[object, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
        self.origin: dict[object, Path] = {}

    def add(self, quad: ox.Quad, path: Path) -> None:
        self.out[quad.subject][quad.predicate.value].append(quad.object)
        self.origin.setdefault(quad.subject, path)

    def values(self, node: object, predicate: str) -> list[object]:
        return self.out.get(node, {}).get(predicate, [])

    def one(self, node: object, predicate: str) -> object | None:
        found = self.values(node, predicate)
        return found[0] if found else None

    def items(self, head: object) -> list[object]:
        items = []
        while head is not None and not (isinstance(head, ox.NamedNode)
                                        and head.value == RDF + "nil"):
            items.extend(self.values(head, RDF + "first"))
            head = self.one(head, RDF + "rest")
        return items


def _name(node: object) -> str:
    return node.value if isinstance(node, ox.NamedNode) else f"_:{getattr(node, 'value', node)}"


class _Reader:
    def __init__(self, graph: _Graph) -> None:
        self.graph = graph

    def fail(self, node: object, message: str) -> InputError:
        return InputError(f"shape {_name(node)}: {message}",
                          "cimo validate runs SHACL Core node shapes with sh:class, sh:or, "
                          "sh:and, sh:not, sh:node, sh:nodeKind, sh:in, sh:hasValue and "
                          "sh:pattern; rewrite the shape with those",
                          file=self.graph.origin.get(node))

    def expr(self, node: object, seen: frozenset[object] = frozenset()) -> Expr:
        """The conjunction of every constraint of the shape ``node``."""
        if node in seen:
            raise self.fail(node, "refers to itself (recursive shapes are undefined in SHACL)")
        parts = [c.expr for c in self.constraints(node, seen | {node})]
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def constraints(self, node: object, seen: frozenset[object]) -> list[Constraint]:
        g = self.graph
        found: list[Constraint] = []
        for predicate, objects in g.out.get(node, {}).items():
            if predicate in DESCRIPTIVE or predicate in TARGETS:
                continue
            if predicate not in COMPONENTS:
                raise self.fail(node, f"uses {predicate}, which cimo validate cannot compile")
            for obj in objects:
                found.append(Constraint(COMPONENTS[predicate], self._one(node, predicate, obj,
                                                                         seen)))
        return found

    def _one(self, node: object, predicate: str, obj: object, seen: frozenset[object]) -> Expr:
        local = predicate[len(SH):]
        if local == "class" and isinstance(obj, ox.NamedNode):
            return ClassOf(obj.value)
        if local in ("or", "and"):
            members = tuple(self.expr(m, seen) for m in self.graph.items(obj))
            return AnyOf(members) if local == "or" else AllOf(members)
        if local in ("not", "node"):
            inner = self.expr(obj, seen)
            return Not(inner) if local == "not" else inner
        if local == "nodeKind" and isinstance(obj, ox.NamedNode) and obj.value in NODE_KINDS:
            return NodeKind(obj.value[len(SH):])
        if local == "in":
            values = self.graph.items(obj)
            if not all(isinstance(v, ox.NamedNode | ox.Literal) for v in values):
                raise self.fail(node, "sh:in may list only IRIs and literals")
            return OneOf(tuple(values))  # type: ignore[arg-type]
        if local == "hasValue" and isinstance(obj, ox.NamedNode | ox.Literal):
            return OneOf((obj,))
        if local == "pattern" and isinstance(obj, ox.Literal):
            flags = self.graph.one(node, SH + "flags")
            return Pattern(obj.value, flags.value if isinstance(flags, ox.Literal) else "")
        raise self.fail(node, f"has an sh:{local} value cimo validate cannot read: {obj}")

    def targets(self, node: object) -> Targets:
        g = self.graph

        def iris(predicate: str) -> tuple[str, ...]:
            values = g.values(node, predicate)
            if not all(isinstance(v, ox.NamedNode) for v in values):
                raise self.fail(node, f"{predicate} must name IRIs")
            return tuple(sorted(v.value for v in values if isinstance(v, ox.NamedNode)))

        nodes = tuple(v for v in g.values(node, SH + "targetNode") if isinstance(v, ox.NamedNode))
        return Targets(iris(SH + "targetSubjectsOf"), iris(SH + "targetObjectsOf"),
                       iris(SH + "targetClass"), nodes)


def load_shapes(paths: list[Path]) -> ShapeSet:
    graph = _Graph()
    for path in paths:
        for quad in quads(path):
            graph.add(quad, path)
    reader = _Reader(graph)
    shapes: list[Shape] = []
    engine_targeted: dict[str, Path] = {}
    for node, properties in graph.out.items():
        deactivated = graph.one(node, SH + "deactivated")
        if isinstance(deactivated, ox.Literal) and deactivated.value == "true":
            continue
        has_target = any(p in TARGETS for p in properties)
        if SH + "sparql" in properties:
            if has_target or not isinstance(node, ox.NamedNode):
                raise reader.fail(node, "SPARQL constraints are supported only on the term-check "
                                        "shapes, which have no target")
            engine_targeted[node.value] = graph.origin[node]
            continue
        if not has_target:
            continue
        if not isinstance(node, ox.NamedNode):
            raise reader.fail(node, "a shape with targets needs an IRI, so results can name it")
        message = graph.one(node, SH + "message")
        severity = graph.one(node, SH + "severity")
        shapes.append(Shape(
            iri=node.value, targets=reader.targets(node),
            constraints=tuple(reader.constraints(node, frozenset({node}))),
            message=message.value if isinstance(message, ox.Literal) else f"fails {node.value}",
            severity=severity.value if isinstance(severity, ox.NamedNode) else SH + "Violation"))
    shapes.sort(key=lambda s: s.iri)
    return ShapeSet(shapes, engine_targeted)
