"""The regression gate: tolerances, file names, comparison over shared cases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from agent.evals.baseline import (
    LLM_TOLERANCE,
    OFFLINE_TOLERANCE,
    GateRow,
    baseline_path,
    compare,
    load_baseline,
    model_slug,
    save_baseline,
    tolerance_for,
)
from agent.evals.fixtures import Case
from agent.evals.runner import EvalResults, run_eval
from agent.models import Report
from tests.evals.helpers import half, perfect, report, tiny_case, with_trace


def test_tolerances_and_paths(tmp_path: Path) -> None:
    assert (OFFLINE_TOLERANCE, LLM_TOLERANCE) == (0.005, 0.05)
    assert tolerance_for(True) == 0.005 and tolerance_for(False) == 0.05
    assert tolerance_for(None) == 0.05  # not known to be deterministic: the sampled tolerance
    assert baseline_path(tmp_path, "offline") == tmp_path / "baseline.json"
    assert baseline_path(tmp_path, "llm:Qwen2.5:7B") == tmp_path / "baseline-llm-qwen2-5-7b.json"
    assert baseline_path(tmp_path, "offline+llm:m") == tmp_path / "baseline-offline-llm-m.json"
    assert baseline_path(tmp_path, "offline", "judge") == tmp_path / "baseline-judge-offline.json"
    assert model_slug("///") == "model"


@pytest.mark.parametrize(
    ("baseline", "now", "tolerance", "regression"),
    [
        (0.800, 0.800, 0.0, False),
        (0.800, 0.799, 0.0, True),  # no tolerance: any drop
        (0.800, 0.796, 0.005, False),  # within the offline tolerance
        (0.800, 0.794, 0.005, True),
        (0.800, 0.760, 0.05, False),  # within the LLM tolerance
        (0.800, 0.740, 0.05, True),
        (0.800, 0.900, 0.005, False),  # better is never a regression
    ],
)
def test_gate_row(baseline: float, now: float, tolerance: float, regression: bool) -> None:
    row = GateRow(figure="f", baseline=baseline, now=now, tolerance=tolerance)
    assert row.regression is regression
    assert row.delta == pytest.approx(now - baseline)


def results_of(
    root: Path, predictors: dict[str, Callable[[Case], Report]], deterministic: bool = True
) -> EvalResults:
    """Results over one tiny case per name, each predicted by its own predictor (with the
    trace a run finding those contradictions would keep), of a backend the registry calls
    deterministic or not."""
    cases = [tiny_case(root, name) for name in predictors]
    predict = lambda case: with_trace(predictors[case.name](case))  # noqa: E731
    return run_eval(cases, predict, deterministic=deterministic)


def test_same_results_pass_and_worse_results_regress(tmp_path: Path) -> None:
    base = results_of(tmp_path / "base", {"one": perfect, "two": perfect})
    same = compare(base, base)
    assert not same.regressed and same.notes == []
    assert [(r.figure, r.baseline, r.now) for r in same.rows] == [
        ("required recall", 1.0, 1.0),
        ("contradiction F1", 1.0, 1.0),
        ("grounding rate", 1.0, 1.0),
        ("extraction coverage", 1.0, 1.0),
        ("candidate recall", 1.0, 1.0),
        ("judge accuracy", 1.0, 1.0),
    ]
    worse = results_of(tmp_path / "worse", {"one": perfect, "two": half})
    verdict = compare(worse, base)
    assert verdict.regressed
    # half() has no claims: no side of "two" is covered and nothing paired there, so
    # coverage and candidate recall fall to 1/2; what reached the judge was judged right.
    assert [(r.now, r.regression) for r in verdict.rows] == [
        (0.75, True),
        (0.75, True),
        (1.0, False),
        (0.5, True),
        (0.5, True),
        (1.0, False),
    ]
    assert verdict.rows[0].tolerance == OFFLINE_TOLERANCE
    assert not compare(base, worse).regressed  # improving is fine
    assert not compare(worse, base, tolerance=0.5).regressed  # F1 fell 1.0 -> 0.75: within 0.5


def test_llm_backend_gets_the_llm_tolerance(tmp_path: Path) -> None:
    def llm(case: Case) -> Report:
        return perfect(case).model_copy(update={"backend": "llm:some-model"})

    results = results_of(tmp_path / "a", {"one": llm}, deterministic=False)
    verdict = compare(results, results_of(tmp_path / "b", {"one": perfect}))
    assert {r.tolerance for r in verdict.rows} == {LLM_TOLERANCE}
    assert verdict.notes == ["baseline backend is 'offline', this run 'llm:some-model'"]


def test_the_tolerance_follows_determinism_not_the_name(tmp_path: Path) -> None:
    # A deterministic backend of another name (a new rules backend, a mix of deterministic
    # ones) gets the tight tolerance; the name "offline" alone does not decide it.
    def rules(case: Case) -> Report:
        return perfect(case).model_copy(update={"backend": "rules-v2"})

    results = results_of(tmp_path / "c", {"one": rules})
    assert {r.tolerance for r in compare(results, results).rows} == {OFFLINE_TOLERANCE}
    sampled = results_of(tmp_path / "d", {"one": perfect}, deterministic=False)
    assert {r.tolerance for r in compare(sampled, sampled).rows} == {LLM_TOLERANCE}


def test_compares_over_shared_cases_only(tmp_path: Path) -> None:
    base = results_of(tmp_path / "base", {"one": half, "two": perfect})
    subset = results_of(tmp_path / "subset", {"two": perfect, "three": report})
    verdict = compare(subset, base)
    # Over "two" alone both are perfect; the new, empty "three" is left out of the gate.
    assert not verdict.regressed and [r.now for r in verdict.rows] == [1.0] * 6
    assert verdict.notes == [
        "compared over the 1 shared cases only",
        "not in the baseline: three",
        "in the baseline, not run: one",
    ]
    disjoint = compare(results_of(tmp_path / "new", {"four": report}), base)
    assert disjoint.rows == [] and not disjoint.regressed
    assert disjoint.notes == ["no case in common with the baseline: nothing compared"]


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    results = results_of(tmp_path / "fx", {"one": half, "two": perfect})
    path = tmp_path / "evals" / "baseline.json"
    save_baseline(path, results)
    assert load_baseline(path) == results
    assert path.read_text().endswith("}\n")
