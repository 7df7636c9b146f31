"""Per-stage scorers on the tiny case: extraction coverage, candidate recall, judge accuracy."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest

from agent.evals.fixtures import Case
from agent.evals.runner import Prediction, score_case
from agent.evals.stages import (
    CANDIDATES,
    EXTRACTION,
    JUDGE,
    score_candidates,
    score_coverage,
    score_judge,
    where_lost,
)
from agent.models import Claim, ContradictionType, Judgement
from agent.trace import PipelineTrace, TracedPair
from tests.evals.helpers import claim, perfect, report, tiny_case, with_trace


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return tiny_case(tmp_path)


def claims(case: Case) -> dict[str, Claim]:
    """One claim per labelled sentence, each credited to whoever the text names."""
    return {
        "northtown": claim(
            case, "alpha", "Officials said the order covers only Northtown", "Officials"
        ),
        "southtown": claim(
            case, "beta", "Residents of Southtown were ordered out too", "the outlet"
        ),
        "forty": claim(case, "alpha", "The mayor said 40 people were hurt", "Mayor Jane Doe"),
        "fifty-two": claim(case, "beta", "Medics said 52 people were hurt", "Medics"),
        "fifty": claim(case, "alpha", "About 50 firefighters attended", "the outlet"),
        "forty-eight": claim(case, "beta", "Some 48 firefighters attended", "the outlet"),
        "bridge": claim(case, "alpha", "The river bridge was closed", "the outlet"),
    }


Verdict = tuple[str, str, Literal["agree", "contradict", "unrelated", ""], ContradictionType | None]


def trace_of(found: dict[str, Claim], *verdicts: Verdict) -> PipelineTrace:
    """A trace pairing claims by key, each with its verdict ("" for a pair never judged)."""
    trace = PipelineTrace()
    for a, b, relation, kind in verdicts:
        trace.pairs.append(TracedPair(a=found[a].id, b=found[b].id, reason="lexical"))
        if relation:
            trace.judgements.append(
                Judgement(a=found[a].id, b=found[b].id, relation=relation, type=kind)
            )
    return trace


def test_coverage_needs_the_labelled_claimant(case: Case) -> None:
    found = claims(case)
    right = score_coverage(case, report(case, claims=list(found.values())), None)
    assert (right.sides, right.landed, right.covered, right.coverage) == (4, 4, 4, 1.0)

    # The mayor's figure credited to the medics: the side has a claim, but not the right one.
    wrong = found["forty"].model_copy(update={"claimant": "Medics"})
    rep = report(case, claims=[*(c for k, c in found.items() if k != "forty"), wrong])
    score = score_coverage(case, rep, None)
    assert (score.landed, score.covered, score.coverage) == (4, 3, 0.75)
    assert [(u.id, u.side, u.expected, u.got) for u in score.uncovered] == [
        ("injured-count", 0, ["Jane Doe"], ["Medics"])
    ]


def test_coverage_of_an_unlabelled_span_takes_any_claimant_and_nothing_is_nothing(
    case: Case,
) -> None:
    # Southtown's side carries no claimant label: any claim landing on it covers it.
    odd = claims(case)["southtown"].model_copy(update={"claimant": "Somebody Else"})
    score = score_coverage(case, report(case, claims=[odd]), None)
    assert (score.landed, score.covered) == (1, 1)
    empty = score_coverage(case, report(case), None)
    assert (empty.sides, empty.landed, empty.covered) == (4, 0, 0)
    assert [(u.id, u.side, u.got) for u in empty.uncovered] == [
        ("scope-towns", 0, []),
        ("scope-towns", 1, []),
        ("injured-count", 0, []),
        ("injured-count", 1, []),
    ]


def test_candidate_recall_needs_a_pair_across_the_two_sides(case: Case) -> None:
    found = claims(case)
    rep = report(case, claims=list(found.values()))
    assert score_candidates(case, rep, None).recall is None  # no trace: not measured
    assert not score_candidates(case, rep, None).traced

    trace = trace_of(
        found,
        ("northtown", "southtown", "", None),  # across the scope dispute's sides
        ("forty", "bridge", "", None),  # one side of the injured count only
    )
    trace.pairs.append(TracedPair(a="no-such-claim", b=found["fifty-two"].id, reason="lexical"))
    score = score_candidates(case, rep, trace)
    assert (score.traced, score.pairs, score.contradictions, score.paired) == (True, 3, 2, 1)
    assert score.unpaired == ["injured-count"] and score.recall == 0.5


def test_judge_accuracy_counts_what_reached_the_judge(case: Case) -> None:
    found = claims(case)
    rep = report(case, claims=list(found.values()))
    trace = trace_of(
        found,
        ("northtown", "southtown", "contradict", ContradictionType.DENIAL),  # right, wrong type
        ("fifty-two", "forty", "unrelated", None),  # reversed order still reaches; wrong
        ("fifty", "forty-eight", "contradict", ContradictionType.NUMBER),  # the trap: wrong
    )
    score = score_judge(case, rep, trace)
    assert (score.contradictions_reached, score.contradictions_right, score.typed_right) == (
        2,
        1,
        0,
    )
    assert (score.traps_reached, score.traps_right) == (1, 0)
    assert score.accuracy == pytest.approx(1 / 3)
    assert [(m.id, m.kind, m.verdicts) for m in score.misjudged] == [
        ("injured-count", "contradiction", ["unrelated"]),
        ("firefighters-rounding", "trap", ["contradict:number"]),
    ]


def test_judge_accuracy_trap_rejected_unjudged_pairs_and_no_trace(case: Case) -> None:
    found = claims(case)
    rep = report(case, claims=list(found.values()))
    trace = trace_of(
        found,
        ("fifty", "forty-eight", "agree", None),  # the trap rejected: right
        ("forty", "fifty-two", "", None),  # paired, but its judging failed: no verdict
    )
    score = score_judge(case, rep, trace)
    assert (score.traps_reached, score.traps_right) == (1, 1)
    assert (score.contradictions_reached, score.contradictions_right) == (1, 0)
    assert [(m.id, m.verdicts) for m in score.misjudged] == [("injured-count", ["no verdict"])]
    assert score.accuracy == 0.5
    untraced = score_judge(case, rep, None)
    assert not untraced.traced and untraced.accuracy is None


def test_where_each_missed_contradiction_was_lost(case: Case) -> None:
    found = claims(case)
    kept = [c for k, c in found.items() if k != "fifty-two"]  # no claim on the medics' side
    assert where_lost(score_case(case, report(case, claims=kept)).scores) == []  # no trace

    trace = trace_of(found, ("northtown", "southtown", "unrelated", None))
    result = score_case(case, Prediction(report(case, claims=kept), trace))
    assert where_lost(result.scores) == [
        ("scope-towns", "judge: unrelated"),
        ("injured-count", "extraction: no claim on side 1"),
    ]

    wrong = found["forty"].model_copy(update={"claimant": "Medics"})
    rep = report(case, claims=[wrong, found["fifty-two"]])
    lost = dict(where_lost(score_case(case, Prediction(rep, PipelineTrace())).scores))
    assert lost == {
        "scope-towns": "extraction: no claim on side 0 and 1",
        "injured-count": "pairing: no candidate pair on both sides (side 0 credited to Medics)",
    }
    # Paired and judged a contradiction, yet the report has no such flag.
    trace = trace_of(found, ("forty", "fifty-two", "contradict", ContradictionType.NUMBER))
    lost = dict(where_lost(score_case(case, Prediction(rep, trace)).scores))
    assert lost["injured-count"] == (
        "after judging: judged a contradiction, not in the report (side 0 credited to Medics)"
    )


def test_a_perfect_run_loses_nothing_at_any_stage(case: Case) -> None:
    scores = score_case(case, with_trace(perfect(case))).scores
    assert EXTRACTION.of(scores).coverage == 1.0
    assert CANDIDATES.of(scores).recall == 1.0 and JUDGE.of(scores).accuracy == 1.0
    assert where_lost(scores) == []
