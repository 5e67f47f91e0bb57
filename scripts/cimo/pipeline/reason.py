"""Stage 4: classify with HermiT and add the inferred direct superclasses.

A release that contradicts itself, or has a class nothing can belong to, is a
modelling error, so both stop the build with the offending classes named.
Like an ODK "full" release, the output then carries the inferred direct
superclasses, so that users without a reasoner see the classified hierarchy.

HermiT (the jar owlready2 ships) runs in its own JVM on the graph's logical
statements written as N-Triples by Oxigraph, and its printed class hierarchy is
read here; the build does other work while it runs (:class:`Reasoning`). Going through
owlready2 instead meant writing the graph, parsing it into owlready2's store,
writing it again for HermiT and walking owlready2's classes afterwards: about
30 s of Python at 100 times CIMO's size, and the JVM could not be given the
OWL API's flags (owlready2 starts it itself).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from cimo.errors import BuildError, Problem
from cimo.export.canonical import Triple, to_ox
from cimo.export.owlapi import JVM_OPTIONS, java_executable
from cimo.vocab import CIMO_NS

HERMIT = "org.semanticweb.HermiT.cli.CommandLine"
#: the heap owlready2 gives HermiT
HERMIT_MEMORY = "-Xmx2000M"
_NOTHING = str(OWL.Nothing)
_THING = str(OWL.Thing)
#: one line of HermiT's printed hierarchy: ``SubClassOf( <a> <b> )``,
#: ``EquivalentClasses( <a> <b> ... )``; property and individual lines are not asked for
_LINE = re.compile(r"^(SubClassOf|EquivalentClasses)\( ((?:<[^>]+>\s*)+)\)$", re.MULTILINE)
_IRI = re.compile(r"<([^>]+)>")


@dataclass
class Classification:
    """What HermiT adds: direct superclasses, and equivalences between named classes."""

    superclasses: Graph
    equivalences: list[tuple[URIRef, URIRef]]


def _hermit_classpath() -> str:
    spec = importlib.util.find_spec("owlready2")
    if spec is None or spec.origin is None:
        raise BuildError(
            "reason",
            [Problem("owlready2 (which ships HermiT) is not installed", "run make build")],
        )
    folder = Path(spec.origin).parent / "hermit"
    return os.pathsep.join([str(folder), str(folder / "HermiT.jar")])


#: OWL 2's built-in annotation properties (besides those the graph declares)
BUILT_IN_ANNOTATIONS = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.deprecated,
        OWL.versionInfo,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
    }
)


def _logical(graph: Graph) -> Iterator[Triple]:
    """The statements HermiT needs: all but annotations and ``owl:imports``.

    Annotations have no meaning in OWL's Direct Semantics, so they cannot change
    the class hierarchy, and at 10 times CIMO's size they are two thirds of the
    statements (labels, definitions, evidence quotes and the reified axioms that
    carry them): HermiT read them for nothing. ``owl:imports`` goes because HermiT
    would fetch the imports.
    """
    annotations = {
        *BUILT_IN_ANNOTATIONS,
        *graph.subjects(RDF.type, OWL.AnnotationProperty),
        OWL.imports,
    }
    reified = {
        node for kind in (OWL.Axiom, OWL.Annotation) for node in graph.subjects(RDF.type, kind)
    }
    for s, p, o in graph:
        if p not in annotations and s not in reified:
            yield s, p, o


def _write_input(graph: Graph, path: Path) -> None:
    """The logical statements of the graph (see :func:`_logical`) as N-Triples."""
    ox.serialize(
        (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in _logical(graph)),  # type: ignore[arg-type]
        str(path),
        format=ox.RdfFormat.N_TRIPLES,
    )


def _inconsistent() -> BuildError:
    return BuildError(
        "reason",
        [
            Problem(
                "HermiT finds the ontology inconsistent",
                "look for an individual or class that violates a disjointness or a "
                "domain/range axiom; open cimo.owl in Protégé and use "
                "'Explain inconsistency'",
                file="ontology/",
            )
        ],
    )


class Hermit:
    """HermiT classifying the ontology in ``path``, in its own JVM; :meth:`output` waits.

    The build has work of its own that does not need the inferred hierarchy (the
    canonical form of the asserted graph, the base variant), so it starts HermiT,
    does that work while the JVM runs, and only then asks for the hierarchy. The
    output goes to files beside the input, not to pipes: at scale it is larger than
    a pipe holds, and a JVM blocked on a full pipe would never finish.
    """

    def __init__(self, path: Path) -> None:
        command = [
            java_executable("reason"),
            *JVM_OPTIONS,
            HERMIT_MEMORY,
            "-cp",
            _hermit_classpath(),
            HERMIT,
            "-c",
            f"file://{path.resolve().as_posix()}",
        ]
        self._stdout, self._stderr = path.with_suffix(".out"), path.with_suffix(".err")
        with self._stdout.open("wb") as stdout, self._stderr.open("wb") as stderr:
            self._process = subprocess.Popen(command, stdout=stdout, stderr=stderr)

    def output(self) -> str:
        """HermiT's class hierarchy as it prints it; raises BuildError if HermiT failed."""
        returncode = self._process.wait()
        stdout, stderr = (
            f.read_text(encoding="utf-8", errors="replace") for f in (self._stdout, self._stderr)
        )
        if returncode != 0:
            if "Inconsistent ontology" in stdout + stderr:
                raise _inconsistent()
            raise BuildError(
                "reason",
                [
                    Problem(
                        f"HermiT failed: {(stderr or stdout).strip()[:1000]}",
                        "make the ontology valid OWL 2 (HermiT reads it with the OWL API, "
                        "whose message this is)",
                    )
                ],
            )
        return stdout

    def stop(self) -> None:
        """End the JVM if it still runs (the build failed elsewhere)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()


def _links(output: str) -> dict[str, set[str]]:
    """Each class's superclasses as printed (direct ones, and both ways for equivalents)."""
    up: dict[str, set[str]] = defaultdict(set)
    for relation, iris in _LINE.findall(output):
        names = _IRI.findall(iris)
        if relation == "SubClassOf":
            up[names[0]].add(names[1])
        else:
            for a in names:
                up[a].update(b for b in names if b != a)
    return up


