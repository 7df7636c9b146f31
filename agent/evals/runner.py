"""Running the eval: predict each case, score it, and sum the figures over all cases.

Which figures there are comes from the scorers (agent.evals.scoring): a case's result holds
each scorer's result by name, and the overall figures are each scorer's metrics over all the
cases. Aggregates are micro-averaged: counts are summed over the cases and the ratios taken
once, so a case with many labels weighs more than a small one. The F1 confidence interval is
a percentile bootstrap over cases (the unit a new fixture adds), with a fixed seed so the same
results always give the same interval.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, SerializeAsAny, field_validator, model_validator

from agent.base import Strict
from agent.evals.fixtures import Case
from agent.evals.judge_stage import JUDGE_STAGE
from agent.evals.scorers import (
    AGREEMENTS,
    CONTRADICTIONS,
    GROUNDING,
    KEY_CLAIMS,
    MissedContradiction,
    TrapHit,
)
from agent.evals.scoring import Figure, Scorer, ScoreResult, result_type
from agent.evals.stages import CANDIDATES, EXTRACTION, JUDGE
from agent.models import Report
from agent.trace import PipelineTrace


@dataclass(frozen=True)
class Prediction:
    """What a predictor returns: the report, and the run's trace when it kept one."""

    report: Report
    trace: PipelineTrace | None = None


Predictor = Callable[[Case], Report | Prediction]
"""Produces the report (and trace) for one case: the pipeline, or a hand-made report in
tests (a bare report has no trace, so the stage figures that need one are not measured)."""

SCORERS: tuple[Scorer[Any], ...] = (
    CONTRADICTIONS,
    KEY_CLAIMS,
    GROUNDING,
    AGREEMENTS,
    EXTRACTION,
    CANDIDATES,
    JUDGE,
)
"""Every scorer the eval runs, in table order; a new figure is a new entry here."""
JUDGE_STAGE_SCORERS: tuple[Scorer[Any], ...] = (JUDGE_STAGE,)
"""What `--stage judge` scores (agent/evals/judge_stage.py)."""


class CaseResult(Strict):
    """Every figure for one case."""

    case: str
    """The case name."""
    backend: str
    """The backend that produced the report ("offline", "llm:<model>")."""
    articles: int
    """Articles in the report."""
    claims: int
    """Claims the report extracted."""
    input_errors: list[str]
    """The report's input errors, one line each (a failed article skews every figure)."""
    scores: dict[str, SerializeAsAny[ScoreResult]]
    """Each scorer's result, by scorer name."""

    @model_validator(mode="before")
    @classmethod
    def _nest_old_layout(cls, data: Any) -> Any:
        # Results written before the scorers were composable (the committed baselines of
        # 2026-11-23) hold each scorer's result at the top level: move them under `scores`.
        if isinstance(data, dict) and "scores" not in data:
            meta = {"case", "backend", "articles", "claims", "input_errors"}
            data = {
                **{k: v for k, v in data.items() if k in meta},
                "scores": {k: v for k, v in data.items() if k not in meta},
            }
        return data

    @field_validator("scores", mode="before")
    @classmethod
    def _typed_scores(cls, value: Any) -> Any:
        # Each result read back from JSON is validated as its own scorer's result type.
        if not isinstance(value, dict):
            return value
        typed: dict[str, Any] = {}
        for name, result in value.items():
            try:
                kind = result_type(name)
            except KeyError:
                raise ValueError(f"unknown score {name!r}") from None
            typed[name] = result if isinstance(result, kind) else kind.model_validate(result)
        return typed


class Overall(Strict):
    """Figures over all cases, micro-averaged (counts summed, then divided)."""

    cases: int
    """Cases scored."""
    figures: dict[str, Figure]
    """Every metric of every scorer, by metric name."""
    intervals: dict[str, tuple[float, float] | None] = Field(default_factory=dict)
    """Bootstrap 95% intervals over cases of the metrics that have one (None with fewer
    than two cases)."""

    @model_validator(mode="before")
    @classmethod
    def _nest_old_layout(cls, data: Any) -> Any:
        # The old layout held the figures at the top level and F1's interval as `f1_ci`.
        if isinstance(data, dict) and "figures" not in data:
            figures = {k: v for k, v in data.items() if k not in {"cases", "f1_ci"}}
            intervals = {"f1": data["f1_ci"]} if "f1_ci" in data else {}
            return {"cases": data.get("cases"), "figures": figures, "intervals": intervals}
        return data

    def figure(self, name: str) -> Figure:
        """One figure by metric name (None when not measured)."""
        return self.figures.get(name)


