"""Loading fixtures: every label is checked against its article, problems are one line each."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from agent.evals.fixtures import SCHEMA_COMMENT, FixtureError, load_case, load_cases
from agent.evals.schema import SCHEMA_PATH, schema_text
from tests.conftest import REPO
from tests.evals.helpers import ALPHA, BETA, tiny_case, tiny_labels, write_case

ARTICLES = {"alpha": ALPHA, "beta": BETA}


def problems_of(
    root: Path, labels: dict[str, Any] | str, articles: dict[str, str] = ARTICLES
) -> str:
    """The FixtureError message for a case "tiny" under `root`; every line names a file."""
    with pytest.raises(FixtureError) as caught:
        load_case(write_case(root, "tiny", articles, labels))
    message = str(caught.value)
    for line in message.splitlines():
        assert line.startswith(str(root / "tiny" / "labels.yaml") + ": "), line
    return message


def test_valid_case_resolves_every_quote_to_its_offsets(tmp_path: Path) -> None:
    case = tiny_case(tmp_path)
    assert case.name == "tiny" and sorted(case.texts) == ["alpha", "beta"]
    assert sorted(case.article_paths) == ["alpha", "beta"]
    assert all(p.suffix == ".txt" for p in case.article_paths.values())
    quotes = [s for c in case.labels.contradictions for side in c.sides for s in side]
    assert len(quotes) == 6
    for span in quotes:
        loc = case.locate(span)
        assert case.texts[loc.article][loc.start : loc.end] == span.quote
    loc = case.locations[("beta", "52 people were hurt")]
    assert (loc.start, loc.end) == (BETA.index("52 people"), BETA.index("52 people") + 19)


def test_quote_not_in_article_is_an_error(tmp_path: Path) -> None:
    labels = tiny_labels()
    labels["contradictions"][0]["sides"][0][0]["quote"] = "the order covers only Westtown"
    message = problems_of(tmp_path, labels)
    assert "labels.yaml: contradiction 'scope-towns': quote not found in alpha" in message
    assert len(message.splitlines()) == 1


def test_quote_differing_only_in_typography_stands_for_the_articles_words(
    tmp_path: Path,
) -> None:
    # Issue 13.1: a label typed with straight marks (or other dashes, spacing, no final stop)
    # is found as the tool's grounding finds a model's quote; its location is the article's
    # own words, byte for byte.
    labels = tiny_labels()
    labels["agreements"][0]["sides"][1][0]["quote"] = "'It was chaos'"  # single, straight, no stop
    labels["agreements"][0]["sides"][1][0]["article"] = "beta"
    folder = write_case(tmp_path, "tiny", {"alpha": ALPHA, "beta": BETA}, labels)
    case = load_case(folder)
    loc = case.locations[("beta", "'It was chaos'")]
    assert BETA[loc.start : loc.end] == "It was chaos"  # the marks around it are not words


def test_a_retyped_quote_must_still_occur_once_and_keep_its_words(tmp_path: Path) -> None:
    labels = tiny_labels()
    labels["traps"][0]["sides"][0][0]["quote"] = "The river  bridge"  # once in alpha: fine
    labels["key_claims"][0]["quote"] = "people  were hurt"  # two spaces; alpha has it once
    message = problems_of(
        tmp_path, labels, {"alpha": ALPHA + " 40 people were hurt.", "beta": BETA}
    )
    assert "key claim 'mayor-hurt': quote occurs more than once in alpha" in message
    labels = tiny_labels()
    labels["agreements"][0]["sides"][1][0]["quote"] = "'It was mayhem'"  # another word
    labels["agreements"][0]["sides"][1][0]["article"] = "beta"
    message = problems_of(tmp_path / "two", labels)
    assert "agreement 'bridge-closed': quote not found in beta" in message


def test_ambiguous_quote_is_an_error(tmp_path: Path) -> None:
    labels = tiny_labels()
    labels["key_claims"][0]["quote"] = "people were hurt"  # once per article: fine
    labels["key_claims"][1]["quote"] = "attended"  # beta has it once; alpha's copy is elsewhere
    labels["traps"][0]["sides"][0][0]["quote"] = "The "  # several times in alpha
    message = problems_of(tmp_path, labels)
    assert "trap 'firefighters-rounding': quote occurs more than once in alpha" in message
    assert "key claim" not in message


def test_overlapping_repeat_counts_as_ambiguous(tmp_path: Path) -> None:
    labels = tiny_labels()
    labels["key_claims"][0]["quote"] = "aa"
    message = problems_of(tmp_path, labels, {"alpha": ALPHA + " Baaa.", "beta": BETA})
    assert "key claim 'mayor-hurt': quote occurs more than once in alpha" in message


def test_unknown_article_is_an_error(tmp_path: Path) -> None:
    labels = tiny_labels()
    labels["key_claims"][1]["article"] = "gamma"
    message = problems_of(tmp_path, labels)
    assert "key claim 'medics-hurt': unknown article 'gamma' (articles: alpha, beta)" in message


@pytest.mark.parametrize(("section", "count"), [("contradictions", 3), ("traps", 1)])
def test_wrong_number_of_sides_is_an_error(tmp_path: Path, section: str, count: int) -> None:
    labels = tiny_labels()
    sides = labels[section][0]["sides"]
    labels[section][0]["sides"] = [*sides, sides[0]][:count]
    message = problems_of(tmp_path, labels)
    assert f"{section}[0] '{labels[section][0]['id']}'.sides: List should have at" in message


def test_agreement_from_a_single_article_is_an_error(tmp_path: Path) -> None:
    labels = tiny_labels()
    labels["agreements"][0]["sides"][1] = [
        {"article": "alpha", "quote": "The fire began on Monday"}
    ]
    message = problems_of(tmp_path, labels)
    assert "agreement 'bridge-closed': its sides must come from 2+ different articles" in message


def test_same_span_on_both_sides_is_an_error(tmp_path: Path) -> None:
    labels = tiny_labels()
    contra = labels["contradictions"][1]
    contra["sides"][1] = copy.deepcopy(contra["sides"][0])
    assert "contradiction 'injured-count': the same span is on two sides" in problems_of(
        tmp_path, labels
    )


def test_same_words_on_both_sides_with_other_claimants_is_an_error(tmp_path: Path) -> None:
    labels = tiny_labels()
    contra = labels["contradictions"][1]
    contra["sides"][1] = [{**contra["sides"][0][0], "claimant": "someone else", "aliases": []}]
    assert "contradiction 'injured-count': the same span is on two sides" in problems_of(
        tmp_path, labels
    )


def test_a_side_span_may_name_its_claimant(tmp_path: Path) -> None:
    case = tiny_case(tmp_path)
    scope, injured = case.labels.contradictions[:2]
    mayor = injured.sides[0][0]
    assert (mayor.claimant, mayor.aliases) == ("Jane Doe", ("the mayor",))
    assert scope.sides[1][0].claimant is None and scope.sides[1][0].aliases == ()
    # Where it is does not depend on who says it.
    assert case.locate(mayor) == case.locations[("alpha", "40 people were hurt")]


def test_aliases_without_a_claimant_are_an_error(tmp_path: Path) -> None:
    labels = tiny_labels()
    del labels["contradictions"][1]["sides"][0][0]["claimant"]
    message = problems_of(tmp_path, labels)
    assert "contradictions[1] 'injured-count'.sides[0][0]: Value error, aliases are given" in (
        message
    )


def test_duplicate_ids_and_case_name_mismatch(tmp_path: Path) -> None:
    labels = tiny_labels(case="other")
    labels["traps"][0]["id"] = "scope-towns"
    message = problems_of(tmp_path, labels)
    assert "case is 'other' but the folder is 'tiny'" in message
    assert "id 'scope-towns' is used more than once" in message


def test_structure_errors_name_the_field(tmp_path: Path) -> None:
    labels = tiny_labels()
    labels["contradictions"][0]["type"] = "size"
    labels["contradictions"][1]["id"] = "Not Kebab"
    labels["extra"] = 1
    del labels["probes"]
    message = problems_of(tmp_path, labels)
    assert "contradictions[0] 'scope-towns'.type: Input should be 'scope'" in message
    assert "contradictions[1] 'Not Kebab'.id: String should match pattern" in message
    assert "extra: Extra inputs are not permitted" in message
    assert "probes: Field required" in message
    assert len(message.splitlines()) == 4


def test_yaml_duplicate_key_and_syntax_errors(tmp_path: Path) -> None:
    text = f"{SCHEMA_COMMENT}\ncase: tiny\ncase: tiny\n"
    assert "YAML error at line 3: duplicate key 'case'" in problems_of(tmp_path / "a", text)
    bad = f"{SCHEMA_COMMENT}\ncase: [tiny\n"
    assert "YAML error at line" in problems_of(tmp_path / "b", bad)


def test_schema_comment_must_open_the_file(tmp_path: Path) -> None:
    labels = tiny_labels()
    message = problems_of(tmp_path, yaml.safe_dump(labels))
    assert "the first line must be '# yaml-language-server" in message


def test_folder_problems(tmp_path: Path) -> None:
    folder = write_case(tmp_path, "tiny", ARTICLES, tiny_labels())
    (folder / "notes.md").write_text("x")
    (folder / "gamma.txt").write_bytes(b"caf\xe9")
    (folder / ".hidden").write_text("ignored")
    with pytest.raises(FixtureError) as caught:
        load_case(folder)
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(str(folder / "gamma.txt")) and "not valid UTF-8" in lines[0]
    assert lines[1].startswith(str(folder / "notes.md")) and "unexpected entry" in lines[1]


def test_missing_labels_file(tmp_path: Path) -> None:
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "alpha.txt").write_text(ALPHA)
    with pytest.raises(FixtureError, match=r"no labels\.yaml"):
        load_case(tmp_path / "tiny")


def test_offsets_match_the_tools_decoding(tmp_path: Path) -> None:
    """BOM dropped and CRLF kept, exactly as agent.ingest reads the file."""
    from agent.ingest import ingest

    folder = write_case(tmp_path, "tiny", {"beta": BETA}, tiny_labels())
    raw = "\ufeff" + ALPHA.replace("\n", "\r\n")
    (folder / "alpha.txt").write_bytes(raw.encode("utf-8"))
    case = load_case(folder)
    tool_text = ingest([folder / "alpha.txt"]).articles[0].text
    assert case.texts["alpha"] == tool_text and "\r\n" in tool_text
    loc = case.locations[("alpha", "The fire began on Monday")]
    assert tool_text[loc.start : loc.end] == "The fire began on Monday"


def test_load_cases_selects_and_gathers_problems(tmp_path: Path) -> None:
    tiny_case(tmp_path, "one")
    tiny_case(tmp_path, "two")
    assert [c.name for c in load_cases(tmp_path)] == ["one", "two"]
    assert [c.name for c in load_cases(tmp_path, ["two"])] == ["two"]
    with pytest.raises(FixtureError, match="no case named 'three' \\(available: one, two\\)"):
        load_cases(tmp_path, ["three"])
    bad = tiny_labels("bad")
    bad["key_claims"][0]["quote"] = "nowhere"
    write_case(tmp_path, "bad", ARTICLES, bad)
    (tmp_path / "worse").mkdir()
    with pytest.raises(FixtureError) as caught:
        load_cases(tmp_path)
    assert len(caught.value.problems) == 2
    assert "quote not found" in str(caught.value) and "no labels.yaml" in str(caught.value)


def test_committed_schema_is_up_to_date() -> None:
    assert SCHEMA_PATH == REPO / "evals" / "fixture.schema.json"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "evals/fixture.schema.json is stale: run `python -m agent.evals.schema`"
    )
    schema = json.loads(schema_text())
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["ContradictionLabel"]["properties"]["sides"]["maxItems"] == 2


def test_committed_fixtures_load() -> None:
    """Every committed case's labels match its articles (quotes exact and unique)."""
    cases = load_cases(REPO / "evals" / "fixtures")
    assert cases
    for case in cases:
        for (article, quote), loc in case.locations.items():
            assert case.texts[article][loc.start : loc.end] == quote
