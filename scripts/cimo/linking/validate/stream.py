"""One streaming pass over the input files.

While pyoxigraph parses, each triple is looked at once: every CIMO IRI is
counted with the role it plays (for the term checks), and the triple is
passed on to the store only if its predicate is one the compiled shapes can
see. So a million-triple file costs one parse, and the store holds the
few hundred thousand triples that matter rather than all of them.

Files are merged into one graph. Blank-node labels are scoped to their file
when there are several (``_:b1`` in two files are two nodes), and named
graphs are read into the default graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from cimo import progress
from cimo.linking.catalog import RDF_TYPE, RDFS_SUBCLASS
from cimo.linking.errors import InputError
from cimo.linking.input_guard import DEFAULT_LIMITS, Limits
from cimo.linking.rdf_files import quads
from cimo.linking.validate.findings import show
from cimo.linking.validate.terms import AS_CLASS, AS_PREDICATE, NAMESPACES, Usage, in_scope

BATCH = 100_000
_CLASS_PREDICATES = frozenset({RDF_TYPE, RDFS_SUBCLASS})


@dataclass
class StreamResult:
    triples: int = 0
    kept: int = 0
    usages: dict[str, Usage] = field(default_factory=dict)


def _first(seen: dict[str, Usage | None], iri: str, role: str | None, quad: ox.Quad) -> None:
    """First sight of an IRI in a role: decide whether it is in scope, keep an example."""
    usage = seen.get(iri)
    if usage is None:
        if iri in seen or not in_scope(iri):
            seen[iri] = None
            return
        usage = seen[iri] = Usage()
    usage.uses += 1
    usage.examples[role] = f"{show(quad.subject)} {show(quad.predicate)} {show(quad.object)}"
    if role is not None:
        usage.roles.add(role)


_Subject = ox.NamedNode | ox.BlankNode | ox.Triple
_Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _scoped_subject(node: _Subject, scope: str) -> _Subject:
    return ox.BlankNode(f"{scope}{node.value}") if isinstance(node, ox.BlankNode) else node


def _scoped(node: _Object, scope: str) -> _Object:
    return ox.BlankNode(f"{scope}{node.value}") if isinstance(node, ox.BlankNode) else node


def _literal_too_long(path: Path, triple_number: int, limits: Limits) -> InputError:
    return InputError(
        f"triple {triple_number} has a literal longer than {limits.max_literal} characters",
        "if you trust the file, raise --max-literal; otherwise do not process it",
        file=path,
    )


def scan(
    paths: list[Path],
    keep: set[str],
    sink: Callable[[list[ox.Quad]], None],
    limits: Limits = DEFAULT_LIMITS,
) -> StreamResult:
    """Stream ``paths``; collect CIMO IRI usage; give ``sink`` the triples with a kept predicate.

    This loop runs once per triple, so the common case (an IRI seen before, in a role
    seen before) is a dictionary hit and an increment, without a function call.
    """
    result = StreamResult()
    seen: dict[str, Usage | None] = {}
    get = seen.get
    named, blank, literal, default_graph = ox.NamedNode, ox.BlankNode, ox.Literal, ox.DefaultGraph
    max_literal = limits.max_literal
    namespaces = NAMESPACES
    class_predicates = _CLASS_PREDICATES
    batch: list[ox.Quad] = []
    shown = progress.bar("validate: kept", unit="triple")  # advances once per batch
    for number, path in enumerate(paths):
        shown.set_postfix_str(path.name)
        scope = f"f{number}_" if len(paths) > 1 else ""
        count = 0
        for quad in quads(path, limits):
            count += 1
            subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
            if type(subject) is named:
                iri = subject.value
                if iri.startswith(namespaces):
                    usage = get(iri)
                    if usage is None or None not in usage.examples:
                        _first(seen, iri, None, quad)
                    else:
                        usage.uses += 1
            if predicate.startswith(namespaces):
                usage = get(predicate)
                if usage is None or AS_PREDICATE not in usage.roles:
                    _first(seen, predicate, AS_PREDICATE, quad)
                else:
                    usage.uses += 1
            if type(obj) is named:
                iri = obj.value
                if iri.startswith(namespaces):
                    role = AS_CLASS if predicate in class_predicates else None
                    usage = get(iri)
                    if usage is None or role not in usage.examples:
                        _first(seen, iri, role, quad)
                    else:
                        usage.uses += 1
            elif type(obj) is literal and len(obj.value) > max_literal:
                raise _literal_too_long(path, count, limits)
            if predicate not in keep:
                continue
            if scope and (type(subject) is blank or type(obj) is blank):
                quad = ox.Quad(_scoped_subject(subject, scope), quad.predicate, _scoped(obj, scope))
            elif type(quad.graph_name) is not default_graph:
                quad = ox.Quad(subject, quad.predicate, obj)
            batch.append(quad)
            if len(batch) >= BATCH:
                sink(batch)
                result.kept += len(batch)
                shown.update(len(batch))
                batch = []
        result.triples += count
    if batch:
        sink(batch)
        result.kept += len(batch)
    shown.close()
    result.usages = {iri: usage for iri, usage in seen.items() if usage is not None}
    return result
