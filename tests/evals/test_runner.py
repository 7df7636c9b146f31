"""The runner: per-case scores, micro-averaged aggregates, the bootstrap interval, JSON."""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from agent.evals.runner import (
    CaseResult,
    EvalResults,
    Prediction,
    aggregate,
    pipeline_predictor,
    run_eval,
)
from agent.evals.scorers import CONTRADICTIONS, ContradictionScore, micro_f1
from agent.evals.scoring import bootstrap
from agent.models import Report
from agent.trace import PipelineTrace
from tests.evals.helpers import half, perfect, report, tiny_case


def test_run_eval_per_case_and_micro_averages(tmp_path: Path) -> None:
    cases = [tiny_case(tmp_path, "a-perfect"), tiny_case(tmp_path, "b-half")]
    results = run_eval(cases, lambda c: perfect(c) if c.name == "a-perfect" else half(c))
    assert results.backend == "offline"
    assert [c.case for c in results.cases] == ["a-perfect", "b-half"]
    first, second = (CONTRADICTIONS.of(c.scores) for c in results.cases)
    assert (first.precision, first.recall) == (1.0, 1.0)
    assert (second.precision, second.recall) == (0.5, 0.5)
    o = results.overall.figures
    # Micro: matched 3 of 4 predicted, required found 3 of 4.
    assert (o["predicted"], o["matched"], o["required"], o["required_found"]) == (4, 3, 4, 3)
    assert (o["precision"], o["recall"], o["f1"]) == (0.75, 0.75, 0.75)
    assert o["type_accuracy"] == 1.0 and o["trap_hits"] == 1
    assert o["key_claim_recall"] == 0.5  # 2 of 4: only the perfect report has claims
    assert o["attribution_accuracy"] == 1.0 and o["grounding_rate"] == 1.0
    assert o["agreement_recall"] == 0.5
    # Hand-made reports carry no trace: the stages that need one measure nothing.
    assert o["candidate_recall"] is None and o["judge_accuracy"] is None
    assert [(case, m.id) for case, m in results.missed()] == [("b-half", "scope-towns")]
    assert [(case, h.trap_id) for case, h in results.trap_hits()] == [
        ("b-half", "firefighters-rounding")
    ]
    assert results.cases[1].input_errors == [] and results.cases[0].claims == 4


def test_results_serialise_and_read_back(tmp_path: Path) -> None:
    cases = [tiny_case(tmp_path, "one"), tiny_case(tmp_path, "two")]
    results = run_eval(cases, half)
    text = results.model_dump_json()
    assert '"f1":0.5' in text and '"intervals":{"f1":' in text
    assert EvalResults.model_validate_json(text) == results


def test_mixed_backends_and_no_cases_are_errors(tmp_path: Path) -> None:
    cases = [tiny_case(tmp_path, "one"), tiny_case(tmp_path, "two")]
    with pytest.raises(ValueError, match="different backends: llm:m, offline"):
        run_eval(cases, lambda c: report(c, backend="offline" if c.name == "one" else "llm:m"))
    with pytest.raises(ValueError, match="no cases"):
        run_eval([], half)


def score(predicted: int, matched: int, required: int, found: int) -> ContradictionScore:
    return ContradictionScore(
        predicted=predicted,
        matched=matched,
        required=required,
        required_found=found,
        optional_found=0,
        typed_right=matched,
        missed=[],
        trap_hits=[],
    )


SCORES: Sequence[ContradictionScore] = [
    score(4, 4, 4, 4),
    score(5, 1, 3, 1),
    score(2, 1, 5, 1),
    score(6, 3, 4, 2),
    score(0, 0, 2, 0),
    score(3, 3, 3, 3),
]


