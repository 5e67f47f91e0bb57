"""RDF/XML, the format Protégé opens by default (``cimo.owl``).

rdflib's RDF/XML serializers walk subjects in set order (so bytes vary between
runs), and the "pretty" one drops statements about list nodes. This writer is
deliberately plain: one ``rdf:Description`` per subject, sorted, with
canonical blank-node IDs, so it is complete and byte-stable.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from cimo.export.canonical import ordered
from cimo.vocab import STANDARD_PREFIXES

_NCNAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
XML_PREFIXES = {p: ns for p, ns in STANDARD_PREFIXES.items() if p != "CIMO"}


def _split(iri: str) -> tuple[str, str]:
    """Split a property IRI into namespace and an XML-safe local name."""
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    for index in range(cut, len(iri)):
        if _NCNAME_RE.match(iri[index:]):
            return iri[:index], iri[index:]
    raise ValueError(f"cannot write property <{iri}> as an RDF/XML element name")


def serialize(graph: Graph, canonical: Graph | None = None) -> bytes:
    canonical = canonical if canonical is not None else ordered(graph)
    prefixes = dict(XML_PREFIXES)
    extra: dict[str, str] = {}
    for predicate in sorted(set(canonical.predicates()), key=str):
        namespace, _ = _split(str(predicate))
        if namespace not in prefixes.values() and namespace not in extra:
            extra[namespace] = f"ns{len(extra) + 1}"
    by_namespace = {ns: p for p, ns in prefixes.items()}
    by_namespace.update(extra)

    def qname(predicate: URIRef) -> str:
        namespace, local = _split(str(predicate))
        return f"{by_namespace[namespace]}:{local}"

    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    declared = sorted({**{p: ns for p, ns in prefixes.items()},
                       **{p: ns for ns, p in extra.items()}}.items())
    lines += [f"   xmlns:{p}={quoteattr(ns)}" for p, ns in declared]
    lines[-1] += ">"
    subjects = sorted(set(canonical.subjects()), key=lambda s: (isinstance(s, BNode), str(s)))
    for subject in subjects:
        about = (f"rdf:nodeID={quoteattr(str(subject))}" if isinstance(subject, BNode)
                 else f"rdf:about={quoteattr(str(subject))}")
        lines.append(f"  <rdf:Description {about}>")
        pairs = sorted(canonical.predicate_objects(subject),
                       key=lambda po: (po[0] != RDF.type, str(po[0]), po[1].n3()))
        for predicate, obj in pairs:
            name = qname(predicate)  # type: ignore[arg-type]
            if isinstance(obj, BNode):
                lines.append(f"    <{name} rdf:nodeID={quoteattr(str(obj))}/>")
            elif isinstance(obj, URIRef):
                lines.append(f"    <{name} rdf:resource={quoteattr(str(obj))}/>")
            else:
                assert isinstance(obj, Literal)
                attrs = ""
                if obj.language:
                    attrs = f" xml:lang={quoteattr(obj.language)}"
                elif obj.datatype and obj.datatype != XSD.string:
                    attrs = f" rdf:datatype={quoteattr(str(obj.datatype))}"
                lines.append(f"    <{name}{attrs}>{escape(str(obj))}</{name}>")
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")
