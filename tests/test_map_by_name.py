"""``cimo map --by-name``: registry-style names -> CIMO terms, never a guess."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cimo.linking.by_name import BRAND, LABEL, NORMALISED, Name, NameIndex, NameMatcher
from cimo.linking.catalog import load_catalog
from cimo.linking.name_eval import read_cases, score
from cimo.linking.name_forms import compact
from conftest import REPO, run_cimo

EVALUATION = REPO / "tests" / "fixtures" / "by_name" / "registry-names.tsv"


@pytest.fixture(scope="module")
def matcher() -> NameMatcher:
    catalog = load_catalog(sorted((REPO / "ontology").glob("*.ttl")))
    return NameMatcher(NameIndex.from_catalog(catalog), cache=False)


def by_name(
    *args: str, stdin: str | None = None, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    if stdin is None:
        return run_cimo("map", "--by-name", *args, cwd=cwd)
    return subprocess.run(
        [sys.executable, "-m", "cimo.cli.main", "map", "--by-name", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=False,
    )


def table(stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout), delimiter="\t"))


def test_evaluation_set_is_large_and_has_names_that_must_match_nothing() -> None:
    cases = read_cases(EVALUATION)
    assert len(cases) >= 150
    assert sum(1 for c in cases if not c.expected) >= 30


def test_evaluation_set_precision_is_total(matcher: NameMatcher) -> None:
    result = score(read_cases(EVALUATION), matcher)
    assert result.true_positives > 0
    assert result.wrong == [], "wrong matches (file line, name, wrong terms)"
    assert result.precision == 1.0


def test_every_name_that_spells_a_covered_label_finds_it(matcher: NameMatcher) -> None:
    """Recall falls short only where CIMO lacks the agent or the name (brand, code)."""
    labels = {n.label for names in matcher.index.names.values() for n in names}
    missed = []
    for case in read_cases(EVALUATION):
        spelled = {
            label for label in case.expected & labels if compact(label) in compact(case.name)
        }
        got = {m.name.label for m in matcher.match(case.name).matches}
        if spelled - got:
            missed.append((case.line, case.name, spelled - got))
    assert missed == []


@pytest.mark.parametrize(
    "text",
    [
        "Placebo",
        "saline",
        "best supportive care",
        "Placebo for rituximab",
        "interferon alfa-2a",
        "Interleukin-2",
        "BSC",
    ],
)
def test_never_guesses(matcher: NameMatcher, text: str) -> None:
    assert matcher.match(text).matches == []


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("rituximab", LABEL),
        ("Rituximab", LABEL),
        ("Rituxan", BRAND),
        ("RITUXAN®", BRAND),
        ("Rituxan™", BRAND),
        ("Rituximab 375 mg/m2 IV weekly", NORMALISED),
        ("Rituxan (rituximab)", NORMALISED),
        ("Biological: Rituximab", NORMALISED),
    ],
)
def test_case_signs_doses_and_parentheses(matcher: NameMatcher, text: str, how: str) -> None:
    matches = matcher.match(text).matches
    assert [(m.name.label, m.how) for m in matches] == [("rituximab", how)]


def test_combination_gives_every_agent(matcher: NameMatcher) -> None:
    for text in (
        "nivolumab + ipilimumab",
        "Nivolumab 3 mg/kg and ipilimumab 1 mg/kg Q3W",
        "nivolumab/ipilimumab",
        "Nivolumab in combination with Ipilimumab",
    ):
        assert {m.name.label for m in matcher.match(text).matches} == {"nivolumab", "ipilimumab"}, (
            text
        )


def test_combination_keeps_the_part_it_knows_and_reports_the_rest(matcher: NameMatcher) -> None:
    result = matcher.match("Pembrolizumab + Docetaxel 75 mg/m2")
    assert [m.name.label for m in result.matches] == ["pembrolizumab"]
    assert result.unmatched == ["docetaxel 75 mg per m2"]


def _toy(*names: Name) -> NameMatcher:
    return NameMatcher(NameIndex(list(names)))


def test_an_ambiguous_name_returns_every_candidate_and_says_so() -> None:
    first = Name("https://w3id.org/cimo/CIMO_0000901", "CIMO:0000901", "agent one", "Brandx", BRAND)
    second = Name(
        "https://w3id.org/cimo/CIMO_0000902", "CIMO:0000902", "agent two", "BRANDX", BRAND
    )
    other = Name(
        "https://w3id.org/cimo/CIMO_0000903", "CIMO:0000903", "agent three", "agent three", LABEL
    )
    matcher = _toy(first, second, other)
    for text in ("Brandx", "brandx 10 mg + agent three"):
        result = matcher.match(text)
        assert result.ambiguous
        by_curie = {m.name.curie: m.ambiguous for m in result.matches}
        assert by_curie["CIMO:0000901"] and by_curie["CIMO:0000902"]
        assert not by_curie.get("CIMO:0000903", False)


def test_cli_says_when_a_name_is_ambiguous(capsys: pytest.CaptureFixture[str]) -> None:
    from cimo.cli.map_by_name import write

    first = Name("https://w3id.org/cimo/CIMO_0000901", "CIMO:0000901", "agent one", "Brandx", BRAND)
    second = Name(
        "https://w3id.org/cimo/CIMO_0000902", "CIMO:0000902", "agent two", "Brandx", BRAND
    )
    matcher = _toy(first, second)
    out = io.StringIO()
    assert write([matcher.match("Brandx 10 mg")], "tsv", out) == (1, 0)
    rows = table(out.getvalue())
    assert [(r["subject_id"], r["ambiguous"]) for r in rows] == [
        ("CIMO:0000901", "true"),
        ("CIMO:0000902", "true"),
    ]
    assert (
        "is ambiguous: it names CIMO:0000901 (agent one), CIMO:0000902" in capsys.readouterr().err
    )


def test_code_variants_with_hyphen_space_or_neither() -> None:
    code = Name(
        "https://w3id.org/cimo/CIMO_0000901", "CIMO:0000901", "agent one", "AB-1234", "code"
    )
    matcher = _toy(code)
    for text in ("AB-1234", "AB 1234", "ab1234", "AB-1234 10 mg/kg IV Q2W", "Drug X (AB1234)"):
        assert [m.name.curie for m in matcher.match(text).matches] == ["CIMO:0000901"], text
    assert matcher.match("AB-12345").matches == []


def test_cli_arguments_tsv_and_exit_status() -> None:
    done = by_name("Rituxan", "nivolumab + ipilimumab", "Placebo")
    assert done.returncode == 1
    rows = table(done.stdout)
    assert list(rows[0])[:4] == ["input", "subject_id", "subject_label", "match"]
    assert [(r["input"], r["subject_label"], r["match"]) for r in rows] == [
        ("Rituxan", "rituximab", "brand"),
        ("nivolumab + ipilimumab", "nivolumab", "normalised"),
        ("nivolumab + ipilimumab", "ipilimumab", "normalised"),
        ("Placebo", "", ""),
    ]
    assert rows[-1]["subject_id"] == ""
    assert by_name("rituximab").returncode == 0


def test_cli_reads_a_text_file_a_named_column_and_stdin(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text(
        "Rituxan\n\n# a comment\nipilimumab 3 mg/kg, every 3 weeks\n", encoding="utf-8"
    )
    from_file = by_name("--input", str(names))
    assert from_file.returncode == 0, from_file.stderr
    assert [r["subject_label"] for r in table(from_file.stdout)] == ["rituximab", "ipilimumab"]

    trials = tmp_path / "trials.csv"
    trials.write_text(
        'nct,intervention\nNCT1,"Nivolumab, Ipilimumab"\nNCT2,Saline\n', encoding="utf-8"
    )
    from_csv = by_name("--input", str(trials), "--column", "intervention")
    assert from_csv.returncode == 1
    assert [r["subject_label"] for r in table(from_csv.stdout)] == ["nivolumab", "ipilimumab", ""]
    from_stdin = by_name("-", stdin="Campath\nsipuleucel T\n")
    assert from_stdin.returncode == 0
    assert [r["subject_label"] for r in table(from_stdin.stdout)] == ["alemtuzumab", "sipuleucel-T"]
    same = by_name("--input", "-", stdin="Campath\n")
    assert table(same.stdout)[0]["subject_label"] == "alemtuzumab"


def test_cli_json() -> None:
    done = by_name("--format", "json", "Rituxan", "Placebo")
    records = json.loads(done.stdout)
    assert records[0]["subject_id"] == "CIMO:0000110" and records[0]["match"] == "brand"
    assert records[1]["subject_id"] == "" and records[1]["unmatched_parts"] == "placebo"


def test_cli_bad_input_exits_two_with_the_fix(tmp_path: Path) -> None:
    missing = by_name("--input", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert missing.stdout == ""
    trials = tmp_path / "trials.tsv"
    trials.write_text("nct\tintervention\nNCT1\tNivolumab\n", encoding="utf-8")
    no_column = by_name("--input", str(trials))
    assert no_column.returncode == 2 and "--column" in no_column.stderr
    wrong = by_name("--input", str(trials), "--column", "drug")
    assert wrong.returncode == 2
    assert f"{trials}:1" in wrong.stderr and "'intervention'" in wrong.stderr
    assert by_name().returncode == 2
    assert by_name("").returncode == 2


def test_readme_states_the_computed_precision_and_recall(matcher: NameMatcher) -> None:
    result = score(read_cases(EVALUATION), matcher)
    stated = f"**precision {result.precision:.1%}, recall {result.recall:.1%}**"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert stated in readme, f"README must state {stated} (rerun bench/by_name_speed.py)"


def test_reads_names_from_a_release_file_outside_a_checkout(
    release_dir: Path, tmp_path: Path
) -> None:
    done = by_name(
        "--ontology", str(release_dir / "cimo.ttl"), "Tevimbra", "ticilimumab", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert [r["subject_label"] for r in table(done.stdout)] == ["tislelizumab", "tremelimumab"]
    lost = by_name("Tevimbra", cwd=tmp_path)
    assert lost.returncode == 2 and "--ontology cimo.ttl" in lost.stderr
