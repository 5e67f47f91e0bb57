"""Read ``shapes/data/*.ttl`` into the small model the SPARQL compiler understands.

The data shapes use a deliberate subset of SHACL Core: node shapes with
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetClass`` or
``sh:targetNode``, and the node-level constraints ``sh:class``, ``sh:or``,
``sh:and``, ``sh:not``, ``sh:node``, ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``
and ``sh:pattern``. Anything else is refused with the file and the shape named,
rather than silently skipped, because a shape that is not run is a check users
think they have. Shapes with a SPARQL constraint and no target are the term
checks that ``cimo validate`` applies while streaming (see ``terms.py``).

The build's QC shapes (``shapes/qc``) need more of SHACL: property shapes with
simple paths and their cardinality, ``sh:datatype`` and qualified-value
constraints, SPARQL targets and SPARQL constraints. ``load_shapes(...,
advanced=True)`` reads those too, into the same tree, for the same compiler.
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
DESCRIPTIVE = {
    RDF + "type",
    RDFS_LABEL,
    RDFS_COMMENT,
    SH + "message",
    SH + "severity",
    SH + "flags",
    SH + "deactivated",
    SH + "name",
    SH + "description",
}
#: parameters of a property shape that constrain each value node (ALL values must pass)
VALUE_PARAMETERS = {
    SH + p for p in ("class", "or", "and", "not", "node", "nodeKind", "in", "pattern", "datatype")
}
XSD = "http://www.w3.org/2001/XMLSchema#"
NODE_KINDS = {
    SH + k
    for k in ("IRI", "BlankNode", "Literal", "BlankNodeOrIRI", "BlankNodeOrLiteral", "IRIOrLiteral")
}


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


@dataclass(frozen=True)
class Datatype:
    iri: str


@dataclass(frozen=True)
class Every:
    """Every value of ``path`` satisfies ``part`` (a property shape's value constraints)."""

    path: str
    part: Expr


@dataclass(frozen=True)
class Count:
    """The number of values of ``path`` that satisfy ``part`` (all, if None) is within bounds."""

    path: str
    least: int | None
    most: int | None
    part: Expr | None = None


@dataclass(frozen=True)
class HasValue:
    """Some value of ``path`` is the term ``value`` (property-level ``sh:hasValue``)."""

    path: str
    value: ox.NamedNode | ox.Literal


@dataclass(frozen=True)
class SparqlSelect:
    """A SHACL-SPARQL constraint: its query returns one row per failure, ``$this`` bound."""

    query: str
    message: str


Expr = (
    ClassOf
    | AnyOf
    | AllOf
    | Not
    | NodeKind
    | OneOf
    | Pattern
    | Datatype
    | Every
    | Count
    | HasValue
    | SparqlSelect
)


@dataclass(frozen=True)
class Constraint:
    component: str
    expr: Expr
    #: for a constraint of a property shape directly under the node shape: its path, and
    #: its own severity and message (SHACL does not inherit them from the node shape)
    path: str = ""
    severity: str = ""
    message: str = ""


@dataclass(frozen=True)
class Targets:
    subjects_of: tuple[str, ...] = ()
    objects_of: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    nodes: tuple[ox.NamedNode, ...] = ()
    #: SPARQL targets (``sh:target [ a sh:SPARQLTarget ]``): SELECT queries binding ``?this``
    selects: tuple[str, ...] = ()

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
        while head is not None and not (
            isinstance(head, ox.NamedNode) and head.value == RDF + "nil"
        ):
            items.extend(self.values(head, RDF + "first"))
            head = self.one(head, RDF + "rest")
        return items


def _name(node: object) -> str:
    return node.value if isinstance(node, ox.NamedNode) else f"_:{getattr(node, 'value', node)}"


#: what the advanced reader (QC shapes) accepts beyond COMPONENTS
ADVANCED_COMPONENTS = {
    **COMPONENTS,
    SH + "datatype": SH + "DatatypeConstraintComponent",
    SH + "minCount": SH + "MinCountConstraintComponent",
    SH + "maxCount": SH + "MaxCountConstraintComponent",
    SH + "qualifiedMinCount": SH + "QualifiedMinCountConstraintComponent",
    SH + "qualifiedMaxCount": SH + "QualifiedMaxCountConstraintComponent",
    SH + "sparql": SH + "SPARQLConstraintComponent",
    SH + "property": SH + "PropertyConstraintComponent",
}
#: predicates read together with another parameter, never on their own
_COMPANIONS = {
    SH + "path",
    SH + "qualifiedValueShape",
    SH + "target",
    SH + "prefixes",
    SH + "select",
}


class _Reader:
    def __init__(self, graph: _Graph, advanced: bool = False) -> None:
        self.graph = graph
        self.advanced = advanced

    def fail(self, node: object, message: str) -> InputError:
        return InputError(
            f"shape {_name(node)}: {message}",
            "cimo validate runs SHACL Core node shapes with sh:class, sh:or, "
            "sh:and, sh:not, sh:node, sh:nodeKind, sh:in, sh:hasValue and "
            "sh:pattern; rewrite the shape with those",
            file=self.graph.origin.get(node),
        )

    def expr(self, node: object, seen: frozenset[object] = frozenset()) -> Expr:
        """The conjunction of every constraint of the shape ``node``."""
        if node in seen:
            raise self.fail(node, "refers to itself (recursive shapes are undefined in SHACL)")
        parts = [c.expr for c in self.constraints(node, seen | {node})]
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def constraints(self, node: object, seen: frozenset[object]) -> list[Constraint]:
        g = self.graph
        if self.advanced and g.one(node, SH + "path") is not None:
            return self._property(node, seen)
        known = ADVANCED_COMPONENTS if self.advanced else COMPONENTS
        found: list[Constraint] = []
        for predicate, objects in g.out.get(node, {}).items():
            if (
                predicate in DESCRIPTIVE
                or predicate in TARGETS
                or (self.advanced and predicate in _COMPANIONS)
            ):
                continue
            if predicate not in known or predicate in (
                SH + "minCount",
                SH + "maxCount",
                SH + "qualifiedMinCount",
                SH + "qualifiedMaxCount",
            ):
                raise self.fail(node, f"uses {predicate}, which cimo validate cannot compile")
            for obj in objects:
                if predicate == SH + "property":
                    found.extend(self._property(obj, seen | {node}))
                elif predicate == SH + "sparql":
                    found.append(Constraint(known[predicate], self._sparql(node, obj)))
                else:
                    found.append(
                        Constraint(known[predicate], self._one(node, predicate, obj, seen))
                    )
        return found

    def _count(self, node: object, predicate: str) -> int | None:
        value = self.graph.one(node, predicate)
        if value is None:
            return None
        if not isinstance(value, ox.Literal) or not value.value.isdigit():
            raise self.fail(node, f"{predicate} must be a non-negative integer")
        if int(value.value) > 1:
            raise self.fail(
                node, f"{predicate} above 1 is not compiled; use 0 or 1, or a SPARQL constraint"
            )
        return int(value.value)

    def _property(self, node: object, seen: frozenset[object]) -> list[Constraint]:
        """A property shape with a simple path: one constraint per parameter, each about the
        path's values, carrying the property shape's own severity and message."""
        g = self.graph
        if node in seen:
            raise self.fail(node, "refers to itself (recursive shapes are undefined in SHACL)")
        seen = seen | {node}
        path = g.one(node, SH + "path")
        if not isinstance(path, ox.NamedNode):
            raise self.fail(node, "sh:path must be a single property IRI")
        severity = g.one(node, SH + "severity")
        message = g.one(node, SH + "message")
        meta = {
            "path": path.value,
            "severity": severity.value if isinstance(severity, ox.NamedNode) else SH + "Violation",
            "message": message.value if isinstance(message, ox.Literal) else "",
        }
        found: list[Constraint] = []
        for predicate, objects in g.out.get(node, {}).items():
            if predicate in DESCRIPTIVE or predicate in (
                SH + "path",
                SH + "qualifiedMinCount",
                SH + "qualifiedMaxCount",
            ):
                continue
            component = ADVANCED_COMPONENTS.get(predicate, "")
            if predicate in (SH + "minCount", SH + "maxCount"):
                bound = self._count(node, predicate)
                least, most = (bound, None) if predicate == SH + "minCount" else (None, bound)
                found.append(Constraint(component, Count(path.value, least, most), **meta))
            elif predicate == SH + "hasValue":
                for obj in objects:
                    if not isinstance(obj, ox.NamedNode | ox.Literal):
                        raise self.fail(node, "sh:hasValue must be an IRI or a literal")
                    found.append(Constraint(component, HasValue(path.value, obj), **meta))
            elif predicate == SH + "qualifiedValueShape":
                inner = self.expr(objects[0], seen)
                for bound_predicate, least in (
                    (SH + "qualifiedMinCount", True),
                    (SH + "qualifiedMaxCount", False),
                ):
                    bound = self._count(node, bound_predicate)
                    if bound is not None:
                        found.append(
                            Constraint(
                                ADVANCED_COMPONENTS[bound_predicate],
                                Count(
                                    path.value,
                                    bound if least else None,
                                    None if least else bound,
                                    inner,
                                ),
                                **meta,
                            )
                        )
            elif predicate in VALUE_PARAMETERS:
                for obj in objects:
                    found.append(
                        Constraint(
                            component,
                            Every(path.value, self._one(node, predicate, obj, seen)),
                            **meta,
                        )
                    )
            else:
                raise self.fail(node, f"uses {predicate}, which cimo validate cannot compile")
        return found

    def _prefixes(self, node: object) -> str:
        """``PREFIX`` lines from the ``sh:declare`` of the ``sh:prefixes`` ontologies."""
        lines = []
        for source in self.graph.values(node, SH + "prefixes"):
            for declaration in self.graph.values(source, SH + "declare"):
                prefix = self.graph.one(declaration, SH + "prefix")
                namespace = self.graph.one(declaration, SH + "namespace")
                if isinstance(prefix, ox.Literal) and isinstance(namespace, ox.Literal):
                    lines.append(f"PREFIX {prefix.value}: <{namespace.value}>")
        return "\n".join(sorted(lines))

    def _select(self, node: object) -> str:
        select = self.graph.one(node, SH + "select")
        if not isinstance(select, ox.Literal):
            raise self.fail(node, "a SPARQL target or constraint needs an sh:select string")
        prefixes = self._prefixes(node)
        return f"{prefixes}\n{select.value}" if prefixes else select.value

    def _sparql(self, shape: object, node: object) -> SparqlSelect:
        message = self.graph.one(node, SH + "message") or self.graph.one(shape, SH + "message")
        return SparqlSelect(
            self._select(node), message.value if isinstance(message, ox.Literal) else ""
        )

    def _one(self, node: object, predicate: str, obj: object, seen: frozenset[object]) -> Expr:
        local = predicate[len(SH) :]
        if local == "class" and isinstance(obj, ox.NamedNode):
            return ClassOf(obj.value)
        if local in ("or", "and"):
            members = tuple(self.expr(m, seen) for m in self.graph.items(obj))
            return AnyOf(members) if local == "or" else AllOf(members)
        if local in ("not", "node"):
            inner = self.expr(obj, seen)
            return Not(inner) if local == "not" else inner
        if local == "nodeKind" and isinstance(obj, ox.NamedNode) and obj.value in NODE_KINDS:
            return NodeKind(obj.value[len(SH) :])
        if local == "in":
            values = self.graph.items(obj)
            if not all(isinstance(v, ox.NamedNode | ox.Literal) for v in values):
                raise self.fail(node, "sh:in may list only IRIs and literals")
            return OneOf(tuple(values))  # type: ignore[arg-type]
        if local == "hasValue" and isinstance(obj, ox.NamedNode | ox.Literal):
            return OneOf((obj,))
        if local == "datatype" and self.advanced and isinstance(obj, ox.NamedNode):
            return Datatype(obj.value)
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
        selects = (
            tuple(self._select(t) for t in g.values(node, SH + "target")) if self.advanced else ()
        )
        return Targets(
            iris(SH + "targetSubjectsOf"),
            iris(SH + "targetObjectsOf"),
            iris(SH + "targetClass"),
            nodes,
            selects,
        )


def load_shapes(paths: list[Path], advanced: bool = False) -> ShapeSet:
    """The node shapes with targets; ``advanced`` also reads the QC shapes' SHACL (above)."""
    graph = _Graph()
    for path in paths:
        for quad in quads(path):
            graph.add(quad, path)
    reader = _Reader(graph, advanced)
    shapes: list[Shape] = []
    engine_targeted: dict[str, Path] = {}
    target_predicates = TARGETS | ({SH + "target"} if advanced else set())
    for node, properties in graph.out.items():
        deactivated = graph.one(node, SH + "deactivated")
        if isinstance(deactivated, ox.Literal) and deactivated.value == "true":
            continue
        has_target = any(p in target_predicates for p in properties)
        if SH + "sparql" in properties and not advanced:
            if has_target or not isinstance(node, ox.NamedNode):
                raise reader.fail(
                    node,
                    "SPARQL constraints are supported only on the term-check "
                    "shapes, which have no target",
                )
            engine_targeted[node.value] = graph.origin[node]
            continue
        if not has_target:
            continue
        if not isinstance(node, ox.NamedNode):
            raise reader.fail(node, "a shape with targets needs an IRI, so results can name it")
        message = graph.one(node, SH + "message") or (
            graph.one(node, RDFS_COMMENT) if advanced else None
        )
        severity = graph.one(node, SH + "severity")
        shapes.append(
            Shape(
                iri=node.value,
                targets=reader.targets(node),
                constraints=tuple(reader.constraints(node, frozenset({node}))),
                message=message.value if isinstance(message, ox.Literal) else f"fails {node.value}",
                severity=severity.value if isinstance(severity, ox.NamedNode) else SH + "Violation",
            )
        )
    shapes.sort(key=lambda s: s.iri)
    return ShapeSet(shapes, engine_targeted)
