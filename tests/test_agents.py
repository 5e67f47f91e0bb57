"""The agent tables (ontology/agents/*.tsv) and the module generated from them."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from cimo.agents import module
from cimo.agents.owl import PREFIXES
from cimo.errors import BuildError
from cimo.paths import ProjectPaths
from cimo.pipeline.load import parse_module
from conftest import REPO, run_cimo

AGENTS = REPO / "ontology" / "agents"
CIMO = "https://w3id.org/cimo/CIMO_"
OBO = "http://purl.obolibrary.org/obo/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"


def rows(name: str) -> list[dict[str, str]]:
    with (AGENTS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def agents_graph() -> Graph:
    return parse_module(REPO / "ontology" / "agents.ttl")[0]


def test_every_listed_agent_has_target_status_indication_and_names() -> None:
    """The completeness rule for the project's own list of approved agents."""
    missing: dict[str, list[str]] = defaultdict(list)
    have = {
        # a live virus, bacterium, polyclonal cell product or gene vector has no single
        # molecular target: untargeted.tsv says how it acts instead, with its record
        "target or untargeted row": {r["agent"] for r in rows("targets.tsv")}
        | {r["agent"] for r in rows("untargeted.tsv")},
        "status": {r["agent"] for r in rows("status.tsv")},
        "indication": {r["agent"] for r in rows("indications.tsv")},
        "brand or code name": {
            r["agent"] for r in rows("synonyms.tsv") if r["type"] in ("brand", "code")
        },
    }
    agents = rows("agents.tsv")
    assert agents, "the landscape lists no agents"
    for agent in agents:
        for what, ids in have.items():
            if agent["id"] not in ids:
                missing[f"{agent['id']} ({agent['label']})"].append(what)
    assert dict(missing) == {}


def test_committed_module_is_what_the_tables_give() -> None:
    paths = ProjectPaths(REPO)
    modules = {p: parse_module(p)[0] for p in paths.modules()}
    module.check_fresh(paths, modules)
    assert run_cimo("agents", "--check").returncode == 0


def _axioms(graph: Graph, source: URIRef, prop: URIRef) -> list[URIRef]:
    return [
        a
        for a in graph.subjects(OWL.annotatedSource, source)
        if graph.value(a, OWL.annotatedProperty) == prop
    ]


def test_target_and_indication_follow_the_shared_patterns(agents_graph: Graph) -> None:
    cemiplimab = URIRef(CIMO + "0000500")
    targets = {
        agents_graph.value(r, OWL.someValuesFrom)
        for r in agents_graph.objects(cemiplimab, RDFS.subClassOf)
        if agents_graph.value(r, OWL.onProperty) == URIRef(CIMO + "0000003")
    }
    assert targets == {URIRef(OBO + "PR_Q15116")}
    indication = [
        a
        for a in _axioms(agents_graph, cemiplimab, RDFS.subClassOf)
        if agents_graph.value(agents_graph.value(a, OWL.annotatedTarget), OWL.onProperty)
        == URIRef(OBO + "RO_0002606")
    ]
    assert len(indication) == 1
    axiom = indication[0]
    assert agents_graph.value(
        agents_graph.value(axiom, OWL.annotatedTarget), OWL.someValuesFrom
    ) == URIRef(OBO + "MONDO_0002529")
    assert agents_graph.value(axiom, URIRef(CIMO + "0000179")) == Literal("US")
    assert agents_graph.value(axiom, URIRef(CIMO + "0000180")) == Literal("approved")
    assert agents_graph.value(axiom, URIRef(CIMO + "0000181")) == Literal(
        "2018-09-28", datatype=XSD.date
    )
    assert str(agents_graph.value(axiom, DCTERMS.source)).startswith("https://")


def test_marketing_status_is_reified_per_jurisdiction(agents_graph: Graph) -> None:
    cemiplimab = URIRef(CIMO + "0000500")
    status = URIRef(CIMO + "0000180")
    assert (cemiplimab, status, Literal("approved")) in agents_graph
    places = {
        str(agents_graph.value(a, URIRef(CIMO + "0000179")))
        for a in _axioms(agents_graph, cemiplimab, status)
    }
    assert places == {"US", "EU"}


