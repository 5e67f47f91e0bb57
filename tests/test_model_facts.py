"""Model facts from issue 10: reused PR proteins, proteins on the cells CL says carry them,
checkpoint biology, dated regulatory facts, and primary sources only."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

from conftest import REPO

CIMO = "https://w3id.org/cimo/CIMO_"
OBO = "http://purl.obolibrary.org/obo/"
IAO_REPLACED_BY = URIRef(OBO + "IAO_0100001")
HAS_TARGET = URIRef(CIMO + "0000003")
HAS_PM_PART = URIRef(OBO + "RO_0002104")


def c(number: str) -> URIRef:
    return URIRef(CIMO + number)


def o(local: str) -> URIRef:
    return URIRef(OBO + local)


@pytest.fixture(scope="module")
def release(release_dir: Path) -> Graph:
    return Graph().parse(release_dir / "cimo.ttl")


def fillers(graph: Graph, cls: URIRef, prop: URIRef) -> set[object]:
    return {
        graph.value(r, OWL.someValuesFrom)
        for r in graph.objects(cls, RDFS.subClassOf)
        if isinstance(r, BNode) and graph.value(r, OWL.onProperty) == prop
    }


# -- 1. proteins are PR classes ----------------------------------------------------------

REPLACED = [
    ("0000081", "PR_000001289"),
    ("0000083", "PR_000001002"),
    ("0000084", "PR_000001288"),
    ("0000091", "PR_000001852"),
    ("0000099", "PR_000001379"),
    ("0000102", "PR_000005931"),
    ("0000085", "PR_000001964"),  # CD30 (TNFRSF8)
    ("0000086", "PR_000003650"),  # prostatic acid phosphatase
    ("0000090", "PR_000001543"),  # PD-L1
]


@pytest.mark.parametrize(("old", "new"), REPLACED)
def test_duplicate_protein_is_deprecated_for_its_pr_class(
    release: Graph, old: str, new: str
) -> None:
    assert (c(old), OWL.deprecated, Literal(True)) in release
    assert release.value(c(old), IAO_REPLACED_BY) == o(new)
    assert (o(new), RDFS.label, None) in release, "the PR class is imported with its label"
    users = {
        s
        for s, p, _ in release.triples((None, None, c(old)))
        if p not in (IAO_REPLACED_BY,) and not isinstance(s, BNode)
    }
    assert not users, f"{old} is still used by {users}"


@pytest.mark.parametrize(
    ("drug", "target"),
    [
        ("0000110", "PR_000001289"),
        ("0000116", "PR_000001289"),
        ("0000118", "PR_000001288"),
        ("0000120", "PR_000001002"),
        ("0000128", "PR_000001852"),
        ("0000131", "PR_000001002"),
        ("0000114", "PR_P28908"),  # brentuximab vedotin: human CD30
        ("0000138", "PR_P17181"),  # interferon alfa-2b: human IFNAR1
        ("0000126", "PR_000001543"),  # atezolizumab: PD-L1
    ],
)
def test_drug_targets_are_pr_classes(release: Graph, drug: str, target: str) -> None:
    assert o(target) in fillers(release, c(drug), HAS_TARGET)


def test_cd3_complex_is_not_replaced_by_its_epsilon_chain(release: Graph) -> None:
    assert (c("0000087"), OWL.deprecated, Literal(True)) not in release
    assert release.value(c("0000087"), IAO_REPLACED_BY) is None


# -- 2. proteins on the cells that carry them (CL's own axioms) -------------------------


def test_every_cl_expression_axiom_is_copied_from_cl(release: Graph) -> None:
    rows = list(
        csv.DictReader(
            (REPO / "ontology" / "imports" / "cl.tsv").open(encoding="utf-8"), delimiter="\t"
        )
    )
    imported = {row["id"] for row in rows}
    count = 0
    for cell, _, restriction in release.triples((None, RDFS.subClassOf, None)):
        if not isinstance(restriction, BNode):
            continue
        if release.value(restriction, OWL.onProperty) != HAS_PM_PART:
            continue
        count += 1
        assert str(cell).startswith(OBO + "CL_") and "CL:" + str(cell).split("CL_")[1] in imported
        protein = release.value(restriction, OWL.someValuesFrom)
        local = str(protein).split("/obo/")[1]
        quoted = [
            str(q)
            for ax in release.subjects(OWL.annotatedSource, cell)
            for q in release.objects(ax, RDFS.comment)
            if f"ObjectSomeValuesFrom(obo:RO_0002104 obo:{local})" in str(q)
        ]
        assert quoted, (cell, protein, "carries the CL axiom it was copied from")
    assert count >= 30


@pytest.mark.parametrize(
    ("cell", "protein"),
    [
        ("CL_0001201", "PR_000001002"),  # B cell, CD19-positive: CD19
        ("CL_0000785", "PR_000001289"),  # not asserted here: only subclasses of mature B cell
    ],
)
def test_cd19_on_cd19_positive_b_cells_only_what_cl_says(
    release: Graph, cell: str, protein: str
) -> None:
    asserted = o(protein) in fillers(release, o(cell), HAS_PM_PART)
    assert asserted == (cell == "CL_0001201")


def test_cl_negations_are_not_turned_into_expression(release: Graph) -> None:
    # CL: plasma cells lack CD20; long-lived plasma cells lack CD38; PD-1 is on exhausted and
    # follicular helper T cells, not on 'T cell' as a whole.
    for cell, protein in [
        ("CL_0000786", "PR_000001289"),
        ("CL_0000974", "PR_000001408"),
        ("CL_0000084", "PR_000001919"),
        ("CL_0000236", "PR_000001289"),
    ]:
        assert o(protein) not in fillers(release, o(cell), HAS_PM_PART), cell


# -- 3. checkpoint biology and roles -----------------------------------------------------


def definition(graph: Graph, cls: URIRef) -> str:
    return str(graph.value(cls, URIRef(OBO + "IAO_0000115")))


@pytest.mark.parametrize("cls", [c("0000088"), c("0000121")])
def test_checkpoint_proteins_are_not_placed_on_cancer_cells(release: Graph, cls: URIRef) -> None:
    text = definition(release, cls)
    assert "on cancer cells" not in text and "found on cancer cells" not in text
    assert "T cell" in text or "T-cell" in text


def test_pd_l1_is_on_tumour_and_immune_cells(release: Graph) -> None:
    # PD-L1 is the PR class PR:000001543, which carries no definition here; the grouping says it
    text = " ".join(str(x) for x in release.objects(c("0000088"), RDFS.comment))
    pd_l1 = text[text.index("PD-L1 (PR:000001543)") :]
    assert "tumour cells" in pd_l1 and "T cells" in pd_l1 and "B cells" in pd_l1


def test_checkpoint_receptors_are_proteins_not_antigens(release: Graph) -> None:
    antigen = c("0000076")
    for protein in [o("PR_000001919"), o("PR_000001852"), o("PR_000001543"), o("PR_000001881")]:
        assert (protein, RDFS.subClassOf, c("0000088")) in release
        assert (protein, RDFS.subClassOf, antigen) not in release
    assert (c("0000088"), RDFS.subClassOf, o("PR_000000001")) in release


def test_antigen_is_the_bearer_of_obi_antigen_role(release: Graph) -> None:
    antigen = c("0000076")
    assert "foreign substance" not in definition(release, antigen)
    equivalents = list(release.objects(antigen, OWL.equivalentClass))
    assert len(equivalents) == 1
    members = list(release.items(release.value(equivalents[0], OWL.intersectionOf)))
    roles = [release.value(m, OWL.someValuesFrom) for m in members if isinstance(m, BNode)]
    assert o("OBI_0000237") in roles
    assert (o("OBI_0000237"), RDFS.label, Literal("antigen role", lang="en")) in release


@pytest.mark.parametrize("number", ["0000082", "0000085", "0000086", "0000087"])
def test_self_proteins_are_not_kinds_of_antigen(release: Graph, number: str) -> None:
    parents = set(release.objects(c(number), RDFS.subClassOf))
    assert c("0000076") not in parents and c("0000080") not in parents


# -- 4. dated facts ----------------------------------------------------------------------

REG = {
    name: c(number)
    for name, number in [
        ("jurisdiction", "0000179"),
        ("status", "0000180"),
        ("approved", "0000181"),
        ("withdrawn", "0000182"),
        ("withdrawn_indication", "0000185"),
    ]
}
TREATS = o("RO_0002606")


def reified(graph: Graph, source: URIRef, prop: URIRef) -> list[URIRef]:
    return [
        ax
        for ax in graph.subjects(OWL.annotatedSource, source)
        if graph.value(ax, OWL.annotatedProperty) == prop
    ]


@pytest.mark.parametrize(
    ("agent", "disease", "approved", "withdrawn"),
    [
        ("0000133", "MONDO_0850353", "2013-09-06", "2015-05-06"),  # Provenge, CRPC, EU
    ],
)
def test_withdrawn_eu_indications_carry_their_dates_and_ema_source(
    release: Graph, agent: str, disease: str, approved: str, withdrawn: str
) -> None:
    axioms = [
        ax
        for ax in reified(release, c(agent), REG["withdrawn_indication"])
        if release.value(ax, OWL.annotatedTarget) == o(disease)
    ]
    assert len(axioms) == 1
    ax = axioms[0]
    assert str(release.value(ax, REG["jurisdiction"])) == "EU"
    assert str(release.value(ax, REG["status"])) == "withdrawn"
    assert str(release.value(ax, REG["approved"])) == approved
    assert str(release.value(ax, REG["withdrawn"])) == withdrawn
    assert str(release.value(ax, URIRef("http://purl.org/dc/terms/source"))).startswith(
        "https://www.ema.europa.eu/"
    )


def _treats_axioms(release: Graph, agent: str, disease: str) -> list[URIRef]:
    return [
        ax
        for ax in reified(release, c(agent), RDFS.subClassOf)
        if isinstance(release.value(ax, OWL.annotatedTarget), BNode)
        and release.value(release.value(ax, OWL.annotatedTarget), OWL.onProperty) == TREATS
        and release.value(release.value(ax, OWL.annotatedTarget), OWL.someValuesFrom) == o(disease)
        and release.value(ax, REG["status"]) is not None
    ]


def test_alemtuzumab_cll_is_us_approved_and_eu_withdrawn(release: Graph) -> None:
    """Campath: the EU marketing authorisation (MabCampath) was withdrawn on 2012-08-08; the US
    licence for B-CLL stands (regular approval 2007-09-19, NCI's record of the FDA approval).
    The treats axiom stands on the US approval and carries both jurisdictions' status."""
    assert o("MONDO_0004948") in fillers(release, c("0000111"), TREATS)
    by_place = {
        str(release.value(ax, REG["jurisdiction"])): ax
        for ax in _treats_axioms(release, "0000111", "MONDO_0004948")
    }
    assert set(by_place) == {"EU", "US"}
    eu, us = by_place["EU"], by_place["US"]
    assert str(release.value(eu, REG["status"])) == "withdrawn"
    assert str(release.value(eu, REG["withdrawn"])) == "2012-08-08"
    assert str(release.value(eu, REG["approved"])) == "2001-07-06"
    assert str(release.value(us, REG["status"])) == "approved"
    assert str(release.value(us, REG["approved"])) == "2007-09-19"
    assert str(release.value(us, URIRef("http://purl.org/dc/terms/source"))).startswith(
        "https://www.cancer.gov/"
    )


def test_no_treats_axiom_without_an_approval_left(release: Graph) -> None:
    """An indication that has no approval left in any modelled jurisdiction is not a treats
    restriction (issue 10): every reified treats axiom with a regulatory status has at least one
    jurisdiction where it is approved."""
    statuses: dict[tuple[URIRef, URIRef], set[str]] = {}
    for ax in release.subjects(REG["status"], None):
        target = release.value(ax, OWL.annotatedTarget)
        if release.value(ax, OWL.annotatedProperty) != RDFS.subClassOf:
            continue
        if not isinstance(target, BNode) or release.value(target, OWL.onProperty) != TREATS:
            continue
        key = (release.value(ax, OWL.annotatedSource), release.value(target, OWL.someValuesFrom))
        statuses.setdefault(key, set()).add(str(release.value(ax, REG["status"])))
    assert statuses
    assert {k: v for k, v in statuses.items() if "approved" not in v} == {}
    # a disease recorded only as a withdrawn indication is not also a treats filler
    for agent, disease in release.subject_objects(REG["withdrawn_indication"]):
        assert "approved" in statuses.get((agent, disease), set()) or disease not in fillers(
            release, agent, TREATS
        ), (agent, disease)


def test_interferon_alfa_2b_melanoma_claim_without_primary_source_is_gone(release: Graph) -> None:
    """Its only source was an NCI dictionary mirror; the EU SmPC seen states hairy cell leukaemia
    only."""
    assert o("MONDO_0005105") not in fillers(release, c("0000138"), TREATS)
    assert o("MONDO_0018935") in fillers(release, c("0000138"), TREATS)


@pytest.mark.parametrize(
    ("agent", "source"),
    [
        ("0000126", "https://pubmed.ncbi.nlm.nih.gov/28424325/"),
        (
            "0000138",
            "https://ec.europa.eu/health/documents/community-register/2002/200204195120/anx_5120_es.pdf",
        ),
    ],
)
def test_non_primary_definition_sources_replaced(release: Graph, agent: str, source: str) -> None:
    assert set(release.objects(c(agent), URIRef(OBO + "IAO_0000119"))) == {URIRef(source)}


def test_sipuleucel_t_does_not_bind_pap_and_says_what_it_is_made_of(release: Graph) -> None:
    assert not fillers(release, c("0000133"), HAS_TARGET)
    assert "peripheral blood mononuclear cells" in definition(release, c("0000133"))
    comments = [str(x) for x in release.objects(c("0000133"), RDFS.comment)]
    assert any("activated with PAP-GM-CSF" in x for x in comments)


def test_blinatumomab_treats_b_cell_precursor_all(release: Graph) -> None:
    assert o("MONDO_0020511") in fillers(release, c("0000120"), TREATS)


def test_sargramostim_is_supportive_care_not_an_anti_tumour_indication(release: Graph) -> None:
    assert not fillers(release, c("0000137"), TREATS)
    assert any("supportive care" in str(x) for x in release.objects(c("0000137"), RDFS.comment))


def test_nivolumab_us_melanoma_approval_is_dated_from_the_fda_summary(release: Graph) -> None:
    """FDA approval summary (PubMed 28073844): 'On November 23, 2015, the FDA approved
    nivolumab ... for the first-line treatment of ... unresectable or metastatic melanoma.'"""
    axioms = [
        ax
        for ax in _treats_axioms(release, "0000124", "MONDO_0005105")
        if str(release.value(ax, REG["jurisdiction"])) == "US"
    ]
    assert len(axioms) == 1
    assert str(release.value(axioms[0], REG["approved"])) == "2015-11-23"
    assert str(release.value(axioms[0], URIRef("http://purl.org/dc/terms/source"))) == (
        "https://pubmed.ncbi.nlm.nih.gov/28073844/"
    )


def test_sargramostim_bears_a_supportive_care_role(release: Graph) -> None:
    """Issue 10: roles such as supportive care are attached with 'has role'; every use on the
    Leukine label is supportive care, so every sargramostim bears the role."""
    assert c("0000710") in fillers(release, c("0000137"), o("RO_0000087"))
    assert o("BFO_0000023") in set(release.objects(c("0000710"), RDFS.subClassOf))
    assert not fillers(release, c("0000137"), TREATS)


def test_myelosuppression_chain_reaches_pancytopenia(release: Graph) -> None:
    """Myelosuppression results in fewer red cells, white cells and platelets (its NCI
    definition): it causes or contributes to pancytopenia; Campath's label puts its patients at
    risk of pancytopenia."""
    assert o("MONDO_0001529") in fillers(release, c("0000701"), o("RO_0003302"))
    assert o("MONDO_0001529") in fillers(release, c("0000111"), c("0000507"))


def test_textual_definitions_do_not_list_indications(release: Graph) -> None:
    for number in [
        "0000110",
        "0000111",
        "0000114",
        "0000118",
        "0000123",
        "0000124",
        "0000126",
        "0000128",
        "0000130",
        "0000131",
        "0000133",
        "0000136",
        "0000138",
    ]:
        assert "used to treat" not in definition(release, c(number)), number


# -- 5. primary sources only -------------------------------------------------------------


def test_content_farm_denylist_is_the_same_in_the_qc_rule_and_the_mapping_check() -> None:
    from cimo.mappings import CONTENT_FARMS

    rules = (REPO / "shapes" / "qc" / "cimo-rules.ttl").read_text(encoding="utf-8")
    block = rules.split("cimoqc:content_farm_source", 1)[1]
    for domain in CONTENT_FARMS:
        assert domain.replace(".", "[.]") in block and domain in block


def test_no_content_farm_in_the_sources_or_the_mapping_table() -> None:
    from cimo.mappings import CONTENT_FARMS

    for path in [
        *(REPO / "ontology").glob("*.ttl"),
        REPO / "ontology/mappings/cimo.sssom.tsv",
        *(REPO / "ontology" / "imports").glob("*.tsv"),
        *(REPO / "ontology" / "agents").glob("*.tsv"),
    ]:
        text = path.read_text(encoding="utf-8")
        assert not [d for d in CONTENT_FARMS if d in text], path.name


def test_a_content_farm_comment_in_the_mapping_table_fails_the_build(tmp_path: Path) -> None:
    from cimo.mappings import check, read_sssom

    table = (REPO / "ontology/mappings/cimo.sssom.tsv").read_text(encoding="utf-8").splitlines()
    header = [line for line in table if line.startswith("#") or line.startswith("subject_id")]
    cells = {
        "subject_id": "CIMO:0000123",
        "subject_label": "pembrolizumab",
        "predicate_id": "skos:exactMatch",
        "object_id": "atc:L01FF02",
        "object_label": "Pembrolizumab",
        "mapping_justification": "semapv:ManualMappingCuration",
        "comment": "confirmed in: https://everything.explained.today/x/",
    }
    row = "\t".join(cells.get(column, "") for column in header[-1].split("\t"))
    path = tmp_path / "m.sssom.tsv"
    path.write_text("\n".join([*header, row]) + "\n", encoding="utf-8")
    problems = check(read_sssom(path), path, {c("0000123")})
    assert [p for p in problems if "everything.explained.today" in p.message]


@pytest.mark.parametrize(
    ("agent", "source"),
    [
        ("0000116", "https://pubmed.ncbi.nlm.nih.gov/11226003/"),
        (
            "0000128",
            "https://ec.europa.eu/health/documents/community-register/2016/"
            "20160421134557/anx_134557_en.pdf",
        ),
    ],
)
def test_content_farm_sources_replaced_by_primary_records(
    release: Graph, agent: str, source: str
) -> None:
    assert URIRef(source) in set(release.objects(c(agent), URIRef(OBO + "IAO_0000119")))


# -- mappings that do not mislead --------------------------------------------------------


def mapping_rows() -> dict[tuple[str, str], str]:
    lines = (REPO / "ontology/mappings/cimo.sssom.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")][1:]
    return {(r[0], r[3]): r[2] for r in rows}