def test_bootstrap_is_deterministic_and_contains_the_estimate() -> None:
    bootstrap_ci = bootstrap(micro_f1)
    low, high = bootstrap_ci(SCORES) or (0.0, 0.0)
    assert bootstrap_ci(SCORES) == (low, high)
    point = micro_f1(SCORES)
    assert point == pytest.approx(2 * (12 / 20) * (11 / 21) / (12 / 20 + 11 / 21))
    assert 0.0 <= low < point < high <= 1.0
    assert bootstrap(micro_f1, seed=1)(SCORES) != (low, high)  # the seed is what fixes it
    assert bootstrap_ci(SCORES[:1]) is None


def test_bootstrap_of_identical_cases_is_a_point() -> None:
    assert bootstrap(micro_f1)([score(2, 1, 2, 1)] * 5) == (0.5, 0.5)


def test_pipeline_predictor_passes_only_the_article_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = tiny_case(tmp_path)
    calls: list[tuple[list[Path], str, str | None, str | None]] = []

    def fake_run_pipeline(
        paths: list[Path],
        backend: str,
        llm: object = None,
        trace: PipelineTrace | None = None,
        extract: str | None = None,
        judge: str | None = None,
    ) -> Report:
        calls.append((list(paths), backend, extract, judge))
        assert trace is not None  # the predictor asks for the trace the stage figures need
        trace.pairs = []
        return report(case)

    fake = types.ModuleType("agent.pipeline")
    fake.run_pipeline = fake_run_pipeline  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "agent.pipeline", fake)
    predicted = pipeline_predictor("offline")(case)
    assert isinstance(predicted, Prediction) and predicted.trace is not None
    assert predicted.report.backend == "offline"
    files = [case.path / "alpha.txt", case.path / "beta.txt"]
    assert calls == [(files, "offline", None, None)]
    pipeline_predictor("offline", judge="llm")(case)  # the stage overrides reach the pipeline
    assert calls[-1] == (files, "offline", None, "llm")


OLD_LAYOUT: dict[str, Any] = {
    # The layout of results written before the scorers were composable (the committed
    # baselines of 2026-11-23): scorer results at the top of each case, flat overall figures.
    "backend": "offline",
    "cases": [
        {
            "case": "tiny",
            "backend": "offline",
            "articles": 2,
            "claims": 0,
            "input_errors": [],
            "contradictions": {
                "predicted": 2,
                "matched": 1,
                "required": 2,
                "required_found": 1,
                "optional_found": 0,
                "typed_right": 1,
                "missed": [],
                "trap_hits": [],
                "false_positives": 1,
                "precision": 0.5,
                "recall": 0.5,
                "f1": 0.5,
                "type_accuracy": 1.0,
            },
            "key_claims": {
                "key_claims": 2,
                "found": 0,
                "attributed": 0,
                "missed": ["mayor-hurt", "medics-hurt"],
                "misattributed": [],
                "recall": 0.0,
                "attribution_accuracy": None,
            },
            "grounding": {"checked": 4, "grounded": 4, "ungrounded": [], "rate": 1.0},
            "agreements": {"gold": 1, "predicted": 0, "found": 0, "missed": ["bridge-closed"]},
        }
    ],
    "overall": {"cases": 1, "f1": 0.5, "recall": 0.5, "f1_ci": None, "trap_hits": 0},
}


def test_results_in_the_old_layout_still_read(tmp_path: Path) -> None:
    old = EvalResults.model_validate(OLD_LAYOUT)
    assert old.overall.figure("f1") == 0.5 and old.overall.intervals == {"f1": None}
    assert CONTRADICTIONS.of(old.cases[0].scores).recall == 0.5
    # Re-aggregated (as the gate does), the figures the old file lacks are None, not 0.
    again = aggregate(old.cases)
    assert again.figure("recall") == 0.5 and again.figure("grounding_rate") == 1.0
    assert again.figure("extraction_coverage") is None
    assert again.figure("candidate_recall") is None
    now = run_eval([tiny_case(tmp_path)], half)
    assert now.overall.figure("recall") == again.figure("recall")


def test_an_unknown_score_name_is_an_error() -> None:
    data = {**OLD_LAYOUT["cases"][0], "mystery": {}}
    with pytest.raises(ValueError, match="unknown score 'mystery'"):
        CaseResult.model_validate(data)
