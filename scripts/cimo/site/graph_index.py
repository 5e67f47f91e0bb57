"""The release graph indexed once, in both directions, for the site.

rdflib answers each pattern through its generic store (context bookkeeping,
term hashing, generator layers), which made every term page cost dozens of
graph queries. The site reads the graph once into plain dictionaries and
answers everything from them, so a page costs dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph
from rdflib.namespace import RDF
from rdflib.term import Node

_NONE: tuple[Node, ...] = ()


class GraphIndex:
    """Subject -> predicate -> objects, and object -> predicate -> subjects."""

    def __init__(self, triples: Graph | Iterable[tuple[Node, Node, Node]]) -> None:
        out: dict[Node, dict[Node, list[Node]]] = {}
        into: dict[Node, dict[Node, list[Node]]] = {}
        for s, p, o in triples:  # setdefault would build an empty dict or list per statement
            said = out.get(s)
            if said is None:
                said = out[s] = {}
            objects = said.get(p)
            if objects is None:
                said[p] = [o]
            else:
                objects.append(o)
            heard = into.get(o)
            if heard is None:
                heard = into[o] = {}
            subjects = heard.get(p)
            if subjects is None:
                heard[p] = [s]
            else:
                subjects.append(s)
        self.out = out
        self.into = into

    def objects(self, subject: Node, predicate: Node) -> list[Node] | tuple[Node, ...]:
        return self.out.get(subject, {}).get(predicate, _NONE)

    def value(self, subject: Node, predicate: Node) -> Node | None:
        found = self.out.get(subject, {}).get(predicate)
        return found[0] if found else None

    def subjects(self, predicate: Node, obj: Node) -> list[Node] | tuple[Node, ...]:
        return self.into.get(obj, {}).get(predicate, _NONE)

    def predicate_objects(self, subject: Node) -> list[tuple[Node, Node]]:
        return [(p, o) for p, objs in self.out.get(subject, {}).items() for o in objs]

    def subject_predicates(self, obj: Node) -> list[tuple[Node, Node]]:
        return [(s, p) for p, subs in self.into.get(obj, {}).items() for s in subs]

    def has(self, subject: Node, predicate: Node, obj: Node) -> bool:
        return obj in self.out.get(subject, {}).get(predicate, _NONE)

    def items(self, head: Node) -> list[Node]:
        """The members of an RDF list."""
        members: list[Node] = []
        seen: set[Node] = set()
        while head is not None and head != RDF.nil and head not in seen:
            seen.add(head)
            members.extend(self.objects(head, RDF.first))
            head = self.value(head, RDF.rest)  # type: ignore[assignment]
        return members