def test_brand_names_and_codes_are_typed_synonyms(agents_graph: Graph) -> None:
    related = URIRef(OIO + "hasRelatedSynonym")
    types = {}
    for axiom in _axioms(agents_graph, URIRef(CIMO + "0000124"), related):
        types[str(agents_graph.value(axiom, OWL.annotatedTarget))] = agents_graph.value(
            axiom, URIRef(OIO + "hasSynonymType")
        )
    assert types["Opdivo"] == URIRef(CIMO + "0000002")
    assert types["ONO-4538"] == URIRef(CIMO + "0000186")
    assert (
        URIRef(CIMO + "0000124"),
        URIRef(OIO + "hasExactSynonym"),
        Literal("NIVO", lang="en"),
    ) in agents_graph


def test_referenced_imports_are_declared_classes(agents_graph: Graph) -> None:
    for iri in (OBO + "PR_Q15116", OBO + "MONDO_0002529"):
        assert (URIRef(iri), RDF.type, OWL.Class) in agents_graph


def test_a_risk_is_a_sourced_risk_relation_never_a_certainty(agents_graph: Graph) -> None:
    """Label risks are 'has adverse event risk' (a kind of RO:0003302) with the label as source."""
    risk = URIRef(CIMO + "0000507")
    blinatumomab = URIRef(CIMO + "0000120")
    events = {
        agents_graph.value(r, OWL.someValuesFrom)
        for r in agents_graph.objects(blinatumomab, RDFS.subClassOf)
        if agents_graph.value(r, OWL.onProperty) == risk
    }
    assert events == {URIRef(OBO + "MONDO_0600008"), URIRef(CIMO + "0000700")}
    sourced = [
        a
        for a in _axioms(agents_graph, blinatumomab, RDFS.subClassOf)
        if agents_graph.value(agents_graph.value(a, OWL.annotatedTarget), OWL.onProperty) == risk
    ]
    assert len(sourced) == 2
    assert all(
        str(agents_graph.value(a, DCTERMS.source)).startswith("https://api.fda.gov/")
        for a in sourced
    )
    # every restriction on the risk relation carries its source
    restricted = {
        (s, agents_graph.value(r, OWL.someValuesFrom))
        for s, r in agents_graph.subject_objects(RDFS.subClassOf)
        if agents_graph.value(r, OWL.onProperty) == risk
    }
    annotated = {
        (
            agents_graph.value(a, OWL.annotatedSource),
            agents_graph.value(agents_graph.value(a, OWL.annotatedTarget), OWL.someValuesFrom),
        )
        for a in agents_graph.subjects(RDF.type, OWL.Axiom)
        if agents_graph.value(agents_graph.value(a, OWL.annotatedTarget), OWL.onProperty) == risk
        and agents_graph.value(a, DCTERMS.source) is not None
    }
    assert restricted and restricted == annotated
    # the therapy-only 'increases risk of' (CIMO:0000008) is not used on agents
    assert not any(
        agents_graph.value(r, OWL.onProperty) == URIRef(CIMO + "0000008")
        for r in agents_graph.objects(None, RDFS.subClassOf)
    )
    declared = parse_module(REPO / "ontology" / "adverse-events.ttl")[0]
    assert (risk, RDFS.subPropertyOf, URIRef(OBO + "RO_0003302")) in declared
    properties = parse_module(REPO / "ontology" / "properties.ttl")[0]
    assert (URIRef(OBO + "RO_0003302"), RDF.type, OWL.ObjectProperty) in properties


