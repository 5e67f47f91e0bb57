"""Logical definitions: HermiT classifies a therapy by its agent, mechanisms are tied to GO
processes and their participants, relations follow RO, and one predicate answers "treats"."""

from __future__ import annotations

from pathlib import Path

import owlready2
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDFS

CIMO = "https://w3id.org/cimo/CIMO_"
OBO = "http://purl.obolibrary.org/obo/"


def c(number: str) -> URIRef:
    return URIRef(CIMO + number)


def o(local: str) -> URIRef:
    return URIRef(OBO + local)


THERAPY, AGENT = c("0000018"), c("0000005")

#: (therapy class, the drug class that defines it): X ≡ therapy and (has therapeutic agent some D)
DEFINED_BY_AGENT = [
    (c("0000031"), c("0000108")),  # monoclonal antibody therapy / therapeutic monoclonal antibody
    (c("0000032"), c("0000112")),  # conjugated monoclonal antibody therapy
    (c("0000033"), c("0000113")),  # antibody-drug conjugate therapy
    (c("0000034"), c("0000115")),  # radioimmunoconjugate therapy
    (c("0000035"), c("0000117")),  # immunotoxin therapy
    (c("0000036"), c("0000121")),  # immune checkpoint inhibitor therapy
    (c("0000037"), c("0000132")),  # cancer vaccine therapy
    (c("0000039"), c("0000129")),  # CAR T-cell therapy / CAR T-cell product
    (c("0000040"), c("0000135")),  # cytokine therapy / cytokine drug
    (c("0000041"), c("0000134")),  # biologic response modifier therapy
    (c("0000042"), c("0000119")),  # bispecific T-cell engager therapy
]

#: (a drug given in a probe therapy, the defined therapies HermiT must place the probe under)
PROBES = [
    (c("0000110"), {c("0000031")}),  # rituximab
    (c("0000114"), {c("0000031"), c("0000032"), c("0000033")}),  # brentuximab vedotin
    (c("0000116"), {c("0000032"), c("0000034")}),  # ibritumomab tiuxetan
    (c("0000118"), {c("0000032"), c("0000035")}),  # moxetumomab pasudotox
    (c("0000123"), {c("0000031"), c("0000036")}),  # pembrolizumab
    (c("0000128"), {c("0000036")}),  # ipilimumab
    (c("0000130"), {c("0000039"), c("0000038")}),  # tisagenlecleucel -> CAR T, ACT
    (c("0000133"), {c("0000037")}),  # sipuleucel-T
    (c("0000136"), {c("0000040"), c("0000041")}),  # aldesleukin
    (c("0000120"), {c("0000042")}),  # blinatumomab
]


@pytest.fixture(scope="module")
def graph(release_dir: Path) -> Graph:
    return Graph().parse(release_dir / "cimo.ttl")


@pytest.fixture(scope="module")
def classified(release_dir: Path) -> dict[URIRef, set[URIRef]]:
    """Load the release, add one probe class per drug ('therapy and has therapeutic agent some
    <drug>'), run HermiT as the build does, and return each probe's inferred ancestors."""
    world = owlready2.World()
    world.get_ontology((release_dir / "cimo.owl").as_uri()).load()
    therapy, agent = world[str(THERAPY)], world[str(AGENT)]
    probes = {}
    with world.get_ontology("http://cimo.invalid/test-logic/"):
        for index, (drug, _) in enumerate(PROBES):
            probe = owlready2.types.new_class(f"probe_{index}", (therapy,))
            probe.is_a.append(agent.some(world[str(drug)]))
            probes[drug] = probe
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    unsatisfiable = [x for x in world.inconsistent_classes() if x is not owlready2.Nothing]
    assert unsatisfiable == []
    result = {
        drug: {URIRef(a.iri) for a in probe.ancestors() if hasattr(a, "iri")}
        for drug, probe in probes.items()
    }
    world.close()
    return result


def restrictions(graph: Graph, cls: URIRef, prop: URIRef) -> set[object]:
    """Fillers of (prop some filler) that cls is a subclass of, or is defined with."""
    found = {
        graph.value(r, OWL.someValuesFrom)
        for r in graph.objects(cls, RDFS.subClassOf)
        if isinstance(r, BNode) and graph.value(r, OWL.onProperty) == prop
    }
    return found | {filler for p, filler in definition(graph, cls)[1] if p == prop}


def definition(graph: Graph, cls: URIRef) -> tuple[set[object], set[tuple[object, object]]]:
    """The named members and the (property, filler) restrictions of cls's equivalent class."""
    for expr in graph.objects(cls, OWL.equivalentClass):
        members = list(Collection(graph, graph.value(expr, OWL.intersectionOf)))
        named = {m for m in members if isinstance(m, URIRef)}
        parts = {
            (graph.value(m, OWL.onProperty), graph.value(m, OWL.someValuesFrom))
            for m in members
            if isinstance(m, BNode)
        }
        return named, parts
    return set(), set()


@pytest.mark.parametrize(
    ("therapy", "drug"),
    DEFINED_BY_AGENT,
    ids=[str(t).rsplit("_", 1)[1] for t, _ in DEFINED_BY_AGENT],
)
def test_a_therapy_is_defined_by_its_agent(graph: Graph, therapy: URIRef, drug: URIRef) -> None:
    assert definition(graph, therapy) == ({THERAPY}, {(AGENT, drug)})


@pytest.mark.parametrize(
    ("drug", "expected"), PROBES, ids=[str(d).rsplit("_", 1)[1] for d, _ in PROBES]
)
def test_hermit_classifies_a_therapy_by_its_agent(
    classified: dict[URIRef, set[URIRef]], drug: URIRef, expected: set[URIRef]
) -> None:
    assert expected <= classified[drug]


