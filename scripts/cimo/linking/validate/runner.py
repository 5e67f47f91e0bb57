"""Validate files or an endpoint: term checks, then shape checks.

Files are streamed once (term checks on the way, relevant triples into the
store), then the shapes run in the store. An endpoint gets the same checks as
SPARQL queries. Each phase is timed, for the benchmark and ``--verbose``.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from cimo.linking.catalog import Catalog
from cimo.linking.errors import InputError
from cimo.linking.input_guard import DEFAULT_LIMITS, Limits
from cimo.linking.validate.checks import run_shape_checks
from cimo.linking.validate.endpoint_terms import collect_usages
from cimo.linking.validate.findings import Finding
from cimo.linking.validate.shapes import ShapeSet
from cimo.linking.validate.sparql import Endpoint, LocalStore
from cimo.linking.validate.stream import scan
from cimo.linking.validate.terms import TERM_SHAPES, judge_all

#: input size above which the store lives on disk: memory then stays bounded (10 million
#: triples in memory took 2.7 GB), at about three times the CPU of the in-memory store
ON_DISK_ABOVE = 256 * 1024 * 1024


@dataclass
class Outcome:
    findings: list[Finding]
    triples: int = 0
    kept: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not self.findings


def _check_term_shapes(shapes: ShapeSet) -> None:
    unknown = sorted(set(shapes.engine_targeted) - set(TERM_SHAPES))
    if unknown:
        iri = unknown[0]
        raise InputError(
            f"shape {iri} has a SPARQL constraint and no target, and cimo validate "
            "does not know which nodes to apply it to",
            f"give it a SHACL Core target, or use one of {', '.join(TERM_SHAPES)}",
            file=shapes.engine_targeted[iri],
        )


def validate_files(
    paths: list[Path], catalog: Catalog, shapes: ShapeSet, limits: Limits = DEFAULT_LIMITS
) -> Outcome:
    _check_term_shapes(shapes)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    large = sum(path.stat().st_size for path in paths if path.is_file()) > ON_DISK_ABOVE
    with tempfile.TemporaryDirectory(prefix="cimo-validate-") as folder:
        store = LocalStore(catalog, Path(folder) if large else None)
        streamed = scan(paths, shapes.predicates(), store.add, limits)
        timings["stream and load"] = time.perf_counter() - start
        start = time.perf_counter()
        findings = judge_all(catalog, streamed.usages)
        timings["term checks"] = time.perf_counter() - start
        start = time.perf_counter()
        findings += run_shape_checks(catalog, shapes, store)
        timings["shape checks"] = time.perf_counter() - start
        del store
    return Outcome(findings, streamed.triples, streamed.kept, timings)


def validate_endpoint(endpoint: Endpoint, catalog: Catalog, shapes: ShapeSet) -> Outcome:
    _check_term_shapes(shapes)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    findings = judge_all(catalog, collect_usages(endpoint))
    timings["term checks"] = time.perf_counter() - start
    start = time.perf_counter()
    findings += run_shape_checks(catalog, shapes, endpoint)
    timings["shape checks"] = time.perf_counter() - start
    return Outcome(findings, timings=timings)