@pytest.mark.parametrize(
    ("subject", "target", "predicate"),
    [
        ("CIMO:0000076", "NCIT:C268", "skos:closeMatch"),
        ("CIMO:0000020", "mesh:D004358", "skos:broadMatch"),
        ("CIMO:0000046", "mesh:D002986", "skos:relatedMatch"),
        ("CIMO:0000054", "GO:0042098", "skos:relatedMatch"),
        ("CIMO:0000087", "uniprot:P07766", "skos:relatedMatch"),
        ("CIMO:0000168", "MONDO:0018905", "skos:narrowMatch"),
    ],
)
def test_mapping_predicate(subject: str, target: str, predicate: str) -> None:
    assert mapping_rows()[(subject, target)] == predicate


def test_no_gene_is_an_exact_or_close_match_of_a_protein() -> None:
    for (subject, target), predicate in mapping_rows().items():
        if target.startswith("hgnc:"):
            assert predicate == "skos:relatedMatch", (subject, target)


def test_at_most_one_exact_match_per_target_vocabulary() -> None:
    seen: dict[tuple[str, str], str] = {}
    for (subject, target), predicate in mapping_rows().items():
        if predicate == "skos:exactMatch":
            key = (subject, target.split(":")[0])
            assert key not in seen, (subject, seen.get(key), target)
            seen[key] = target