def test_an_undated_status_carries_no_approval_date(agents_graph: Graph) -> None:
    with (REPO / "ontology" / "agents" / "status.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    undated = next(r for r in rows if r["status"] == "approved" and not r["approval_date"])
    agent = URIRef(CIMO + undated["agent"].removeprefix("CIMO:"))
    status = URIRef(CIMO + "0000180")
    axioms = [
        a
        for a in _axioms(agents_graph, agent, status)
        if str(agents_graph.value(a, URIRef(CIMO + "0000179"))) == undated["jurisdiction"]
    ]
    assert len(axioms) == 1
    assert agents_graph.value(axioms[0], URIRef(CIMO + "0000181")) is None
    assert agents_graph.value(axioms[0], DCTERMS.source) is not None


def test_facts_on_agents_of_the_modules_and_withdrawals(agents_graph: Graph) -> None:
    """Status and indication rows may describe agents declared in drug.ttl."""
    alemtuzumab, cll = URIRef(CIMO + "0000111"), URIRef(OBO + "MONDO_0004948")
    # EU withdrawn (MabCampath, 2012), US approved: the treats axiom stands on the US approval
    assert (alemtuzumab, URIRef(CIMO + "0000185"), cll) not in agents_graph
    assert (alemtuzumab, URIRef(CIMO + "0000180"), Literal("withdrawn")) in agents_graph
    assert any(
        agents_graph.value(r, OWL.someValuesFrom) == cll
        for r in agents_graph.objects(alemtuzumab, RDFS.subClassOf)
    )
    provenge, crpc = URIRef(CIMO + "0000133"), URIRef(OBO + "MONDO_0850353")
    assert (provenge, URIRef(CIMO + "0000185"), crpc) in agents_graph
    assert not any(
        agents_graph.value(r, OWL.someValuesFrom) == crpc
        for r in agents_graph.objects(provenge, RDFS.subClassOf)
    )
    pembrolizumab = URIRef(CIMO + "0000123")
    biomarkers = {
        agents_graph.value(a, URIRef(CIMO + "0000183"))
        for a in _axioms(agents_graph, pembrolizumab, RDFS.subClassOf)
    }
    assert URIRef(CIMO + "0000702") in biomarkers


def test_families_follow_the_structural_classes() -> None:
    from cimo.agents.statistics import family

    graph = Graph()
    for name in ("drug.ttl", "drug-structure.ttl"):
        graph += parse_module(REPO / "ontology" / name)[0]
    expected = {
        "0000761": "CAR T-cell and other cell therapies",  # tumour-infiltrating lymphocytes
        "0000762": "CAR T-cell and other cell therapies",  # engineered TCR T cells
        "0000129": "CAR T-cell and other cell therapies",  # CAR T cells
        "0000763": "T-cell engagers",  # TCR bispecific
        "0000764": "cytokines and fusion toxins",
        "0000765": "gene therapy products",
        "0000767": "oncolytic viruses",
        "0000768": "BCG and other live bacterial products",
    }
    for number, (parent, name) in enumerate(expected.items()):
        agent = URIRef(f"{CIMO}9990{number:03d}")
        graph.add((agent, RDFS.subClassOf, URIRef(CIMO + parent)))
        assert family(graph, agent) == name, parent
    pd_l1 = URIRef(f"{CIMO}9991000")
    target = BNode()
    graph.add((pd_l1, RDFS.subClassOf, URIRef(CIMO + "0000108")))
    graph.add((pd_l1, RDFS.subClassOf, target))
    graph.add((target, OWL.onProperty, URIRef(CIMO + "0000003")))
    graph.add((target, OWL.someValuesFrom, URIRef("http://purl.obolibrary.org/obo/PR_000001543")))
    assert family(graph, pd_l1) == "checkpoint inhibitors"
    # antibodies against the PR classes of PD-L1 and LAG-3 (human) are checkpoint inhibitors too
    for number, protein in enumerate(("PR_Q9NZQ7", "PR_P18627")):
        agent = URIRef(f"{CIMO}999110{number}")
        target = BNode()
        graph.add((agent, RDFS.subClassOf, URIRef(CIMO + "0000108")))
        graph.add((agent, RDFS.subClassOf, target))
        graph.add((target, OWL.onProperty, URIRef(CIMO + "0000003")))
        graph.add((target, OWL.someValuesFrom, URIRef("http://purl.obolibrary.org/obo/" + protein)))
        assert family(graph, agent) == "checkpoint inhibitors", protein


def test_by_name_reads_the_generated_brand_names() -> None:
    done = run_cimo("map", "--by-name", "Libtayo", "REGN 2810", "Opdivo + Yervoy")
    assert done.returncode == 0, done.stderr
    found = [line.split("\t")[1:4] for line in done.stdout.splitlines()[1:]]
    assert found == [
        ["CIMO:0000500", "cemiplimab", "brand"],
        ["CIMO:0000500", "cemiplimab", "normalised"],
        ["CIMO:0000124", "nivolumab", "normalised"],
        ["CIMO:0000128", "ipilimumab", "normalised"],
    ]


# --- bad rows: every one reported with file, line, what is wrong and the fix ---------

BAD_ROWS = {
    "agents.tsv": (
        "CIMO:0001200\tzz agent\tCIMO:0000108\tA definition.\thttps://example.org/x",
        [
            "agents.tsv:",
            "CIMO:0001200 is outside the landscape's range",
            "fix: take the next free ID from CIMO:0000500-CIMO:0000999",
        ],
    ),
    "targets.tsv": (
        "CIMO:0000500\tPR:Q99999\tQ99999\thttps://example.org/x",
        [
            "targets.tsv:",
            "target PR:Q99999 is not in ontology/imports/pr.tsv",
            "fix: add a confirmed row for PR:Q99999",
        ],
    ),
    "indications.tsv": (
        "CIMO:0000500\tMONDO:0005105\tUS\twithdrawn\t2019-13-01\t\t\t\thttps://example.org/x",
        [
            "indications.tsv:",
            "approval_date '2019-13-01' is not a date",
            "fix: write the day the record gives, as YYYY-MM-DD",
        ],
    ),
    "status.tsv": (
        "CIMO:0000501\tUK\tapproved\t2021-04-22\t\thttps://example.org/x",
        ["status.tsv:", "jurisdiction is 'UK'", "fix: use one of: US, EU"],
    ),
    "synonyms.tsv": (
        "CIMO:0000999\tZzbrand\tbrand\thttps://example.org/x",
        [
            "synonyms.tsv:",
            "agent 'CIMO:0000999' is not in agents.tsv",
            "fix: add the agent to agents.tsv first",
        ],
    ),
    "risks.tsv": (
        "CIMO:0000120\tMONDO:0009999\thttps://example.org/x\tCRS occurred.",
        [
            "risks.tsv:",
            "event 'MONDO:0009999' is not an imported or declared class",
            "fix: add a confirmed row to ontology/imports/mondo.tsv",
        ],
    ),
    "untargeted.tsv": (
        "CIMO:0000500\tbinds nothing\thttps://example.org/x",
        [
            "untargeted.tsv:",
            "CIMO:0000500 has a target row in targets.tsv",
            "fix: keep the target row or this row, not both",
        ],
    ),
}


@pytest.mark.parametrize("table", sorted(BAD_ROWS))
def test_bad_row_fails_with_file_line_and_fix(project: ProjectPaths, table: str) -> None:
    path = project.ontology / "agents" / table
    text = path.read_text(encoding="utf-8")
    row, expected = BAD_ROWS[table]
    path.write_text(text + row + "\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    with pytest.raises(BuildError) as caught:
        module.write(project, {p: parse_module(p)[0] for p in project.modules()})
    message = caught.value.render()
    assert f"{table}:{line}:" in message
    for fragment in expected:
        assert fragment in message
    done = run_cimo("build", "--out", str(project.root / "out"), cwd=project.root)
    assert done.returncode != 0 and f"{table}:{line}:" in done.stderr + done.stdout


def _targets_with_relation(project: ProjectPaths, row: str) -> Path:
    """targets.tsv with the optional ``relation`` column in its header and one more row;
    the rows already there are cut to the four required cells, so they leave the
    relation out (and keep 'has molecular target') unless they say 'is directed against'."""
    path = project.ontology / "agents" / "targets.tsv"
    header, *body = path.read_text(encoding="utf-8").splitlines()
    assert header.split("\t")[:4] == ["agent", "target", "uniprot", "source"]
    body = [
        line if line.endswith("is directed against") else "\t".join(line.split("\t")[:4])
        for line in body
    ]
    path.write_text(
        "\n".join(["agent\ttarget\tuniprot\tsource\trelation", *body, row]) + "\n", encoding="utf-8"
    )
    return path


def test_an_untargeted_agent_says_how_it_acts_with_its_record(agents_graph: Graph) -> None:
    """A live virus, bacterium, TIL product or gene vector has no target row: its
    untargeted.tsv row becomes a comment on the agent, annotated with the record."""
    listed = rows("untargeted.tsv")
    assert listed, "untargeted.tsv lists no agent"
    targeted = {r["agent"] for r in rows("targets.tsv")}
    for row in listed:
        agent = URIRef(CIMO + row["agent"].split(":")[1])
        assert row["agent"] not in targeted
        note = Literal(f"No single molecular target: {row['reason']}", lang="en")
        assert (agent, RDFS.comment, note) in agents_graph
        assert any(
            agents_graph.value(ax, OWL.annotatedTarget) == note
            and agents_graph.value(ax, DCTERMS.source) == URIRef(row["source"])
            for ax in agents_graph.subjects(OWL.annotatedSource, agent)
        ), row["agent"]


def test_a_target_row_can_say_is_directed_against(project: ProjectPaths) -> None:
    """A cell product is directed against its antigen (CIMO:0000261), it has no molecular
    target; the ``relation`` column says which, and is 'has molecular target' when empty."""
    _targets_with_relation(
        project,
        "CIMO:0000503\tPR:Q15116\tQ15116\thttps://example.org/x\tis directed against",
    )
    graph = parse_module(module.write(project, {p: parse_module(p)[0] for p in project.modules()}))[
        0
    ]

    def fillers(agent: str, prop: str) -> set[URIRef]:
        found = set()
        for node in graph.objects(URIRef(CIMO + agent), RDFS.subClassOf):
            if graph.value(node, OWL.onProperty) == URIRef(CIMO + prop):
                found.add(graph.value(node, OWL.someValuesFrom))
        return found

    pd_1 = URIRef(OBO + "PR_Q15116")
    assert pd_1 in fillers("0000503", "0000261")
    assert pd_1 not in fillers("0000503", "0000003")
    # the row without a relation cell is unchanged: cemiplimab has PD-1 as molecular target
    assert pd_1 in fillers("0000500", "0000003")
    assert pd_1 not in fillers("0000500", "0000261")
    # the annotated copy carries the source, as for a molecular target
    assert any(
        graph.value(ax, OWL.annotatedSource) == URIRef(CIMO + "0000503")
        and graph.value(graph.value(ax, OWL.annotatedTarget), OWL.onProperty)
        == URIRef(CIMO + "0000261")
        and graph.value(ax, DCTERMS.source) == URIRef("https://example.org/x")
        for ax in graph.subjects(RDF.type, OWL.Axiom)
    )


def test_an_unknown_target_relation_fails_with_line_and_fix(project: ProjectPaths) -> None:
    path = _targets_with_relation(
        project, "CIMO:0000503\tPR:Q15116\tQ15116\thttps://example.org/x\tbinds"
    )
    line = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(BuildError) as caught:
        module.write(project, {p: parse_module(p)[0] for p in project.modules()})
    message = caught.value.render()
    assert f"targets.tsv:{line}:" in message
    assert "relation is 'binds'" in message
    assert "use one of: has molecular target, is directed against" in message


def test_a_stale_module_fails_the_build(project: ProjectPaths, tmp_path: Path) -> None:
    synonyms = project.ontology / "agents" / "synonyms.tsv"
    synonyms.write_text(
        synonyms.read_text(encoding="utf-8")
        + "CIMO:0000500\tCemiplimab-rwlc\tshort\thttps://example.org/x\n",
        encoding="utf-8",
    )
    done = run_cimo("build", "--out", str(tmp_path / "out"), cwd=project.root)
    assert done.returncode != 0
    assert "agents.ttl is out of date" in done.stderr + done.stdout
    assert "run `cimo agents`" in done.stderr + done.stdout
    assert run_cimo("agents", cwd=project.root).returncode == 0
    assert run_cimo("agents", "--check", cwd=project.root).returncode == 0


def test_prefixes_of_the_module_match_the_other_modules() -> None:
    from cimo.fmt import declared_prefixes

    drug = declared_prefixes((REPO / "ontology" / "drug.ttl").read_text(encoding="utf-8"))
    for prefix, namespace in PREFIXES.items():
        if prefix in drug:
            assert drug[prefix] == namespace


def test_statistics_and_readme_give_the_families_of_the_release(release_dir: Path) -> None:
    from cimo.agents.statistics import family_table

    graph = Graph().parse(release_dir / "cimo.ttl")
    table = family_table(graph)
    assert "checkpoint inhibitors" in table and "T-cell engagers" in table
    assert table in (release_dir / "reports" / "statistics.md").read_text(encoding="utf-8")
    assert table in (REPO / "README.md").read_text(encoding="utf-8"), (
        "README's family table is stale: paste the one from build/reports/statistics.md"
    )


def test_a_tree_without_tables_builds_its_committed_module_as_is(project: ProjectPaths) -> None:
    import shutil

    shutil.rmtree(project.ontology / "agents")
    modules = {p: parse_module(p)[0] for p in project.modules()}
    assert module.check_fresh(project, modules).agents == []