def test_a_checkpoint_antibody_therapy_is_not_said_to_act_on_cancer_cells(
    classified: dict[URIRef, set[URIRef]],
) -> None:
    # pembrolizumab binds PD-1 on T cells: its therapy is an antibody therapy but not a
    # 'specific immunotherapy' (acts on malignant cells), nor a cancer-antigen binding one.
    assert c("0000029") not in classified[c("0000123")]


def test_the_reasoner_adds_what_the_definitions_imply(graph: Graph) -> None:
    # a cytokine drug is a biologic response modifier, so cytokine therapy is a BRM therapy
    assert (c("0000040"), RDFS.subClassOf, c("0000041")) in graph
    # TIL expansion transfers tumour-reactive T cells, so it is an adoptive transfer of T cells
    assert (c("0000054"), RDFS.subClassOf, c("0000263")) in graph


@pytest.mark.parametrize(
    ("mechanism", "prop", "filler", "why"),
    [
        (c("0000053"), o("RO_0002233"), c("0000080"), "vaccine: has input tumour antigen"),
        (c("0000262"), o("RO_0002233"), o("CL_0000738"), "adoptive transfer: has input leukocyte"),
        (c("0000054"), o("RO_0002233"), c("0000158"), "TIL: has input tumour-reactive T cell"),
        (c("0000054"), o("BFO_0000051"), o("GO_0042098"), "TIL: has part T cell proliferation"),
        (c("0000264"), o("RO_0002233"), c("0000135"), "cytokine therapy: has input cytokine drug"),
        (c("0000265"), o("RO_0002233"), c("0000087"), "T-cell engager: has input CD3"),
        (c("0000265"), o("RO_0000057"), o("CL_0000084"), "T-cell engager: has participant T cell"),
        (c("0000055"), o("RO_0002233"), c("0000088"), "blockade: has input checkpoint protein"),
        (
            c("0000055"),
            o("RO_0002213"),
            o("GO_0042110"),
            "blockade: up-regulates T cell activation",
        ),
        (c("0000266"), o("RO_0000057"), o("PR_000001543"), "evasion: has participant PD-L1"),
        (
            c("0000266"),
            o("RO_0002212"),
            o("GO_0042110"),
            "evasion: down-regulates T cell activation",
        ),
        (c("0000075"), o("RO_0002212"), o("GO_0006955"), "evasion: down-regulates immune response"),
        (
            c("0000049"),
            o("RO_0002213"),
            o("GO_0002376"),
            "immunotherapy: up-regulates immune system",
        ),
        (
            c("0000049"),
            o("RO_0000057"),
            o("UBERON_0002405"),
            "immunotherapy: immune system takes part",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and " " in value else "",
)
def test_mechanisms_have_go_style_axioms(
    graph: Graph, mechanism: URIRef, prop: URIRef, filler: URIRef, why: str
) -> None:
    assert filler in restrictions(graph, mechanism, prop), why


def test_mechanism_definitions_use_a_genus_and_a_differentia(graph: Graph) -> None:
    assert definition(graph, c("0000053")) == ({c("0000049")}, {(o("RO_0002233"), c("0000080"))})
    assert definition(graph, c("0000263")) == ({c("0000262")}, {(o("RO_0002233"), o("CL_0000084"))})


def test_therapies_are_linked_to_their_mechanisms(graph: Graph) -> None:
    acts = c("0000004")
    assert c("0000262") in restrictions(graph, c("0000038"), acts)  # ACT: transfer of cells
    assert c("0000054") in restrictions(graph, c("0000189"), acts)  # TIL: tumour-reactive T cells
    assert c("0000054") not in restrictions(graph, c("0000038"), acts)  # not every ACT is TIL
    assert c("0000263") in restrictions(graph, c("0000039"), acts)  # CAR T: T cells
    assert c("0000264") in restrictions(graph, c("0000040"), acts)  # cytokine
    assert c("0000265") in restrictions(graph, c("0000042"), acts)  # T-cell engager


def test_relations_follow_ro(graph: Graph) -> None:
    sub = RDFS.subPropertyOf
    assert (c("0000004"), sub, o("RO_0002411")) in graph  # acts through mechanism
    assert (c("0000004"), sub, o("BFO_0000051")) not in graph
    assert (c("0000008"), sub, o("RO_0003302")) in graph  # increases risk of
    assert (c("0000003"), RDFS.range, o("PR_000000001")) in graph  # has molecular target
    assert graph.value(c("0000261"), RDFS.label) is not None  # is directed against
    assert (o("RO_0002233"), sub, o("RO_0000057")) in graph  # has input < has participant
    for regulates in ("RO_0002212", "RO_0002213"):
        assert (o(regulates), sub, o("RO_0002211")) in graph
    assert (o("RO_0002211"), sub, o("RO_0002411")) in graph


def test_one_treats_predicate_for_drugs_and_therapies(graph: Graph, release_dir: Path) -> None:
    treats = c("0000260")
    assert (o("RO_0002606"), RDFS.subPropertyOf, treats) in graph  # drugs
    assert (c("0000006"), RDFS.subPropertyOf, treats) in graph  # therapies
    edges = Graph().parse(release_dir / "cimo-edges.ttl")
    assert (c("0000124"), treats, o("MONDO_0005105")) in edges  # nivolumab, melanoma
    assert (c("0000037"), treats, o("MONDO_0004992")) in edges  # cancer vaccine therapy
    # the sub-property edges stay too
    assert (c("0000124"), o("RO_0002606"), o("MONDO_0005105")) in edges


def test_hermit_finds_no_equivalence_between_named_classes(graph: Graph) -> None:
    """The definitions classify; they do not collapse two named classes into one."""
    from cimo.pipeline.reason import classify

    assert classify(graph).equivalences == []
