"""Scorers on hand-made reports with known figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.evals.fixtures import Case, load_case
from agent.evals.scorers import (
    ContradictionScore,
    claimant_matches,
    lands,
    normalise_name,
    score_agreements,
    score_contradictions,
    score_grounding,
    score_key_claims,
)
from agent.evals.scoring import f1, precision, ratio, recall
from agent.models import Side
from tests.evals.helpers import (
    agreement,
    claim,
    contradiction,
    perfect,
    report,
    side,
    tiny_case,
    write_case,
)


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return tiny_case(tmp_path)


def scope_pair(case: Case) -> list[Side]:
    return [
        side(case, "alpha", "the order covers only Northtown"),
        side(case, "beta", "Residents of Southtown were ordered out too"),
    ]


def figures(score: ContradictionScore) -> tuple[float, float, float]:
    return score.precision, score.recall, score.f1


def test_perfect_prediction_scores_one(case: Case) -> None:
    rep = perfect(case)
    con = score_contradictions(case, rep)
    assert figures(con) == (1.0, 1.0, 1.0)
    assert con.type_accuracy == 1.0 and con.missed == [] and con.trap_hits == []
    assert con.optional_found == 0  # the optional one was not predicted: no miss either
    keys = score_key_claims(case, rep)
    assert (keys.recall, keys.attribution_accuracy) == (1.0, 1.0)
    assert score_grounding(case, rep).rate == 1.0
    assert score_agreements(case, rep).recall == 1.0


def test_no_prediction_scores_zero(case: Case) -> None:
    con = score_contradictions(case, report(case))
    assert figures(con) == (0.0, 0.0, 0.0)
    assert [m.id for m in con.missed] == ["scope-towns", "injured-count"]
    assert con.missed[0].description == "Only Northtown, or Southtown too."
    assert con.type_accuracy is None
    keys = score_key_claims(case, report(case))
    assert keys.recall == 0.0 and keys.attribution_accuracy is None
    assert keys.missed == ["mayor-hurt", "medics-hurt"]
    assert score_agreements(case, report(case)).recall == 0.0


def test_prediction_on_a_trap_scores_zero_and_is_named(case: Case) -> None:
    trap = contradiction(
        "number",
        side(case, "alpha", "About 50 firefighters attended"),
        side(case, "beta", "Some 48 firefighters attended"),
        summary="50 or 48 firefighters.",
    )
    con = score_contradictions(case, report(case, [trap]))
    assert figures(con) == (0.0, 0.0, 0.0)
    assert con.false_positives == 1
    assert [(h.trap_id, h.trap_kind, h.type, h.summary) for h in con.trap_hits] == [
        ("firefighters-rounding", "rounding", "number", "50 or 48 firefighters.")
    ]
    assert con.trap_hits[0].contradiction_id == trap.id


def test_both_sides_on_one_gold_side_do_not_match(case: Case) -> None:
    same = contradiction(
        "scope",
        side(case, "alpha", "the order covers only Northtown"),
        side(case, "alpha", "Officials said"),  # the same sentence: lands on the same side
    )
    con = score_contradictions(case, report(case, [same]))
    assert figures(con) == (0.0, 0.0, 0.0) and con.trap_hits == []


def test_wrong_type_matches_but_scores_zero_type_accuracy(case: Case) -> None:
    con = score_contradictions(case, report(case, [contradiction("denial", *scope_pair(case))]))
    assert (con.matched, con.typed_right, con.type_accuracy) == (1, 0, 0.0)
    assert figures(con) == pytest.approx((1.0, 0.5, 2 / 3))


def test_partial_prediction_exact_figures(case: Case) -> None:
    preds = [
        contradiction("scope", *scope_pair(case)),
        contradiction(  # the optional one: a true positive, and no miss when absent
            "date_time",
            side(case, "alpha", "The fire began on Monday"),
            side(case, "beta", "The blaze began on Tuesday"),
        ),
        contradiction(  # nothing labelled: a plain false positive, no trap
            "other",
            side(case, "alpha", "The river bridge was closed"),
            side(case, "beta", "“It was chaos.”"),
        ),
    ]
    con = score_contradictions(case, report(case, preds))
    assert (con.predicted, con.matched, con.false_positives) == (3, 2, 1)
    assert (con.required, con.required_found, con.optional_found) == (2, 1, 1)
    assert con.precision == pytest.approx(2 / 3) and con.recall == 0.5
    assert con.f1 == pytest.approx(4 / 7)
    assert [m.id for m in con.missed] == ["injured-count"] and con.trap_hits == []


def test_sides_in_reverse_order_and_extra_sides_still_match(case: Case) -> None:
    a, b = scope_pair(case)
    extra = side(case, "alpha", "The fire began on Monday")
    con = score_contradictions(case, report(case, [contradiction("scope", b, extra, a)]))
    assert figures(con) == pytest.approx((1.0, 0.5, 2 / 3))


def test_sentence_rule(case: Case) -> None:
    gold = [case.locations[("alpha", "the order covers only Northtown")]]
    assert lands(case, side(case, "alpha", "Officials said"), gold)  # same sentence
    assert lands(case, side(case, "alpha", "only Northtown. The mayor"), gold)  # overlap
    assert not lands(case, side(case, "alpha", "The mayor said"), gold)  # next sentence
    assert not lands(case, side(case, "beta", "Residents of"), gold)  # other article
    # A predicted span in the same sentence as the gold quote, not overlapping it:
    pred = contradiction(
        "number",
        side(case, "alpha", "The mayor said"),
        side(case, "beta", "Medics said"),
    )
    con = score_contradictions(case, report(case, [pred]))
    assert (con.matched, con.required_found) == (1, 1)


def test_name_normalisation_and_alias_matching() -> None:
    assert normalise_name("The  Seld Valley Growers’ Union.") == "seld valley growers union"
    assert normalise_name("the U.S.") == "u s"
    assert claimant_matches("President Donald Trump", "Donald J. Trump", ["Donald Trump"])
    assert claimant_matches("the Mayor", "Jane Doe", ["the mayor"])
    assert claimant_matches("Mayor", "Jane Doe", ["the mayor"])
    assert claimant_matches("Jane Doe’s office", "Jane Doe", [])
    assert not claimant_matches("Jane Doerr", "Jane Doe", [])
    assert not claimant_matches("Doe", "Jane Doe", [])
    assert not claimant_matches("The", "The", [])  # nothing left to match
    assert claimant_matches(
        "Ministry of Health spokesman", "health ministry", ["Ministry of Health"]
    )


def test_attribution_accuracy(case: Case) -> None:
    claims = [
        claim(case, "alpha", "40 people were hurt", "Officials"),
        claim(case, "alpha", "The mayor said 40", "Mayor Jane Doe of Northtown"),
        claim(case, "beta", "Medics said 52 people were hurt", "a witness"),
    ]
    keys = score_key_claims(case, report(case, claims=claims))
    assert (keys.key_claims, keys.found, keys.attributed) == (2, 2, 1)
    assert (keys.recall, keys.attribution_accuracy) == (1.0, 0.5)
    assert [(m.id, m.expected, m.got) for m in keys.misattributed] == [
        ("medics-hurt", "medics", ["a witness"])
    ]


def test_grounding_counts_claims_and_sides(case: Case) -> None:
    rep = perfect(case)  # 2 claims + 2x2 contradiction sides + 2 agreement sides = 8
    off = rep.claims[0].model_copy(update={"start": rep.claims[0].start + 1})
    foreign = rep.claims[1].model_copy(update={"article_id": "gamma"})
    rep = rep.model_copy(update={"claims": [off, foreign]})
    grounding = score_grounding(case, rep)
    assert (grounding.checked, grounding.grounded) == (8, 6)
    assert grounding.rate == 0.75
    assert grounding.ungrounded == [f"claim {off.id}", f"claim {foreign.id}"]
    bad_side = rep.contradictions[0].sides[0].model_copy(update={"quote": "covers only"})
    broken = rep.contradictions[0].model_copy(update={"sides": [bad_side]})
    rep = rep.model_copy(update={"claims": [], "contradictions": [broken]})
    grounding = score_grounding(case, rep)
    assert grounding.ungrounded == [f"contradiction {broken.id} side 0"]


def test_agreement_needs_two_different_gold_sides(case: Case) -> None:
    one_side = agreement(
        side(case, "alpha", "The river bridge was closed"),
        side(case, "alpha", "The fire began on Monday"),
    )
    found = score_agreements(case, report(case, agreements=[one_side]))
    assert (found.predicted, found.found, found.missed) == (1, 0, ["bridge-closed"])
    both = agreement(
        side(case, "beta", "The river bridge was also shut"),
        side(case, "alpha", "The river bridge was closed"),
    )
    assert score_agreements(case, report(case, agreements=[one_side, both])).recall == 1.0


def test_results_round_trip_through_json(case: Case) -> None:
    con = score_contradictions(case, report(case, [contradiction("scope", *scope_pair(case))]))
    data = con.model_dump()
    assert data["f1"] == pytest.approx(2 / 3) and data["false_positives"] == 0
    again = ContradictionScore.model_validate_json(con.model_dump_json())
    assert again == con


def test_one_predicted_side_cannot_cover_both_gold_sides(tmp_path: Path) -> None:
    """Two parties disputing inside one article: each gold side needs its own predicted side."""
    labels = {
        "case": "inside",
        "written_for_test": True,
        "provenance": "Invented for the eval tests.",
        "probes": "A dispute inside one article.",
        "contradictions": [
            {
                "id": "plant-safety",
                "type": "denial",
                "required": True,
                "description": "Safe or not.",
                "sides": [
                    [{"article": "gamma", "quote": "the plant is safe"}],
                    [{"article": "gamma", "quote": "the plant is not safe"}],
                ],
            }
        ],
    }
    texts = {"gamma": "Ann said the plant is safe. Bob said the plant is not safe.", "delta": "Hi."}
    case = load_case(write_case(tmp_path, "inside", texts, labels))
    whole = side(case, "gamma", texts["gamma"])  # lands on both gold sides at once
    elsewhere = side(case, "delta", "Hi.")
    con = score_contradictions(case, report(case, [contradiction("denial", whole, elsewhere)]))
    assert (con.matched, con.required_found) == (0, 0)
    split = contradiction(
        "denial", side(case, "gamma", "Ann said"), side(case, "gamma", "Bob said")
    )
    con = score_contradictions(case, report(case, [split]))
    assert (con.matched, con.required_found) == (1, 1)


def test_empty_denominators() -> None:
    assert precision(0, 0, 2) == 0.0 and recall(0, 2) == 0.0  # nothing found: zero
    assert precision(0, 0, 0) == 1.0 and recall(0, 0) == 1.0  # nothing to find, none claimed
    assert precision(0, 3, 0) == 0.0 and f1(0.0, 0.0) == 0.0
    assert ratio(0, 0) is None and ratio(1, 4) == 0.25
