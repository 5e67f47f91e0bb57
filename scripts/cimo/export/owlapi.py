"""The OWL API's own writers: RDF/XML (``cimo.owl``), OWL Functional Syntax and OBO.

These are the formats Protégé, ROBOT and the OBO tool chain read and write
through the OWL API, so the release takes them from the OWL API itself (Debian
``libowlapi-java``, 5.1.20) rather than from a writer of our own. The small
converter ``cimo/java/ReleaseWriter.java`` ships inside the package; it is
compiled once per source version into a cache folder, and one JVM converts
every file a caller asks for, because starting Java costs more than writing.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from cimo.errors import BuildError, Problem

JARS = [
    "owlapi-api",
    "owlapi-impl",
    "owlapi-parsers",
    "owlapi-apibinding",
    "owlapi-oboformat",
    "guava",
    "slf4j-api",
    "slf4j-nop",
    "caffeine",
    "commons-rdf-api",
    "hppcrt",
    "xz",
    "commons-io",
    "atinject-jsr330-api",
    "jsr305",
]
JAR_DIR = Path(os.environ.get("CIMO_OWLAPI_JARS", "/usr/share/java"))
SUFFIXES = (".owl", ".ofn", ".obo")
#: One short-lived conversion: the serial collector and the quick (C1) compiler only.
#: The JIT and GC choices change how fast Java runs, never what it writes; on a shared
#: 2-core machine they halve the JVM's CPU (the optimizing compiler's threads compete
#: with the conversion for cores and barely pay back in a run this short).
JVM_OPTIONS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"]
_INSTALL = (
    "install the JDK and the OWL API (make system-build does: default-jdk-headless libowlapi-java)"
)


def classpath() -> str:
    jars = [JAR_DIR / f"{name}.jar" for name in JARS]
    missing = [str(jar) for jar in jars if not jar.is_file()]
    if missing:
        raise BuildError(
            "owlapi",
            [Problem(f"OWL API jars missing: {', '.join(missing)}", _INSTALL, file=JAR_DIR)],
        )
    return os.pathsep.join(str(jar) for jar in jars)


def java_executable(stage: str) -> str:
    """The ``java`` on the PATH; the build stage that needs it fails, saying how to install it."""
    java = shutil.which("java")
    if java is None:
        raise BuildError(stage, [Problem("java not found", _INSTALL)])
    return java


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cimo" / "java"


def compiled(cp: str) -> Path:
    """The folder holding ``ReleaseWriter.class`` for this exact source, compiling if needed."""
    source = resources.files("cimo") / "java" / "ReleaseWriter.java"
    text = source.read_bytes()
    target = _cache_root() / hashlib.sha256(text).hexdigest()[:16]
    if (target / "ReleaseWriter.class").is_file():
        return target
    javac = shutil.which("javac")
    if javac is None:
        raise BuildError("owlapi", [Problem("javac not found", _INSTALL)])
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent))
    try:
        (staging / "ReleaseWriter.java").write_bytes(text)
        result = subprocess.run(
            [javac, "-nowarn", "-d", str(staging), "-cp", cp, str(staging / "ReleaseWriter.java")],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BuildError(
                "owlapi",
                [Problem(f"javac failed: {result.stderr.strip()}", _INSTALL, file=str(source))],
            )
        try:
            staging.rename(target)
        except OSError:  # another process compiled the same source meanwhile
            if not (target / "ReleaseWriter.class").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _reason(stderr: str) -> str:
    """The useful part of a Java error: the parser's position, or the first line."""
    syntax = re.search(r"(Encountered [^\n]*)\s+(at line \d+, column \d+)", stderr)
    if syntax:
        return f"Turtle syntax error {syntax.group(2)}: {syntax.group(1)}"
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[0][:1000] if lines else "no message"


def convert(
    jobs: list[tuple[bytes, list[str]]], idspaces: dict[str, str] | None = None
) -> list[dict[str, bytes]]:
    """Convert each Turtle document into the files named (by suffix) in one JVM run.

    Returns, per job, a mapping from each requested name to its bytes. Turtle
    the OWL API cannot translate completely is an error, not a silent loss.
    ``idspaces`` are declared in OBO output, for CURIEs (cross-references) whose
    prefix is not an OBO ontology's.
    """
    for _, names in jobs:
        bad = [n for n in names if not n.endswith(SUFFIXES)]
        if bad:
            raise ValueError(f"cannot write {bad} with the OWL API; use one of {SUFFIXES}")
    cp = classpath()
    classes = compiled(cp)
    java = java_executable("owlapi")
    with tempfile.TemporaryDirectory(prefix="cimo-owlapi-") as tmp:
        folder = Path(tmp)
        options = [
            arg
            for prefix, iri in sorted((idspaces or {}).items())
            for arg in ("--idspace", f"{prefix}={iri}")
        ]
        args: list[str] = []
        for index, (turtle, names) in enumerate(jobs):
            (folder / f"{index}").mkdir()
            source = folder / f"{index}" / "in.ttl"
            source.write_bytes(turtle)
            args += (["--"] if args else []) + [str(source)]
            args += [str(folder / f"{index}" / name) for name in names]
        result = subprocess.run(
            [
                java,
                *JVM_OPTIONS,
                "-cp",
                os.pathsep.join([cp, str(classes)]),
                "ReleaseWriter",
                *options,
                *args,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BuildError(
                "owlapi",
                [
                    Problem(
                        f"the OWL API could not convert the release: {_reason(result.stderr)}",
                        "make the Turtle valid OWL 2 (declare every entity; see the message)",
                    )
                ],
            )
        return [
            {name: (folder / f"{index}" / name).read_bytes() for name in names}
            for index, (_, names) in enumerate(jobs)
        ]