class EvalResults(Strict):
    """The whole eval: per-case results and the overall figures (written as JSON)."""

    backend: str
    """The backend evaluated."""
    stage: Literal["pipeline", "judge"] = "pipeline"
    """What was evaluated: the whole pipeline, or the judge alone on labelled pairs."""
    deterministic: bool | None = None
    """Whether the backend is deterministic (the registry's word; it sets the gate's
    tolerance); None when not known (results of an older version), taken as not."""
    cases: list[CaseResult]
    """Per-case results, by case name."""
    overall: Overall
    """Figures over all cases."""

    def missed(self) -> list[tuple[str, MissedContradiction]]:
        """(case, miss) for every required contradiction not found."""
        scores = [(c.case, CONTRADICTIONS.get(c.scores)) for c in self.cases]
        return [(case, m) for case, s in scores if s for m in s.missed]

    def trap_hits(self) -> list[tuple[str, TrapHit]]:
        """(case, hit) for every trap a prediction fell into."""
        scores = [(c.case, CONTRADICTIONS.get(c.scores)) for c in self.cases]
        return [(case, h) for case, s in scores if s for h in s.trap_hits]


def score_case(
    case: Case, predicted: Report | Prediction, scorers: Sequence[Scorer[Any]] = SCORERS
) -> CaseResult:
    """All scorers on one case's report (and trace)."""
    prediction = predicted if isinstance(predicted, Prediction) else Prediction(predicted)
    report = prediction.report
    return CaseResult(
        case=case.name,
        backend=report.backend,
        articles=len(report.articles),
        claims=len(report.claims),
        input_errors=[f"{e.path}: {e.error}" for e in report.errors],
        scores={s.name: s.score(case, report, prediction.trace) for s in scorers},
    )


def run_eval(
    cases: Sequence[Case],
    predict: Predictor,
    scorers: Sequence[Scorer[Any]] = SCORERS,
    deterministic: bool | None = None,
    stage: Literal["pipeline", "judge"] = "pipeline",
) -> EvalResults:
    """Predict and score every case; raises ValueError on no cases or mixed backends.
    `deterministic` and `stage` are recorded in the results (the gate reads them)."""
    if not cases:
        raise ValueError("no cases to evaluate")
    results = [score_case(case, predict(case), scorers) for case in cases]
    backends = sorted({r.backend for r in results})
    if len(backends) != 1:
        raise ValueError(f"the cases were run on different backends: {', '.join(backends)}")
    return EvalResults(
        backend=backends[0],
        stage=stage,
        deterministic=deterministic,
        cases=results,
        overall=aggregate(results, scorers),
    )


def scorer_results(results: Sequence[CaseResult], scorer: Scorer[Any]) -> list[ScoreResult]:
    """The scorer's result in each case that has one (results read from an older file may
    lack a scorer added since)."""
    return [scorer.of(r.scores) for r in results if scorer.name in r.scores]


def aggregate(results: Sequence[CaseResult], scorers: Sequence[Scorer[Any]] = SCORERS) -> Overall:
    """Micro-averaged figures over the given case results, every metric of every scorer.
    Raises ValueError when two scorers or two metrics share a name (one would hide the other)."""
    names = [s.name for s in scorers]
    metrics = [m.name for s in scorers for m in s.metrics]
    for kind, found in (("scorer", names), ("metric", metrics)):
        twice = sorted({n for n in found if found.count(n) > 1})
        if twice:
            raise ValueError(f"{kind} names used twice: {', '.join(twice)}")
    figures: dict[str, Figure] = {}
    intervals: dict[str, tuple[float, float] | None] = {}
    for scorer in scorers:
        mine = scorer_results(results, scorer)
        for metric in scorer.metrics:
            # A scorer no case has (an old file) measured nothing: None, not an empty sum.
            figures[metric.name] = metric.compute(mine) if mine else None
            if metric.interval is not None:
                intervals[metric.name] = metric.interval(mine)
    return Overall(cases=len(results), figures=figures, intervals=intervals)


def case_figures(
    result: CaseResult, scorers: Sequence[Scorer[Any]] = SCORERS
) -> Mapping[str, Figure]:
    """Every metric over this one case."""
    return aggregate([result], scorers).figures


if TYPE_CHECKING:
    from agent.backends.llm.config import LLMConfig


def pipeline_predictor(
    backend: str,
    llm: LLMConfig | None = None,
    extract: str | None = None,
    judge: str | None = None,
) -> Predictor:
    """A predictor that runs the real pipeline on a case's article files (not labels.yaml);
    `llm` configures the LLM backend (None: from the environment); `extract` and `judge`
    override `backend` for one stage."""

    def predict(case: Case) -> Prediction:
        # Imported here so the eval code loads even when the pipeline cannot (mid-edit, or
        # a backend's dependencies missing) and tests never pay for spaCy.
        from agent.pipeline import run_pipeline

        paths = [case.article_paths[aid] for aid in sorted(case.article_paths)]
        trace = PipelineTrace()
        report = run_pipeline(
            paths, backend=backend, llm=llm, trace=trace, extract=extract, judge=judge
        )
        return Prediction(report, trace)

    return predict