class _Ancestors:
    """Each class's strict named ancestors in HermiT's hierarchy, worked out once a class."""

    def __init__(self, up: dict[str, set[str]]) -> None:
        self._up = up
        self._known: dict[str, frozenset[str]] = {}

    def __call__(self, cls: str) -> frozenset[str]:
        found = self._known.get(cls)
        if found is not None:
            return found
        seen: set[str] = set()
        pending = list(self._up.get(cls, ()))
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            done = self._known.get(current)
            if done is not None:
                seen |= done
            else:
                pending.extend(self._up.get(current, ()))
        seen.discard(cls)
        seen.discard(_THING)
        found = self._known[cls] = frozenset(seen)
        return found


def _minimal(classes: set[str], ancestors: _Ancestors) -> set[str]:
    """Drop every class that is a strict ancestor of another one in the set (an
    ancestor that is also a descendant, i.e. equivalent, is kept)."""
    result = set(classes)
    for other in classes:
        for cls in ancestors(other) & classes:
            if other not in ancestors(cls):
                result.discard(cls)
    return result


def _label(graph: Graph, iri: str) -> str:
    labels = sorted(str(x) for x in graph.objects(URIRef(iri), RDFS.label))
    return f"{iri} ({labels[0]})" if labels else iri


def _check_read(graph: Graph, ancestors: _Ancestors, output: str) -> None:
    """Every asserted superclass of a CIMO class must be among its ancestors as read: if
    HermiT ever printed its hierarchy differently, the build stops instead of adding
    nothing."""
    for s, o in graph.subject_objects(RDFS.subClassOf):
        if (
            isinstance(s, URIRef)
            and isinstance(o, URIRef)
            and str(s).startswith(CIMO_NS)
            and str(o) != _THING
            and str(o) not in ancestors(str(s))
        ):
            raise BuildError(
                "reason",
                [
                    Problem(
                        f"HermiT's class hierarchy could not be read: it does not have {o} "
                        f"above {s}, which is asserted (HermiT printed: {output[:300]!r})",
                        "check the HermiT jar that owlready2 ships (make build reinstalls it)",
                    )
                ],
            )


class Reasoning:
    """HermiT running on a snapshot of the graph; :meth:`result` waits for its answer.

    The graph must not change until then: the answer is compared with it.
    """

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self._folder = tempfile.TemporaryDirectory(prefix="cimo-reason-")
        path = Path(self._folder.name) / "merged.nt"
        try:
            _write_input(graph, path)
            self._hermit = Hermit(path)
        except BaseException:
            self._folder.cleanup()
            raise

    def result(self) -> Classification:
        """Inferred direct superclasses not already asserted, and named equivalences
        (which QC rejects unless asserted); raises BuildError as :func:`classify` does."""
        try:
            output = self._hermit.output()
        finally:
            self.stop()
        return _classification(self._graph, output)

    def stop(self) -> None:
        """Stop HermiT and remove its input; for a build that fails before :meth:`result`."""
        self._hermit.stop()
        self._folder.cleanup()


def classify(graph: Graph) -> Classification:
    """Classify; return inferred direct superclasses not already asserted, and named
    equivalences (which QC rejects unless asserted)."""
    return Reasoning(graph).result()


def _classification(graph: Graph, output: str) -> Classification:
    up = _links(output)
    ancestors = _Ancestors(up)
    unsatisfiable = sorted(c for c in up if c != _NOTHING and _NOTHING in ancestors(c))
    if unsatisfiable:
        raise BuildError(
            "reason",
            [
                Problem(
                    "HermiT finds this class unsatisfiable (equivalent to owl:Nothing)",
                    "check its superclasses and restrictions against the disjointness axioms",
                    term=_label(graph, c),
                )
                for c in unsatisfiable
            ],
        )
    _check_read(graph, ancestors, output)
    inferred = Graph()
    equivalences: list[tuple[URIRef, URIRef]] = []
    for cls in sorted(c for c in up if c.startswith(CIMO_NS)):
        all_ancestors = set(ancestors(cls))
        equivalent = {a for a in all_ancestors if cls in ancestors(a)}
        equivalences.extend((URIRef(cls), URIRef(e)) for e in equivalent)
        for parent in _minimal(all_ancestors - equivalent, ancestors):
            triple = (URIRef(cls), RDFS.subClassOf, URIRef(parent))
            if triple not in graph:
                inferred.add(triple)
    return Classification(inferred, sorted(equivalences))
